import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { createJobStore } from '../../../db/repositories/job-store.js';
import { buildIngest } from './build-ingest.js';

const dirs: string[] = [];
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'segbot-bg-'));
  dirs.push(dir);
  return join(dir, 'segbot.sqlite');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('saveDatasetInBackground', () => {
  it('saves on a worker thread into the same file, visible to this connection at once', async () => {
    const database = openDatabase(tempPath());
    try {
      const store = createDatasetStore(database);
      await store.saveDataset({ channelId: 'C1', userId: 'U1', ingest: buildIngest({ rows: 10, seed: 1 }) });
      const ingest = buildIngest({ rows: 3000, seed: 4 });
      const balances = Array.from(ingest.table.columns[1]!.values as Float64Array);
      expect(ingest.table.columns[1]!.kind).toBe('numeric');
      const pending = store.saveDatasetInBackground({ channelId: 'C1', userId: 'U2', ingest });
      // This thread keeps working (and writing) while the worker saves.
      const job = await createJobStore(database).enqueue({
        channelId: 'C2',
        kind: 'segment',
        owner: 'test',
        leaseUntil: new Date(),
      });
      const record = await pending;
      expect(record).toMatchObject({ channelId: 'C1', version: 2, rowCount: 3000, uploadedBy: 'U2' });
      expect(record.createdAt).toBeInstanceOf(Date);
      expect(await store.latestDataset('C1')).toEqual(record);
      const table = await store.loadTable(record.id);
      expect(table.fingerprint).toBe(ingest.table.fingerprint);
      expect(table.columns.map((c) => c.missing)).toEqual(ingest.table.columns.map((c) => c.missing));
      expect(Array.from(table.columns[1]!.values as Float64Array)).toEqual(balances);
      expect((await store.findCustomers(record.id, ['C13000'])).found).toEqual([
        { id: 'C13000', rowIndex: 2999 },
      ]);
      expect((await createJobStore(database).getJob(job.id))?.status).toBe('queued');
      // The numeric columns were moved to the worker, not copied.
      expect(ingest.table.columns[1]!.values.length).toBe(0);
    } finally {
      database.close();
    }
  });

  it('rejects with the database error (its class, not its text) and writes nothing when the save fails', async () => {
    const database = openDatabase(tempPath());
    try {
      const store = createDatasetStore(database);
      const ingest = buildIngest({ rows: 50 });
      (ingest.table.columns[2] as { name: unknown }).name = null;
      // A database error's text can quote stored values, so only its class crosses the thread.
      await expect(
        store.saveDatasetInBackground({ channelId: 'C1', userId: 'U1', ingest }),
      ).rejects.toMatchObject({
        name: 'SqliteError',
      });
      expect(await store.listDatasets('C1')).toEqual([]);
    } finally {
      database.close();
    }
  });

  it('saves inline for an in-memory database, which a worker cannot share', async () => {
    const database = openDatabase(':memory:');
    try {
      const store = createDatasetStore(database);
      const record = await store.saveDatasetInBackground({
        channelId: 'C1',
        userId: 'U1',
        ingest: buildIngest({ rows: 20 }),
      });
      expect((await store.getDataset('C1', record.id))?.rowCount).toBe(20);
    } finally {
      database.close();
    }
  });
});
