import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { binFeatures } from '../../../src/analytics/predict/bin-features.js';
import { generateUptake, uptakeCsv } from '../../../src/analytics/predict/generate-uptake.js';
import { predictForest, trainForest } from '../../../src/analytics/predict/random-forest.js';
import { serializeForest } from '../../../src/analytics/predict/serialize-forest.js';
import {
  extractFeatures,
  outcomeLabels,
  scoreTable,
  trainPropensity,
} from '../../../src/analytics/predict/train-propensity.js';
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
    // The chosen kind, its model and the reason table scored customers' reasons are read from.
    expect(back.model.kind).toBe(back.result.model);
    expect(back.model[back.model.kind!]).toBeDefined();
    expect(back.model.reasons.features).toHaveLength(back.model.features.length);
  });

  it('refuses a model stored without a reason table, so it is trained again', async () => {
    const stored = await trained();
    const { reasons: _reasons, ...withoutReasons } = stored.model;
    expect(() =>
      parseStoredPrediction(JSON.parse(JSON.stringify({ ...stored, model: withoutReasons }))),
    ).toThrow(/model\.reasons/);
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

  it('still reads and scores a model stored before boosting: a forest, no kind, no model comparison', async () => {
    const csv = uptakeCsv(generateUptake({ rows: 400, numeric: 4, categorical: 1, seed: 2, baseRate: 0.3 }), {
      productColumn: 'has_card',
    });
    const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: 'c.csv' });
    const stored = await trained();
    const { kind: _kind, forest: _f, boosting: _b, logistic: _l, ...common } = stored.model;
    const { model: _model, models: _models, ...oldResult } = stored.result;
    const binned = binFeatures(common.binner, extractFeatures(ingest.table, common.features));
    const forest = trainForest(binned, outcomeLabels(ingest.table, 'has_card', null).labels, {
      nTrees: 5,
      seed: 1,
    });
    const old = JSON.parse(
      JSON.stringify({ model: { ...common, forest: serializeForest(forest) }, result: oldResult }),
    );
    const back = parseStoredPrediction(old);
    expect(back.model.kind).toBeUndefined();
    expect(back.result.model).toBeNull();
    expect(back.result.models).toEqual([]);
    const scores = await scoreTable(back.model, ingest);
    const expected = predictForest(forest, binned);
    for (const s of scores) expect(s.probability).toBe(expected[s.row]);
  });
});
