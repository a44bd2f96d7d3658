import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { createJobStore } from '../../../db/repositories/job-store.js';
import { ARRIVAL_WAIT_MS, createSharedJobs } from '../../../src/jobs/shared-jobs.js';

function sharedJobs() {
  const database = openDatabase(':memory:');
  const jobs = createSharedJobs({ store: createJobStore(database), concurrency: 2, leaseMs: 30_000 });
  return { jobs, close: async () => database.close() };
}

/** Which of `promises` have settled, after pending callbacks ran. */
async function settled(promises: Promise<unknown>[]): Promise<boolean[]> {
  const done = promises.map(() => false);
  promises.forEach((p, i) => {
    void p.then(() => {
      done[i] = true;
    });
  });
  for (let k = 0; k < 10; k++) await Promise.resolve();
  return done;
}

describe('a channel’s line of arriving requests', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a request queue its job only once every earlier request of its channel has left', async () => {
    const { jobs, close } = sharedJobs();
    const first = jobs.arrive('C1');
    const second = jobs.arrive('C1');
    const third = jobs.arrive('C1');
    const elsewhere = jobs.arrive('C2');
    const waits = [first.ready(), second.ready(), third.ready(), elsewhere.ready()];
    expect(await settled(waits)).toEqual([true, false, false, true]);
    // The third leaves early (its request ended without a job): the second still waits for the first.
    third.leave();
    expect(await settled(waits)).toEqual([true, false, false, true]);
    first.leave();
    expect(await settled(waits)).toEqual([true, true, false, true]);
    second.leave();
    second.leave(); // twice is harmless
    expect(await settled(waits)).toEqual([true, true, true, true]);
    // A later arrival finds the line empty.
    expect(await settled([jobs.arrive('C1').ready()])).toEqual([true]);
    await close();
  });

  it('stops waiting for a request that never leaves after ARRIVAL_WAIT_MS', async () => {
    vi.useFakeTimers();
    const { jobs, close } = sharedJobs();
    jobs.arrive('C1'); // stuck: never leaves
    const next = jobs.arrive('C1').ready();
    expect(await settled([next])).toEqual([false]);
    await vi.advanceTimersByTimeAsync(ARRIVAL_WAIT_MS - 1);
    expect(await settled([next])).toEqual([false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled([next])).toEqual([true]);
    await close();
  });
});
