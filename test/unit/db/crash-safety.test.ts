import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { countCustomers, createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { buildIngest } from './build-ingest.js';

const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs crash-child.ts on `path`, kills it with SIGKILL once it is inside the save transaction. */
function killMidSave(path: string): Promise<{ walBytesAtKill: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), join(here, 'crash-child.ts'), path],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let walBytesAtKill = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('mid-transaction') && walBytesAtKill === 0) {
        walBytesAtKill = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (out.includes('committed')) reject(new Error('the child committed before it was killed'));
      else if (!out.includes('mid-transaction'))
        reject(new Error(`the child never reached the save: ${err}`));
      else resolve({ walBytesAtKill, signal });
    });
  });
}

describe('crash safety', () => {
  it('a process killed with SIGKILL mid-save leaves the previous dataset intact and no partial version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-crash-'));
    dirs.push(dir);
    const path = join(dir, 'segbot.sqlite');
    const first = openDatabase(path);
    const before = await createDatasetStore(first).saveDataset({
      channelId: 'C1',
      userId: 'U1',
      ingest: buildIngest({ rows: 500, seed: 1 }),
    });
    first.close();

    const { walBytesAtKill, signal } = await killMidSave(path);
    expect(signal).toBe('SIGKILL');
    // Uncommitted pages had reached the disk when the process died.
    expect(walBytesAtKill).toBeGreaterThan(0);

    const reopened = openDatabase(path);
    try {
      expect(reopened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const store = createDatasetStore(reopened);
      expect((await store.listDatasets('C1')).map((d) => d.version)).toEqual([1]);
      expect(await store.latestDataset('C1')).toEqual(before);
      expect((await store.loadTable(before.id)).rowCount).toBe(500);
      expect(await countCustomers(reopened, before.id)).toBe(500);
      const total = reopened.sqlite.prepare('SELECT count(*) AS n FROM customers').get() as { n: number };
      expect(total.n).toBe(500);
      // The next upload proceeds normally and takes the version the lost one would have had.
      const next = await store.saveDataset({
        channelId: 'C1',
        userId: 'U1',
        ingest: buildIngest({ rows: 20, seed: 3 }),
      });
      expect(next.version).toBe(2);
    } finally {
      reopened.close();
    }
  });
});
