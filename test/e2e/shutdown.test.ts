/**
 * SIGTERM during a job that would run for ever (a real worker that never finishes): segbot exits
 * within 10 s, the channel is told the job was stopped, and the job and its run are recorded
 * failed, so the next start does not report them as interrupted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { createJobStore } from '../../db/repositories/job-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';

const CHANNEL = 'C0STOP001';
const SHUTDOWN_TEXT = 'segbot is shutting down and stopped this job; nothing was changed.';

describe('SIGTERM during a long job', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('cancels the job, tells the channel and exits 0 within 10 s', async () => {
    dir = mkdtempSync(join(tmpdir(), 'segbot-stop-'));
    const path = join(dir, 'segbot.sqlite');
    const child = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        join(import.meta.dirname, '../helpers/sigterm-app-child.ts'),
        path,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    // 'close', not 'exit': the child's last stdout lines may still be in the pipe when it exits.
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += String(chunk);
        if (stdout.includes('mid-run\n')) resolve();
      });
      void exit.then(() => reject(new Error(`child exited before the run: ${stderr.slice(-2000)}`)));
    });

    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const took = Date.now() - signalled;
    console.log(`SIGTERM to exit: ${took} ms`);
    expect(took).toBeLessThan(10_000);
    expect(stdout).toContain(SHUTDOWN_TEXT);

    const database = openDatabase(path);
    try {
      const job = (await createJobStore(database).listJobs(CHANNEL)).find(
        (record) => record.kind === 'segment',
      );
      expect(job?.status).toBe('failed');
      expect(job?.error).toBe(SHUTDOWN_TEXT);
      expect((await createRunStore(database).listRuns(CHANNEL))[0]?.status).toBe('failed');
    } finally {
      database.close();
    }
  }, 60_000);
});
