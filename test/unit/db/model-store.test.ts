import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageDatabase } from '../../../db/client-pg.js';
import { createDatasetStore, type DatasetRecord } from '../../../db/repositories/dataset-store.js';
import { createModelStore, type ModelStore } from '../../../db/repositories/model-store.js';
import { storageBackends } from '../../helpers/storage-backends.js';
import { buildIngest } from './build-ingest.js';

describe.each(storageBackends())('on $name', (backend) => {
  let database: StorageDatabase;
  let models: ModelStore;
  let v1: DatasetRecord;
  let v2: DatasetRecord;

  beforeEach(async () => {
    database = await backend.open();
    const datasets = createDatasetStore(database);
    v1 = await datasets.saveDataset({
      channelId: 'A',
      userId: 'U1',
      ingest: buildIngest({ rows: 10, seed: 1 }),
    });
    v2 = await datasets.saveDataset({
      channelId: 'A',
      userId: 'U1',
      ingest: buildIngest({ rows: 10, seed: 2 }),
    });
    models = createModelStore(database);
  });
  afterEach(() => database.close());

  describe('createModelStore', () => {
    it('round-trips a JSON model with metrics and transform', async () => {
      const forest = { trees: [{ feature: 3, threshold: 17, left: 0.1, right: 0.8 }], bins: [[0, 1, 2]] };
      const saved = await models.saveModel({
        channelId: 'A',
        datasetId: v1.id,
        product: 'ind_tjcr_fin_ult1',
        model: { format: 'json', value: forest },
        metrics: { auc: 0.81, baseRate: 0.02, liftTopDecile: 3.4 },
        transform: { version: 1, features: [] },
      });
      const found = await models.findModel('A', v1.id, 'ind_tjcr_fin_ult1');
      expect(found).toEqual(saved);
      expect(found?.model).toEqual({ format: 'json', value: forest });
      expect(found?.metrics).toEqual({ auc: 0.81, baseRate: 0.02, liftTopDecile: 3.4 });
    });

    it('round-trips a binary model byte for byte', async () => {
      const bytes = new Uint8Array(new Float32Array([1.5, Number.NaN, -2]).buffer);
      await models.saveModel({
        channelId: 'A',
        datasetId: v1.id,
        product: 'loan',
        model: { format: 'binary', bytes },
        metrics: {},
      });
      const found = (await models.findModel('A', v1.id, 'loan'))!;
      expect(found.model.format).toBe('binary');
      expect(
        found.model.format === 'binary' && Buffer.from(found.model.bytes).equals(Buffer.from(bytes)),
      ).toBe(true);
      expect(found.transform).toBeNull();
    });

    it('reuses per dataset version, finds the newest per product, and stays in its channel', async () => {
      const payload = { format: 'json' as const, value: 1 };
      const old = await models.saveModel({
        channelId: 'A',
        datasetId: v1.id,
        product: 'loan',
        model: payload,
        metrics: {},
      });
      const fresh = await models.saveModel({
        channelId: 'A',
        datasetId: v2.id,
        product: 'loan',
        model: payload,
        metrics: {},
      });
      expect((await models.findModel('A', v1.id, 'loan'))?.id).toBe(old.id);
      expect(await models.findModel('A', v2.id, 'savings')).toBeNull();
      expect((await models.latestModel('A', 'loan'))?.id).toBe(fresh.id);
      expect((await models.listModels('A')).map((m) => m.id)).toEqual([fresh.id, old.id]);
      expect(await models.findModel('B', v1.id, 'loan')).toBeNull();
      expect(await models.latestModel('B', 'loan')).toBeNull();
      expect(await models.listModels('B')).toEqual([]);
    });
  });
});
