/**
 * Trained product-uptake models per channel and dataset version, with their metrics and feature
 * transform, so a model is reused while the channel's dataset has not changed.
 */
import { and, desc, eq } from 'drizzle-orm';
import { type DatabaseHandle, resolveHandle } from '../client.js';
import { MODEL_PAYLOAD_FORMAT } from '../json-formats.js';
import { models } from '../schema.js';
import { decodeStored, encodeStored } from '../stored-json.js';

/** A model as JSON (parsed back on load) or as opaque bytes from its own serializer. */
export type ModelPayload = { format: 'json'; value: unknown } | { format: 'binary'; bytes: Uint8Array };

/** A stored model without its payload (for listings). */
export interface ModelSummary {
  id: number;
  channelId: string;
  datasetId: number;
  product: string;
  metrics: unknown;
  createdAt: Date;
}

/** A stored model with everything needed to score new customers. */
export interface ModelRecord extends ModelSummary {
  model: ModelPayload;
  transform: unknown;
}

export interface ModelStoreOptions {
  now?: () => Date;
}

export interface ModelStore {
  /** Stores a trained model for one product of one of the channel's datasets. */
  saveModel(input: {
    channelId: string;
    datasetId: number;
    product: string;
    model: ModelPayload;
    metrics: unknown;
    transform?: unknown;
  }): ModelRecord;
  /** The newest model for this product trained on this dataset, or null (reuse check). */
  findModel(channelId: string, datasetId: number, product: string): ModelRecord | null;
  /** The newest model for this product on any of the channel's datasets, or null. */
  latestModel(channelId: string, product: string): ModelRecord | null;
  /** The channel's models, newest first, without payloads. */
  listModels(channelId: string): ModelSummary[];
}

/** Creates the model repository over an open database. */
export function createModelStore(handle: DatabaseHandle, options: ModelStoreOptions = {}): ModelStore {
  const { db } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const toRecord = (row: typeof models.$inferSelect): ModelRecord => ({
    id: row.id,
    channelId: row.channelId,
    datasetId: row.datasetId,
    product: row.product,
    metrics: row.metrics,
    transform: row.transform ?? null,
    createdAt: row.createdAt,
    model:
      row.modelFormat === 'json'
        ? { format: 'json', value: decodeStored(MODEL_PAYLOAD_FORMAT, row.model.toString('utf8')) }
        : {
            format: 'binary',
            bytes: new Uint8Array(row.model.buffer, row.model.byteOffset, row.model.byteLength),
          },
  });

  return {
    saveModel(input) {
      const bytes =
        input.model.format === 'json'
          ? Buffer.from(encodeStored(MODEL_PAYLOAD_FORMAT, input.model.value), 'utf8')
          : Buffer.from(input.model.bytes.buffer, input.model.bytes.byteOffset, input.model.bytes.byteLength);
      const [row] = db
        .insert(models)
        .values({
          channelId: input.channelId,
          datasetId: input.datasetId,
          product: input.product,
          modelFormat: input.model.format,
          model: bytes,
          metrics: input.metrics,
          transform: input.transform ?? null,
          createdAt: now(),
        })
        .returning()
        .all();
      return toRecord(row!);
    },

    findModel(channelId, datasetId, product) {
      const row = db
        .select()
        .from(models)
        .where(
          and(eq(models.channelId, channelId), eq(models.datasetId, datasetId), eq(models.product, product)),
        )
        .orderBy(desc(models.id))
        .limit(1)
        .get();
      return row ? toRecord(row) : null;
    },

    latestModel(channelId, product) {
      const row = db
        .select()
        .from(models)
        .where(and(eq(models.channelId, channelId), eq(models.product, product)))
        .orderBy(desc(models.id))
        .limit(1)
        .get();
      return row ? toRecord(row) : null;
    },

    listModels(channelId) {
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
        .orderBy(desc(models.id))
        .all();
    },
  };
}
