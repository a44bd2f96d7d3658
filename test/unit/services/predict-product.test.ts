import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { generateUptake, uptakeCsv } from '../../../src/analytics/predict/generate-uptake.js';
import { predictProduct } from '../../../src/services/predict-product.js';
import { createTestDeps } from '../../helpers/test-deps.js';

const CSV = uptakeCsv(generateUptake({ rows: 600, numeric: 5, categorical: 1, seed: 9, baseRate: 0.25 }), {
  productColumn: 'has_loan',
});

async function setup() {
  const { deps } = createTestDeps();
  const ingest = await ingestCsv(new TextEncoder().encode(CSV), { fileName: 'customers.csv' });
  const dataset = await deps.datasets.saveDataset({ channelId: 'C0TEST', userId: 'U0ADMIN', ingest });
  const request = { channelId: 'C0TEST', dataset, product: 'has_loan', seed: 7 };
  return { deps, dataset, request };
}

describe('predictProduct', () => {
  it('trains and stores a model, then reuses it for the same data and seed with the same metrics', async () => {
    const { deps, request } = await setup();
    const first = await predictProduct(deps, request);
    expect(first.reused).toBe(false);
    expect(first.result.trusted).toBe(true);
    expect(await deps.models.listModels('C0TEST')).toHaveLength(1);
    const second = await predictProduct(deps, request);
    expect(second.reused).toBe(true);
    expect(second.result.auc).toBe(first.result.auc);
    expect(second.result.scores.map((s) => s.customerId)).toEqual(
      first.result.scores.map((s) => s.customerId),
    );
    expect(await deps.models.listModels('C0TEST')).toHaveLength(1);
  });

  it('trains again for another seed', async () => {
    const { deps, request } = await setup();
    await predictProduct(deps, request);
    const other = await predictProduct(deps, { ...request, seed: 8 });
    expect(other.reused).toBe(false);
    expect(await deps.models.listModels('C0TEST')).toHaveLength(2);
  });

  it('keys reuse on features= and exclude=, however they are spelt', async () => {
    const { deps, request } = await setup();
    const all = await predictProduct(deps, request);
    const without = await predictProduct(deps, {
      ...request,
      selection: { features: null, exclude: ['x02'] },
    });
    expect(without.reused).toBe(false);
    expect(without.result.features).not.toContain('X02');
    expect(all.result.features).toContain('X02');
    const again = await predictProduct(deps, {
      ...request,
      selection: { features: null, exclude: ['X02', 'x02'] },
    });
    expect(again.reused).toBe(true);
    expect(again.result.selection).toEqual({ features: null, exclude: ['X02'] });
    const only = await predictProduct(deps, { ...request, selection: { features: ['X01'], exclude: [] } });
    expect(only.reused).toBe(false);
    expect(only.result.features).toEqual(['X01']);
  });

  it('treats a stored model it cannot read as absent and replaces it', async () => {
    const { deps, dataset, request } = await setup();
    await deps.models.saveModel({
      channelId: 'C0TEST',
      datasetId: dataset.id,
      product: 'has_loan',
      model: { format: 'json', value: { model: { version: 0 }, result: {} } },
      metrics: {},
    });
    const prediction = await predictProduct(deps, request);
    expect(prediction.reused).toBe(false);
    expect(await deps.models.listModels('C0TEST')).toHaveLength(2);
    expect((await predictProduct(deps, request)).reused).toBe(true);
  });

  it('refuses a segment when the data has no segmentation, with what to do', async () => {
    const { deps, request } = await setup();
    await expect(predictProduct(deps, { ...request, segment: 'revolvers' })).rejects.toThrow(
      /no segmentation of the latest data/,
    );
  });
});
