/** The model repository on PostgreSQL (see ../model-store.ts for what each method means). */
import { and, desc, eq } from 'drizzle-orm';
import type { SegbotPgDatabase } from '../../client-pg.js';
import { models } from '../../schema-pg.js';
import { type ModelStore, type ModelStoreOptions, modelBytes, modelRecord } from '../model-store.js';

export function createPgModelStore(database: SegbotPgDatabase, options: ModelStoreOptions = {}): ModelStore {
  const { db } = database;
  const now = options.now ?? (() => new Date());

  return {
    async saveModel(input) {
      const [row] = await db
        .insert(models)
        .values({
          channelId: input.channelId,
          datasetId: input.datasetId,
          product: input.product,
          modelFormat: input.model.format,
          model: modelBytes(input.model),
          metrics: input.metrics,
          transform: input.transform ?? null,
          createdAt: now(),
        })
        .returning();
      return modelRecord(row!);
    },

    async findModel(channelId, datasetId, product) {
      const [row] = await db
        .select()
        .from(models)
        .where(
          and(eq(models.channelId, channelId), eq(models.datasetId, datasetId), eq(models.product, product)),
        )
        .orderBy(desc(models.id))
        .limit(1);
      return row ? modelRecord(row) : null;
    },

    async latestModel(channelId, product) {
      const [row] = await db
        .select()
        .from(models)
        .where(and(eq(models.channelId, channelId), eq(models.product, product)))
        .orderBy(desc(models.id))
        .limit(1);
      return row ? modelRecord(row) : null;
    },

    async listModels(channelId) {
      return db
        .select({
          id: models.id,
          channelId: models.channelId,
          datasetId: models.datasetId,
          product: models.product,
          metrics: models.metrics,
          createdAt: models.createdAt,
        })
        .from(models)
        .where(eq(models.channelId, channelId))
        .orderBy(desc(models.id));
    },
  };
}
