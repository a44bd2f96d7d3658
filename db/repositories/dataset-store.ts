/**
 * Dataset versions per channel: the parsed table (column blobs), its schema and quality report, and
 * a customer-id index for matching uploaded id lists.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Column, IngestResult, QualityReport, Schema, Table } from '../../src/analytics/types.js';
import { NotFoundError } from '../../src/errors.js';
import { yieldToEventLoop } from '../../src/event-loop.js';
import { tableMessageBuffers, toTableMessage } from '../../src/table-buffers.js';
import { runWorkerJob, siblingModule } from '../../src/worker-thread.js';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import { datasets } from '../schema.js';
import { decodeText, encodeText } from '../text-codec.js';
import { countPgCustomers, createPgDatasetStore } from './pg/dataset-store.js';
import type { SaveDatasetRequest } from './save-dataset-worker.js';

/** One stored dataset version (without its data; `loadTable` reads that). */
export interface DatasetRecord {
  id: number;
  channelId: string;
  /** 1, 2, 3 … within the channel. */
  version: number;
  fileName: string;
  fingerprint: string;
  rowCount: number;
  delimiter: ',' | ';' | '\t';
  schema: Schema;
  quality: QualityReport;
  uploadedBy: string;
  createdAt: Date;
}

/** Points inside `saveDataset`'s transaction, in order; a hook may throw to abort the save. */
export type DatasetSaveStage = 'dataset' | 'columns' | 'customers';

export interface DatasetStoreOptions {
  now?: () => Date;
  /**
   * Called inside the save transaction after each stage is written. For tests and crash drills:
   * throwing rolls the whole save back.
   */
  onSaveStage?: (stage: DatasetSaveStage, datasetId: number) => void;
}

export interface CustomerMatch {
  found: { id: string; rowIndex: number }[];
  missing: string[];
}

export interface SaveDatasetInput {
  channelId: string;
  userId: string;
  ingest: IngestResult;
}

export interface DatasetStore {
  /**
   * Stores an ingested file as the channel's next version, in one transaction: a failure or a crash
   * part-way leaves no trace of it. On SQLite the save runs on the calling thread: a million rows
   * keep it busy for seconds (saveDatasetInBackground does not).
   */
  saveDataset(input: SaveDatasetInput): Promise<DatasetRecord>;
  /**
   * The same save on a worker thread with its own connection, so the event loop stays free to
   * acknowledge Slack commands during a big upload. Writes from this thread's connection wait for
   * the worker's transaction (busy_timeout) while it commits. An in-memory database saves inline.
   * `onSaveStage` hooks do not run in the worker. The table's numeric columns are moved to the
   * worker, not copied: the caller must not read them afterwards.
   */
  saveDatasetInBackground(input: SaveDatasetInput): Promise<DatasetRecord>;
  /** The channel's newest version, or null before any upload. */
  latestDataset(channelId: string): Promise<DatasetRecord | null>;
  /** A version by id, or null if it does not exist or belongs to another channel. */
  getDataset(channelId: string, id: number): Promise<DatasetRecord | null>;
  /** The channel's versions, newest first. */
  listDatasets(channelId: string): Promise<DatasetRecord[]>;
  /** Every channel that holds at least one dataset (for the Home tab, which then checks membership). */
  channelIds(): Promise<string[]>;
  /** The stored table, value for value (NaN missing cells, text, fingerprint). Get the id from a channel-scoped lookup. */
  loadTable(datasetId: number): Promise<Table>;
  /**
   * Matches customer ids against a dataset. Each distinct id appears once, in input order; a
   * dataset id that occurs twice matches its first row.
   */
  findCustomers(datasetId: number, ids: readonly string[]): Promise<CustomerMatch>;
}

/**
 * The customer id of every row: the id column's values, or 1-based row numbers as text when the
 * file has none.
 */
export function customerIdsOf(ingest: IngestResult): string[] {
  const { table, schema } = ingest;
  const column = schema.idColumn ? table.columns.find((c) => c.name === schema.idColumn) : undefined;
  const ids = new Array<string>(table.rowCount);
  if (!column) {
    for (let i = 0; i < table.rowCount; i++) ids[i] = String(i + 1);
  } else if (column.kind === 'text') {
    for (let i = 0; i < table.rowCount; i++) ids[i] = column.values[i] ?? '';
  } else {
    for (let i = 0; i < table.rowCount; i++) ids[i] = formatNumericId(column.values[i]!);
  }
  return ids;
}

function formatNumericId(value: number): string {
  return Number.isNaN(value) ? '' : String(value);
}

// Rows per INSERT into the staging table: fewer statement executions is what makes a million rows
// fast; 2 parameters x 500 rows stays well under SQLite's parameter limit.
const CUSTOMER_BATCH = 500;

/** Creates the dataset repository over an open database. */
export function createDatasetStore(handle: StorageHandle, options: DatasetStoreOptions = {}): DatasetStore {
  if (isPostgres(handle)) return createPgDatasetStore(handle, options);
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const nextVersion = sqlite.prepare<[string], { next: number }>(
    'SELECT coalesce(max(version), 0) + 1 AS next FROM datasets WHERE channel_id = ?',
  );
  const insertColumn = sqlite.prepare(
    'INSERT INTO dataset_columns (dataset_id, position, name, kind, missing, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // Customers go through a temporary staging table and are copied sorted by id: inserting a million
  // ids in file order into the (dataset_id, customer_id) index is random B-tree work and takes
  // ~10x longer than letting SQLite sort once and append to the index in order.
  const createStaging = sqlite.prepare(
    'CREATE TEMP TABLE IF NOT EXISTS customer_staging (row_index INTEGER NOT NULL, customer_id TEXT NOT NULL)',
  );
  // Created outside any transaction, so a rolled-back save cannot take the table away from the
  // statements prepared below.
  createStaging.run();
  const stagingBatch = sqlite.prepare(
    `INSERT INTO temp.customer_staging (row_index, customer_id) VALUES ${Array(CUSTOMER_BATCH)
      .fill('(?, ?)')
      .join(', ')}`,
  );
  const stagingSingle = sqlite.prepare(
    'INSERT INTO temp.customer_staging (row_index, customer_id) VALUES (?, ?)',
  );
  const copyStaging = sqlite.prepare(
    'INSERT INTO customers (dataset_id, row_index, customer_id) ' +
      'SELECT ?, row_index, customer_id FROM temp.customer_staging ORDER BY customer_id, row_index',
  );
  const clearStaging = sqlite.prepare('DELETE FROM temp.customer_staging');
  const selectColumns = sqlite.prepare<
    [number],
    { name: string; kind: 'numeric' | 'text'; missing: number; data: Buffer }
  >('SELECT name, kind, missing, data FROM dataset_columns WHERE dataset_id = ? ORDER BY position');
  const selectCustomer = sqlite.prepare<[number, string], { rowIndex: number | null }>(
    'SELECT min(row_index) AS rowIndex FROM customers WHERE dataset_id = ? AND customer_id = ?',
  );

  // Staging touches only the connection's temp database, so it takes no lock on the shared file:
  // this and the column encoding happen before the write transaction to keep the lock short.
  const stageCustomers = sqlite.transaction((ids: string[]) => {
    clearStaging.run();
    const params = new Array<string | number>(CUSTOMER_BATCH * 2);
    let i = 0;
    for (; i + CUSTOMER_BATCH <= ids.length; i += CUSTOMER_BATCH) {
      for (let j = 0; j < CUSTOMER_BATCH; j++) {
        params[j * 2] = i + j;
        params[j * 2 + 1] = ids[i + j]!;
      }
      stagingBatch.run(params);
    }
    for (; i < ids.length; i++) stagingSingle.run(i, ids[i]!);
  });

  const save = sqlite.transaction((input: SaveDatasetInput, encoded: Buffer[]) => {
    const { channelId, userId, ingest } = input;
    const { table } = ingest;
    const version = nextVersion.get(channelId)!.next;
    const [row] = db
      .insert(datasets)
      .values({
        channelId,
        version,
        fileName: table.fileName,
        fingerprint: table.fingerprint,
        rowCount: table.rowCount,
        delimiter: table.delimiter,
        schema: ingest.schema,
        quality: ingest.quality,
        uploadedBy: userId,
        createdAt: now(),
      })
      .returning()
      .all();
    const record = row!;
    options.onSaveStage?.('dataset', record.id);

    table.columns.forEach((column, position) => {
      insertColumn.run(record.id, position, column.name, column.kind, column.missing, encoded[position]!);
    });
    options.onSaveStage?.('columns', record.id);

    copyStaging.run(record.id);
    options.onSaveStage?.('customers', record.id);
    return record as DatasetRecord;
  });

  const saveNow = (input: SaveDatasetInput): DatasetRecord => {
    assertConsistent(input.ingest.table);
    const encoded = input.ingest.table.columns.map(encodeColumn);
    stageCustomers(customerIdsOf(input.ingest));
    try {
      // IMMEDIATE takes the write lock up front, so two writers cannot pick the same version.
      return save.immediate(input, encoded);
    } finally {
      clearStaging.run();
    }
  };

  return {
    async saveDataset(input) {
      return saveNow(input);
    },

    saveDatasetInBackground(input) {
      const path = sqlite.name;
      if (sqlite.memory || !path || path === ':memory:') {
        return new Promise((resolve) => resolve(saveNow(input)));
      }
      assertConsistent(input.ingest.table);
      // The table moves to the worker rather than being copied while the event loop waits: numeric
      // columns as they are, text columns packed into bytes a slice at a time between turns.
      const { ingest, ...owner } = input;
      return toTableMessage(ingest.table, yieldToEventLoop).then((table) =>
        runWorkerJob<SaveDatasetRequest, DatasetRecord>({
          url: siblingModule('save-dataset-worker', import.meta.url),
          request: { path, input: owner, ingest: { ...ingest, table } },
          transfer: tableMessageBuffers(table),
          what: 'Saving the dataset',
          advice: 'Nothing was saved; please upload the file again.',
        }),
      );
    },

    async latestDataset(channelId) {
      const row = db
        .select()
        .from(datasets)
        .where(eq(datasets.channelId, channelId))
        .orderBy(desc(datasets.version))
        .limit(1)
        .get();
      return (row as DatasetRecord | undefined) ?? null;
    },

    async getDataset(channelId, id) {
      const row = db
        .select()
        .from(datasets)
        .where(and(eq(datasets.channelId, channelId), eq(datasets.id, id)))
        .get();
      return (row as DatasetRecord | undefined) ?? null;
    },

    async channelIds() {
      return db
        .selectDistinct({ channelId: datasets.channelId })
        .from(datasets)
        .orderBy(datasets.channelId)
        .all()
        .map((row) => row.channelId);
    },

    async listDatasets(channelId) {
      return db
        .select()
        .from(datasets)
        .where(eq(datasets.channelId, channelId))
        .orderBy(desc(datasets.version))
        .all() as DatasetRecord[];
    },

    async loadTable(datasetId) {
      const meta = db
        .select({
          fileName: datasets.fileName,
          rowCount: datasets.rowCount,
          delimiter: datasets.delimiter,
          fingerprint: datasets.fingerprint,
        })
        .from(datasets)
        .where(eq(datasets.id, datasetId))
        .get();
      if (!meta) throw new NotFoundError(`Dataset ${datasetId} does not exist.`);
      const columns: Column[] = selectColumns.all(datasetId).map((row) => {
        if (row.kind === 'numeric') {
          return { name: row.name, kind: 'numeric', values: float64FromBlob(row.data), missing: row.missing };
        }
        return { name: row.name, kind: 'text', values: decodeText(row.data), missing: row.missing };
      });
      return {
        fileName: meta.fileName,
        rowCount: meta.rowCount,
        columns,
        delimiter: meta.delimiter,
        fingerprint: meta.fingerprint,
      };
    },

    async findCustomers(datasetId, ids) {
      const found: { id: string; rowIndex: number }[] = [];
      const missing: string[] = [];
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        const rowIndex = selectCustomer.get(datasetId, id)?.rowIndex ?? null;
        if (rowIndex === null) missing.push(id);
        else found.push({ id, rowIndex });
      }
      return { found, missing };
    },
  };
}

/** Counts the customer rows of a dataset (for tests and reports). */
export async function countCustomers(handle: StorageHandle, datasetId: number): Promise<number> {
  if (isPostgres(handle)) return countPgCustomers(handle, datasetId);
  const { sqlite } = resolveHandle(handle);
  const row = sqlite.prepare('SELECT count(*) AS n FROM customers WHERE dataset_id = ?').get(datasetId) as {
    n: number;
  };
  return row.n;
}

/** A column shorter or longer than the table would be stored silently corrupt; refuse it instead. */
export function assertConsistent(table: Table): void {
  for (const column of table.columns) {
    if (column.values.length !== table.rowCount) {
      throw new RangeError(
        `column ${column.name} has ${column.values.length} values but the table has ${table.rowCount} rows`,
      );
    }
  }
}

export function encodeColumn(column: Column): Buffer {
  if (column.kind === 'numeric') {
    const values = column.values;
    return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  }
  return encodeText(column.values);
}

/** A Float64Array over a blob's bytes; copies when the bytes are not 8-byte aligned. */
export function float64FromBlob(bytes: Uint8Array): Float64Array {
  if (bytes.byteOffset % 8 === 0)
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  return new Float64Array(new Uint8Array(bytes).buffer);
}
