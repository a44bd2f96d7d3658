import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { generateUptake, uptakeCsv } from '../../../src/analytics/predict/generate-uptake.js';
import { trainPropensity } from '../../../src/analytics/predict/train-propensity.js';
import { StoredFormatError, userMessage } from '../../../src/errors.js';
import { parseStoredPrediction, storedPrediction } from '../../../src/services/stored-prediction.js';

async function trained() {
  const csv = uptakeCsv(generateUptake({ rows: 400, numeric: 4, categorical: 1, seed: 2, baseRate: 0.3 }), {
    productColumn: 'has_card',
  });
  const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: 'c.csv' });
  const { result, model } = await trainPropensity(ingest, { product: 'has_card', seed: 1 });
  if (!model) throw new Error('expected a trusted model');
  return storedPrediction(model, result);
}

describe('parseStoredPrediction', () => {
  it('reads back what was stored, through JSON', async () => {
    const stored = await trained();
    const back = parseStoredPrediction(JSON.parse(JSON.stringify(stored)));
    expect(back).toEqual(stored);
    expect('scores' in back.result).toBe(false);
  });

  it('refuses another shape with a stored_format error naming where, never the value', async () => {
    const stored = await trained();
    const damaged = JSON.parse(JSON.stringify(stored));
    damaged.result.params.seed = 'U123456 secret';
    try {
      parseStoredPrediction(damaged);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StoredFormatError);
      expect((error as StoredFormatError).code).toBe('stored_format');
      expect(userMessage(error)).toContain('result.params.seed: expected a number');
      expect(userMessage(error)).not.toContain('U123456');
    }
    expect(() => parseStoredPrediction({ ...stored, model: { ...stored.model, version: 2 } })).toThrow(
      /model\.version: expected one of 1/,
    );
    expect(() => parseStoredPrediction(null)).toThrow(StoredFormatError);
  });
});
