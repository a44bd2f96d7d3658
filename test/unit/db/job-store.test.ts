import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { createJobStore, INTERRUPTED_MESSAGE, type JobStore } from '../../../db/repositories/job-store.js';
import { storageBackends } from '../../helpers/storage-backends.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A clock the test moves. */
function movableNow(start = Date.parse('2026-11-22T10:00:00Z')) {
  let at = start;
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

const LEASE = 1000;
const command = (words: string[]) => ({ source: 'command' as const, words });

/** Queues `count` jobs of a dead instance over `channels` channels. */
async function queueOrphans(jobs: JobStore, count: number, channels: number): Promise<void> {
  const past = new Date(Date.now() - 1);
  for (let i = 0; i < count; i += 1) {
    await jobs.enqueue({
      channelId: `C${i % channels}`,
      kind: 'segment',
      request: command(['segment', `seed=${i}`]),
      owner: 'gone',
      leaseUntil: past,
    });
  }
}

/**
 * Claims and finishes jobs with every claimer at once until none is left; fails if one job is
 * claimed twice. Resolves with who claimed each job.
 */
async function claimConcurrently(
  claimers: { store: JobStore; name: string }[],
): Promise<Map<number, string>> {
  const claimedBy = new Map<number, string>();
  const claimAll = async ({ store, name }: { store: JobStore; name: string }) => {
    for (;;) {
      const { claimed } = await store.claimNext({ owner: name, leaseMs: 60_000, takeOver: true });
      if (!claimed) return;
      expect(claimedBy.has(claimed.job.id)).toBe(false);
      claimedBy.set(claimed.job.id, name);
      await store.finish(claimed.job.id);
    }
  };
  await Promise.all(claimers.map(claimAll));
  return claimedBy;
}

describe.each(storageBackends())('createJobStore on $name', (backend) => {
  it('moves a job through queued, running and done or failed', async () => {
    const database = await backend.open();
    const clock = movableNow();
    const jobs = createJobStore(database, clock);
    const lease = new Date(clock.now().getTime() + LEASE);
    const job = await jobs.enqueue({
      channelId: 'A',
      kind: 'upload',
      userId: 'U1',
      owner: 'one',
      leaseUntil: lease,
    });
    expect(job).toMatchObject({
      status: 'queued',
      startedAt: null,
      progressTs: null,
      kind: 'upload',
      attempts: 0,
    });
    const claim = await jobs.claimNext({ owner: 'one', leaseMs: LEASE, takeOver: false });
    expect(claim.claimed?.how).toBe('own');
    expect(claim.claimed?.job).toMatchObject({ id: job.id, status: 'running', attempts: 1 });
    await jobs.setProgressTs(job.id, '111.1');
    await jobs.finish(job.id);
    expect(await jobs.getJob(job.id)).toMatchObject({ status: 'done', progressTs: '111.1' });
    const other = await jobs.enqueue({ channelId: 'A', kind: 'segment', owner: 'one', leaseUntil: lease });
    await jobs.claimNext({ owner: 'one', leaseMs: LEASE, takeOver: false });
    await jobs.fail(other.id, 'no dataset yet');
    // A job already marked failed stays failed when its runner then finishes.
    await jobs.finish(other.id);
    expect(await jobs.getJob(other.id)).toMatchObject({ status: 'failed', error: 'no dataset yet' });
    expect((await jobs.listJobs('A')).map((j) => j.id)).toEqual([other.id, job.id]);
    expect(await jobs.listJobs('B')).toEqual([]);
    await database.close();
  });

  it('claims only a channel’s oldest unfinished job, and other channels’ jobs in parallel', async () => {
    const database = await backend.open();
    const clock = movableNow();
    const jobs = createJobStore(database, clock);
    const leaseUntil = new Date(clock.now().getTime() + LEASE);
    const a1 = await jobs.enqueue({ channelId: 'A', kind: 'segment', owner: 'one', leaseUntil });
    const a2 = await jobs.enqueue({ channelId: 'A', kind: 'segment', owner: 'two', leaseUntil });
    const b1 = await jobs.enqueue({ channelId: 'B', kind: 'segment', owner: 'two', leaseUntil });
    // "two" may not start A's second job while A's first waits or runs.
    const first = await jobs.claimNext({ owner: 'two', leaseMs: LEASE, takeOver: true });
    expect(first.claimed?.job.id).toBe(b1.id);
    expect((await jobs.claimNext({ owner: 'two', leaseMs: LEASE, takeOver: true })).claimed).toBeNull();
    expect(await jobs.countAhead('A', a2.id)).toBe(1);
    expect((await jobs.claimNext({ owner: 'one', leaseMs: LEASE, takeOver: true })).claimed?.job.id).toBe(
      a1.id,
    );
    expect((await jobs.claimNext({ owner: 'two', leaseMs: LEASE, takeOver: true })).claimed).toBeNull();
    await jobs.finish(a1.id);
    expect((await jobs.claimNext({ owner: 'two', leaseMs: LEASE, takeOver: true })).claimed?.job.id).toBe(
      a2.id,
    );
    await database.close();
  });

  it('hands the jobs of an instance whose lease ran out to another: restarted, resumed or interrupted', async () => {
    const database = await backend.open();
    const clock = movableNow();
    const jobs = createJobStore(database, clock);
    const leaseUntil = new Date(clock.now().getTime() + LEASE);
    const running = await jobs.enqueue({
      channelId: 'A',
      kind: 'segment',
      userId: 'U1',
      request: command(['segment', 'k=3']),
      owner: 'dead',
      leaseUntil,
    });
    const waiting = await jobs.enqueue({
      channelId: 'B',
      kind: 'upload',
      request: { source: 'file', fileId: 'F1', fileName: 'a.csv', threadTs: '1.1' },
      owner: 'dead',
      leaseUntil,
    });
    const localOnly = await jobs.enqueue({ channelId: 'C', kind: 'segmentation', owner: 'dead', leaseUntil });
    const afterLocal = await jobs.enqueue({
      channelId: 'C',
      kind: 'segment',
      request: command(['segment']),
      owner: 'dead',
      leaseUntil,
    });
    await jobs.claimNext({ owner: 'dead', leaseMs: LEASE, takeOver: false });
    await jobs.setProgressTs(running.id, '5.5');
    // Heartbeats keep the jobs the dead instance's while it lives.
    clock.advance(LEASE / 2);
    expect(await jobs.heartbeat('dead', LEASE)).toBe(4);
    clock.advance(LEASE / 2 + 1);
    expect((await jobs.claimNext({ owner: 'alive', leaseMs: LEASE, takeOver: true })).claimed).toBeNull();
    // No heartbeat for a whole lease: the instance is gone.
    clock.advance(LEASE);
    expect((await jobs.claimNext({ owner: 'alive', leaseMs: LEASE, takeOver: false })).claimed).toBeNull();
    const first = await jobs.claimNext({ owner: 'alive', leaseMs: LEASE, takeOver: true });
    expect(first.claimed?.how).toBe('started');
    expect(first.claimed?.job).toMatchObject({
      id: running.id,
      owner: 'alive',
      attempts: 2,
      progressTs: '5.5',
    });
    expect(first.claimed?.job.request).toEqual(command(['segment', 'k=3']));
    const second = await jobs.claimNext({ owner: 'alive', leaseMs: LEASE, takeOver: true });
    expect(second.claimed).toMatchObject({ how: 'waiting', job: { id: waiting.id } });
    // Work only the dead instance could do is reported, and the channel's next job goes on.
    const third = await jobs.claimNext({ owner: 'alive', leaseMs: LEASE, takeOver: true });
    expect(third.interrupted.map((j) => [j.id, j.status, j.error])).toEqual([
      [localOnly.id, 'interrupted', INTERRUPTED_MESSAGE],
    ]);
    expect(third.claimed).toBeNull();
    const fourth = await jobs.claimNext({ owner: 'alive', leaseMs: LEASE, takeOver: true });
    expect(fourth.claimed).toMatchObject({ how: 'waiting', job: { id: afterLocal.id } });
    await database.close();
  });

  it('hands a stopping instance’s queued jobs over at once', async () => {
    const database = await backend.open();
    const jobs = createJobStore(database);
    const leaseUntil = new Date(Date.now() + 60_000);
    await jobs.enqueue({
      channelId: 'A',
      kind: 'segment',
      request: command(['segment']),
      owner: 'old',
      leaseUntil,
    });
    await jobs.enqueue({ channelId: 'B', kind: 'segmentation', owner: 'old', leaseUntil });
    expect(await jobs.release('old')).toBe(1);
    const claim = await jobs.claimNext({ owner: 'new', leaseMs: LEASE, takeOver: true });
    expect(claim.claimed?.job.channelId).toBe('A');
    expect(claim.interrupted).toEqual([]);
    await database.close();
  });

  it('never gives one job to two claimers at once (on PostgreSQL, pooled connections)', async () => {
    const database = await backend.open();
    const jobs = createJobStore(database);
    await queueOrphans(jobs, 24, 4);
    const claimedBy = await claimConcurrently(['a', 'b', 'c', 'd'].map((name) => ({ store: jobs, name })));
    expect(claimedBy.size).toBe(24);
    await database.close();
  });
});

describe('createJobStore on SQLite files', () => {
  it('never gives one job to two connections claiming it at the same time (two processes on one file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-jobs-'));
    dirs.push(dir);
    const path = join(dir, 'segbot.sqlite');
    const one = openDatabase(path);
    const two = openDatabase(path);
    const a = createJobStore(one);
    const b = createJobStore(two);
    await queueOrphans(a, 30, 5);
    const claimedBy = await claimConcurrently([
      { store: a, name: 'one' },
      { store: b, name: 'two' },
      { store: a, name: 'one' },
      { store: b, name: 'two' },
    ]);
    expect(claimedBy.size).toBe(30);
    const all = (await a.listJobs('C0')).concat(await a.listJobs('C3'));
    expect(all.every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
    one.close();
    two.close();
  });
});
