/**
 * Trained product-uptake models per channel and dataset version, with their metrics and feature
 * transform, so a model is reused while the channel's dataset has not changed.
 */
import { and, desc, eq } from 'drizzle-orm';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import { MODEL_PAYLOAD_FORMAT } from '../json-formats.js';
import { models } from '../schema.js';
import { decodeStored, encodeStored } from '../stored-json.js';
import { createPgModelStore } from './pg/model-store.js';

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
  }): Promise<ModelRecord>;
  /** The newest model for this product trained on this dataset, or null (reuse check). */
  findModel(channelId: string, datasetId: number, product: string): Promise<ModelRecord | null>;
  /** The newest model for this product on any of the channel's datasets, or null. */
  latestModel(channelId: string, product: string): Promise<ModelRecord | null>;
  /** The channel's models, newest first, without payloads. */
  listModels(channelId: string): Promise<ModelSummary[]>;
}

/** Creates the model repository over an open database. */
export function createModelStore(handle: StorageHandle, options: ModelStoreOptions = {}): ModelStore {
  if (isPostgres(handle)) return createPgModelStore(handle, options);
  const { db } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const toRecord = modelRecord;

  return {
    async saveModel(input) {
      const bytes = modelBytes(input.model);
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

    async findModel(channelId, datasetId, product) {
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

    async latestModel(channelId, product) {
      const row = db
        .select()
        .from(models)
        .where(and(eq(models.channelId, channelId), eq(models.product, product)))
        .orderBy(desc(models.id))
        .limit(1)
        .get();
      return row ? toRecord(row) : null;
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
        .orderBy(desc(models.id))
        .all();
    },
  };
}

/** A stored model row (either dialect) as a record, its payload decoded. */
export function modelRecord(row: typeof models.$inferSelect): ModelRecord {
  return {
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
  };
}

/** The bytes a payload is stored as. */
export function modelBytes(model: ModelPayload): Buffer {
  return model.format === 'json'
    ? Buffer.from(encodeStored(MODEL_PAYLOAD_FORMAT, model.value), 'utf8')
    : Buffer.from(model.bytes.buffer, model.bytes.byteOffset, model.bytes.byteLength);
}
