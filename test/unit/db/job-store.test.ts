import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { createJobStore, INTERRUPTED_MESSAGE } from '../../../db/repositories/job-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createJobStore', () => {
  it('moves a job through queued, running and done or failed', async () => {
    const database = openDatabase(':memory:');
    const jobs = createJobStore(database, { now: () => new Date('2026-11-22T10:00:00Z') });
    const job = await jobs.enqueue({ channelId: 'A', kind: 'upload', userId: 'U1' });
    expect(job).toMatchObject({ status: 'queued', startedAt: null, progressTs: null, kind: 'upload' });
    await jobs.start(job.id, '111.1');
    expect(await jobs.getJob(job.id)).toMatchObject({ status: 'running', progressTs: '111.1' });
    await jobs.finish(job.id);
    expect((await jobs.getJob(job.id))?.status).toBe('done');
    const other = await jobs.enqueue({ channelId: 'A', kind: 'segment' });
    await jobs.start(other.id);
    await jobs.setProgressTs(other.id, '222.2');
    await jobs.fail(other.id, 'no dataset yet');
    expect(await jobs.getJob(other.id)).toMatchObject({
      status: 'failed',
      error: 'no dataset yet',
      progressTs: '222.2',
    });
    expect((await jobs.listJobs('A')).map((j) => j.id)).toEqual([other.id, job.id]);
    expect(await jobs.listJobs('B')).toEqual([]);
    database.close();
  });

  it('after a restart, marks and returns the jobs the dead process left unfinished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-jobs-'));
    dirs.push(dir);
    const path = join(dir, 'segbot.sqlite');
    const before = openDatabase(path);
    const jobs = createJobStore(before);
    const done = await jobs.enqueue({ channelId: 'A', kind: 'upload' });
    await jobs.start(done.id);
    await jobs.finish(done.id);
    const running = await jobs.enqueue({ channelId: 'A', kind: 'segment', userId: 'U1' });
    await jobs.start(running.id, '5.5');
    const queued = await jobs.enqueue({ channelId: 'B', kind: 'upload', userId: 'U2' });
    // The process dies here: no finish, no close.
    const after = openDatabase(path);
    const interrupted = await createJobStore(after).markInterrupted();
    expect(interrupted.map((j) => [j.id, j.channelId, j.status, j.progressTs])).toEqual([
      [running.id, 'A', 'interrupted', '5.5'],
      [queued.id, 'B', 'interrupted', null],
    ]);
    expect(interrupted[0]!.startedAt).toBeInstanceOf(Date);
    expect(interrupted[1]!.startedAt).toBeNull();
    expect(interrupted.every((j) => j.error === INTERRUPTED_MESSAGE)).toBe(true);
    expect((await createJobStore(after).getJob(done.id))?.status).toBe('done');
    // A second start-up finds nothing more to report.
    expect(await createJobStore(after).markInterrupted()).toEqual([]);
    before.close();
    after.close();
  });
});
