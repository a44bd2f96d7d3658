import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPostgres, type StorageDatabase } from '../../../db/client-pg.js';
import {
  countCustomers,
  createDatasetStore,
  type DatasetSaveStage,
} from '../../../db/repositories/dataset-store.js';
import type { IngestResult, Table } from '../../../src/analytics/types.js';
import { NotFoundError } from '../../../src/errors.js';
import { countRows, storageBackends } from '../../helpers/storage-backends.js';
import { buildIngest } from './build-ingest.js';

describe.each(storageBackends())('on $name', (backend) => {
  let database: StorageDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.close());

  const count = (table: string) => countRows(database, table);

  /** Compares tables cell by cell; NaN equals NaN, and so does the exact bit pattern of numbers. */
  function expectSameTable(actual: Table, expected: Table): void {
    expect(actual.fileName).toBe(expected.fileName);
    expect(actual.rowCount).toBe(expected.rowCount);
    expect(actual.delimiter).toBe(expected.delimiter);
    expect(actual.fingerprint).toBe(expected.fingerprint);
    expect(actual.columns.map((c) => [c.name, c.kind, c.missing])).toEqual(
      expected.columns.map((c) => [c.name, c.kind, c.missing]),
    );
    actual.columns.forEach((column, i) => {
      const other = expected.columns[i]!;
      if (column.kind === 'numeric' && other.kind === 'numeric') {
        expect(column.values).toBeInstanceOf(Float64Array);
        const bytes = Buffer.from(column.values.buffer, column.values.byteOffset, column.values.byteLength);
        const want = Buffer.from(other.values.buffer, other.values.byteOffset, other.values.byteLength);
        expect(bytes.equals(want)).toBe(true);
      } else {
        // A first-mismatch index keeps the failure readable and the comparison fast on 10k cells.
        const values = column.values as string[];
        expect(values.length).toBe(other.values.length);
        expect(values.findIndex((v, row) => v !== other.values[row])).toBe(-1);
      }
    });
  }

  describe('createDatasetStore', () => {
    it('round-trips a 10k-row table exactly: NaN gaps, text, categories, fingerprint', async () => {
      const store = createDatasetStore(database);
      const ingest = buildIngest({ rows: 10_000, seed: 7 });
      const balance = ingest.table.columns[1]!;
      expect(balance.kind === 'numeric' && balance.values.some(Number.isNaN)).toBe(true);

      const record = await store.saveDataset({ channelId: 'C1', userId: 'U1', ingest });
      expect(record).toMatchObject({ channelId: 'C1', version: 1, rowCount: 10_000, uploadedBy: 'U1' });
      expect(record.schema).toEqual(ingest.schema);
      expect(record.quality).toEqual(ingest.quality);
      expectSameTable(await store.loadTable(record.id), ingest.table);
    });

    it('keeps -0, Infinity and extreme values bit for bit', async () => {
      const store = createDatasetStore(database);
      const ingest = buildIngest({ rows: 6 });
      const values = new Float64Array([-0, Number.POSITIVE_INFINITY, -1e308, 5e-324, Number.NaN, 1.5]);
      ingest.table.columns[1] = { name: 'BALANCE', kind: 'numeric', values, missing: 1 };
      const record = await store.saveDataset({ channelId: 'C1', userId: 'U1', ingest });
      const loaded = (await store.loadTable(record.id)).columns[1]!;
      expect(loaded.kind).toBe('numeric');
      expect(Object.is((loaded.values as Float64Array)[0], -0)).toBe(true);
      expectSameTable(await store.loadTable(record.id), ingest.table);
    });

    it('numbers versions per channel and lists them newest first', async () => {
      const store = createDatasetStore(database);
      const a1 = await store.saveDataset({
        channelId: 'A',
        userId: 'U1',
        ingest: buildIngest({ rows: 5, seed: 1 }),
      });
      const b1 = await store.saveDataset({
        channelId: 'B',
        userId: 'U2',
        ingest: buildIngest({ rows: 5, seed: 2 }),
      });
      const a2 = await store.saveDataset({
        channelId: 'A',
        userId: 'U1',
        ingest: buildIngest({ rows: 8, seed: 3 }),
      });
      expect([a1.version, b1.version, a2.version]).toEqual([1, 1, 2]);
      expect((await store.latestDataset('A'))?.id).toBe(a2.id);
      expect((await store.listDatasets('A')).map((d) => d.version)).toEqual([2, 1]);
      expect(await store.latestDataset('nobody')).toBeNull();
    });

    it('never shows one channel a dataset of another', async () => {
      const store = createDatasetStore(database);
      const a = await store.saveDataset({ channelId: 'A', userId: 'U1', ingest: buildIngest({ rows: 5 }) });
      expect((await store.getDataset('A', a.id))?.id).toBe(a.id);
      expect(await store.getDataset('B', a.id)).toBeNull();
      expect(await store.listDatasets('B')).toEqual([]);
      expect(await store.latestDataset('B')).toBeNull();
    });

    it.each<DatasetSaveStage>(['dataset', 'columns', 'customers'])(
      'leaves nothing behind when the save fails after the %s stage',
      async (failAt) => {
        const healthy = createDatasetStore(database);
        const before = await healthy.saveDataset({
          channelId: 'C1',
          userId: 'U1',
          ingest: buildIngest({ rows: 20 }),
        });
        const failing = createDatasetStore(database, {
          onSaveStage: (stage) => {
            if (stage === failAt) throw new Error(`injected failure after ${stage}`);
          },
        });
        await expect(
          failing.saveDataset({ channelId: 'C1', userId: 'U1', ingest: buildIngest({ rows: 300, seed: 9 }) }),
        ).rejects.toThrow(/injected failure/);

        expect((await healthy.listDatasets('C1')).map((d) => d.id)).toEqual([before.id]);
        expect(await count('datasets')).toBe(1);
        expect(await count('dataset_columns')).toBe(buildIngest({ rows: 1 }).table.columns.length);
        expect(await count('customers')).toBe(20);
        // The next upload takes the version the failed one would have had.
        const next = await healthy.saveDataset({
          channelId: 'C1',
          userId: 'U1',
          ingest: buildIngest({ rows: 3 }),
        });
        expect(next.version).toBe(2);
        expect(await countCustomers(database, next.id)).toBe(3);
      },
    );

    it('rolls back when the database itself rejects a row part-way', async () => {
      const store = createDatasetStore(database);
      const ingest = buildIngest({ rows: 10 });
      // Two columns at the same position would be fine; a NOT NULL violation is not: a text column
      // whose name is missing fails in the columns stage, after the dataset row was written.
      (ingest.table.columns[2] as { name: unknown }).name = null;
      await expect(store.saveDataset({ channelId: 'C1', userId: 'U1', ingest })).rejects.toThrow(
        /NOT NULL|null value in column "name"/,
      );
      expect(await count('datasets')).toBe(0);
      expect(await count('dataset_columns')).toBe(0);
      expect(await count('customers')).toBe(0);
    });

    it('refuses a table whose columns do not match its row count, writing nothing', async () => {
      const store = createDatasetStore(database);
      const ingest = buildIngest({ rows: 10 });
      ingest.table.rowCount = 11;
      await expect(store.saveDataset({ channelId: 'C1', userId: 'U1', ingest })).rejects.toThrow(
        /10 values but the table has 11/,
      );
      expect(await count('datasets')).toBe(0);
    });

    it('matches customer ids, reporting the missing ones and ignoring repeats', async () => {
      const store = createDatasetStore(database);
      const record = await store.saveDataset({
        channelId: 'C1',
        userId: 'U1',
        ingest: buildIngest({ rows: 1000 }),
      });
      const match = await store.findCustomers(record.id, ['C10005', 'X1', 'C11000', 'C10005', 'X2']);
      expect(match.found).toEqual([
        { id: 'C10005', rowIndex: 4 },
        { id: 'C11000', rowIndex: 999 },
      ]);
      expect(match.missing).toEqual(['X1', 'X2']);
    });

    it('uses 1-based row numbers as customer ids when the file has no id column', async () => {
      const store = createDatasetStore(database);
      const record = await store.saveDataset({
        channelId: 'C1',
        userId: 'U1',
        ingest: buildIngest({ rows: 10, withoutIds: true }),
      });
      expect((await store.findCustomers(record.id, ['1', '10', '11'])).found).toEqual([
        { id: '1', rowIndex: 0 },
        { id: '10', rowIndex: 9 },
      ]);
    });

    it('matches numeric id columns by their text form', async () => {
      const store = createDatasetStore(database);
      const ingest: IngestResult = buildIngest({ rows: 3, withoutIds: true });
      ingest.table.columns.unshift({
        name: 'ncodpers',
        kind: 'numeric',
        values: new Float64Array([15889, 1170544, 7]),
        missing: 0,
      });
      ingest.schema.idColumn = 'ncodpers';
      const record = await store.saveDataset({ channelId: 'C1', userId: 'U1', ingest });
      expect(await store.findCustomers(record.id, ['1170544', '8'])).toEqual({
        found: [{ id: '1170544', rowIndex: 1 }],
        missing: ['8'],
      });
    });

    it('says which dataset is missing when loading an unknown id', async () => {
      const store = createDatasetStore(database);
      await expect(store.loadTable(42)).rejects.toThrow(NotFoundError);
    });

    it('works with the drizzle handle as well as the database object', async () => {
      if (isPostgres(database)) return; // a bare drizzle handle is SQLite's alternative form only
      const store = createDatasetStore(database.db);
      const record = await store.saveDataset({
        channelId: 'C1',
        userId: 'U1',
        ingest: buildIngest({ rows: 4 }),
      });
      expect((await createDatasetStore(database).getDataset('C1', record.id))?.rowCount).toBe(4);
    });
  });
});
