/**
 * The dataset repository on PostgreSQL (see ../dataset-store.ts for what each method means).
 * A million customers are written in batches of one multi-row statement each (the batch's ids and
 * row numbers travel as two array parameters) and read back a column at a time.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Column } from '../../../src/analytics/types.js';
import { NotFoundError } from '../../../src/errors.js';
import { inTransaction, type SegbotPgDatabase } from '../../client-pg.js';
import { datasets } from '../../schema-pg.js';
import { decodeText } from '../../text-codec.js';
import {
  assertConsistent,
  type CustomerMatch,
  customerIdsOf,
  type DatasetRecord,
  type DatasetStore,
  type DatasetStoreOptions,
  encodeColumn,
  float64FromBlob,
  type SaveDatasetInput,
} from '../dataset-store.js';

/** Customers per INSERT: two array parameters, so the size is bounded by memory, not parameter count. */
export const PG_CUSTOMER_BATCH = 50_000;
/** Ids per lookup in findCustomers. */
const LOOKUP_BATCH = 10_000;

export function createPgDatasetStore(
  database: SegbotPgDatabase,
  options: DatasetStoreOptions = {},
): DatasetStore {
  const { db, pool } = database;
  const now = options.now ?? (() => new Date());

  const saveDataset = async (input: SaveDatasetInput): Promise<DatasetRecord> => {
    const { channelId, userId, ingest } = input;
    const { table } = ingest;
    assertConsistent(table);
    const encoded = table.columns.map(encodeColumn);
    const ids = customerIdsOf(ingest);
    // Rows go in sorted by id, so the (dataset_id, customer_id) index is appended to in order
    // instead of being split at random pages a million times.
    const order = Array.from(ids.keys()).sort((a, b) =>
      ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b,
    );
    return inTransaction(database, async (tx, client) => {
      // Two instances saving into one channel at once must not both pick the same version.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('segbot.dataset_version:' || $1))", [
        channelId,
      ]);
      const next = await client.query<{ next: number }>(
        'SELECT coalesce(max(version), 0) + 1 AS next FROM datasets WHERE channel_id = $1',
        [channelId],
      );
      const [row] = await tx
        .insert(datasets)
        .values({
          channelId,
          version: next.rows[0]!.next,
          fileName: table.fileName,
          fingerprint: table.fingerprint,
          rowCount: table.rowCount,
          delimiter: table.delimiter,
          schema: ingest.schema,
          quality: ingest.quality,
          uploadedBy: userId,
          createdAt: now(),
        })
        .returning();
      const record = row as DatasetRecord;
      options.onSaveStage?.('dataset', record.id);

      for (const [position, column] of table.columns.entries()) {
        await client.query(
          'INSERT INTO dataset_columns (dataset_id, position, name, kind, missing, data) VALUES ($1, $2, $3, $4, $5, $6)',
          [record.id, position, column.name, column.kind, column.missing, encoded[position]],
        );
      }
      options.onSaveStage?.('columns', record.id);

      for (let start = 0; start < order.length; start += PG_CUSTOMER_BATCH) {
        const rows = order.slice(start, start + PG_CUSTOMER_BATCH);
        await client.query(
          'INSERT INTO customers (dataset_id, row_index, customer_id) SELECT $1, * FROM unnest($2::int[], $3::text[])',
          [record.id, rows, rows.map((i) => ids[i]!)],
        );
      }
      options.onSaveStage?.('customers', record.id);
      return record;
    });
  };

  return {
    saveDataset,
    // PostgreSQL's I/O does not hold the thread, so the save needs no worker of its own.
    saveDatasetInBackground: saveDataset,

    async latestDataset(channelId) {
      const [row] = await db
        .select()
        .from(datasets)
        .where(eq(datasets.channelId, channelId))
        .orderBy(desc(datasets.version))
        .limit(1);
      return (row as DatasetRecord | undefined) ?? null;
    },

    async getDataset(channelId, id) {
      const [row] = await db
        .select()
        .from(datasets)
        .where(and(eq(datasets.channelId, channelId), eq(datasets.id, id)));
      return (row as DatasetRecord | undefined) ?? null;
    },

    async channelIds() {
      const rows = await db
        .selectDistinct({ channelId: datasets.channelId })
        .from(datasets)
        .orderBy(datasets.channelId);
      return rows.map((row) => row.channelId);
    },

    async listDatasets(channelId) {
      return (await db
        .select()
        .from(datasets)
        .where(eq(datasets.channelId, channelId))
        .orderBy(desc(datasets.version))) as DatasetRecord[];
    },

    async loadTable(datasetId) {
      const [meta] = await db
        .select({
          fileName: datasets.fileName,
          rowCount: datasets.rowCount,
          delimiter: datasets.delimiter,
          fingerprint: datasets.fingerprint,
        })
        .from(datasets)
        .where(eq(datasets.id, datasetId));
      if (!meta) throw new NotFoundError(`Dataset ${datasetId} does not exist.`);
      // One column per query: a million-row table arrives as a few blobs of megabytes, not one result.
      const positions = await pool.query<{ position: number }>(
        'SELECT position FROM dataset_columns WHERE dataset_id = $1 ORDER BY position',
        [datasetId],
      );
      const columns: Column[] = [];
      for (const { position } of positions.rows) {
        const result = await pool.query<{
          name: string;
          kind: 'numeric' | 'text';
          missing: number;
          data: Buffer;
        }>('SELECT name, kind, missing, data FROM dataset_columns WHERE dataset_id = $1 AND position = $2', [
          datasetId,
          position,
        ]);
        const row = result.rows[0]!;
        columns.push(
          row.kind === 'numeric'
            ? { name: row.name, kind: 'numeric', values: float64FromBlob(row.data), missing: row.missing }
            : { name: row.name, kind: 'text', values: decodeText(row.data), missing: row.missing },
        );
      }
      return {
        fileName: meta.fileName,
        rowCount: meta.rowCount,
        columns,
        delimiter: meta.delimiter,
        fingerprint: meta.fingerprint,
      };
    },

    async findCustomers(datasetId, ids) {
      const distinct = [...new Set(ids)];
      const rowOf = new Map<string, number>();
      for (let start = 0; start < distinct.length; start += LOOKUP_BATCH) {
        const result = await pool.query<{ customer_id: string; row_index: number }>(
          'SELECT customer_id, min(row_index) AS row_index FROM customers ' +
            'WHERE dataset_id = $1 AND customer_id = ANY($2::text[]) GROUP BY customer_id',
          [datasetId, distinct.slice(start, start + LOOKUP_BATCH)],
        );
        for (const row of result.rows) rowOf.set(row.customer_id, row.row_index);
      }
      const match: CustomerMatch = { found: [], missing: [] };
      for (const id of distinct) {
        const rowIndex = rowOf.get(id);
        if (rowIndex === undefined) match.missing.push(id);
        else match.found.push({ id, rowIndex });
      }
      return match;
    },
  };
}

/** Counts the customer rows of a dataset. */
export async function countPgCustomers(database: SegbotPgDatabase, datasetId: number): Promise<number> {
  const result = await database.pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM customers WHERE dataset_id = $1',
    [datasetId],
  );
  return Number(result.rows[0]!.n);
}
