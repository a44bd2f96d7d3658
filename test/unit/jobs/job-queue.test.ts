import { describe, expect, it } from 'vitest';
import { CancelledError, SegbotError, TimeBudgetError, userMessage } from '../../../src/errors.js';
import { createJobQueue } from '../../../src/jobs/job-queue.js';

/** A job whose end the test decides; records when it starts and ends in a shared log. */
function gate(log: string[], name: string) {
  let release!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return {
    job: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    release,
    fail,
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createJobQueue', () => {
  it('runs the jobs of one channel one after another, in arrival order', async () => {
    const queue = createJobQueue({ concurrency: 4 });
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const c = gate(log, 'c');
    const results = [queue.run('C1', a.job), queue.run('C1', b.job), queue.run('C1', c.job)];
    await tick();
    expect(log).toEqual(['start a']);
    expect(queue.pending('C1')).toBe(3);
    b.release(); // b may finish early, but must not start before a ends
    c.release();
    await tick();
    expect(log).toEqual(['start a']);
    a.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.pending()).toBe(0);
  });

  it('runs different channels in parallel up to the limit', async () => {
    const queue = createJobQueue({ concurrency: 2 });
    const log: string[] = [];
    const a = gate(log, 'C1');
    const b = gate(log, 'C2');
    const c = gate(log, 'C3');
    const results = [queue.run('C1', a.job), queue.run('C2', b.job), queue.run('C3', c.job)];
    await tick();
    expect(log).toEqual(['start C1', 'start C2']);
    b.release();
    await tick();
    await tick();
    expect(log).toEqual(['start C1', 'start C2', 'end C2', 'start C3']);
    a.release();
    c.release();
    await Promise.all(results);
  });

  it('gives a waiting channel its turn before a busy channel runs its next job', async () => {
    const queue = createJobQueue({ concurrency: 1 });
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const all = [queue.run('A', a1.job), queue.run('A', a2.job), queue.run('B', b1.job)];
    a2.release();
    b1.release();
    a1.release();
    await Promise.all(all);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a1', 'start b1', 'start a2']);
  });

  it('passes a failure to its caller and keeps running the next job', async () => {
    const queue = createJobQueue({ concurrency: 1 });
    const failing = queue.run('C1', async () => {
      throw new Error('boom');
    });
    const syncThrow = queue.run('C1', () => {
      throw new Error('sync boom');
    });
    const next = queue.run('C1', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(syncThrow).rejects.toThrow('sync boom');
    await expect(next).resolves.toBe('next');
  });

  it('refuses new work after close and waits for accepted jobs', async () => {
    const queue = createJobQueue({ concurrency: 1 });
    const log: string[] = [];
    const a = gate(log, 'a');
    const running = queue.run('C1', a.job);
    const closed = queue.close();
    let closedYet = false;
    void closed.then(() => {
      closedYet = true;
    });
    await expect(queue.run('C2', async () => 'late')).rejects.toBeInstanceOf(SegbotError);
    await tick();
    expect(closedYet).toBe(false);
    a.release();
    await running;
    await closed;
    expect(closedYet).toBe(true);
  });

  it('aborts a job that runs past its time budget with a message naming the job', async () => {
    const queue = createJobQueue({ concurrency: 1, timeoutMs: 20 });
    // Honours its signal the way a worker job does: it rejects with the abort reason.
    const slow = (signal: AbortSignal) =>
      new Promise<string>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const outcome = queue.run('C1', slow, 'segmentation');
    await expect(outcome).rejects.toBeInstanceOf(TimeBudgetError);
    const error = await outcome.catch((e: unknown) => e);
    expect(userMessage(error)).toContain('The segmentation ran longer than 0.02 seconds and was stopped');
    expect(userMessage(error)).toContain('SEGBOT_JOB_TIMEOUT_SECONDS');
    // The channel is free again: the next job runs, and one within its budget is not aborted.
    let seen: AbortSignal | undefined;
    await expect(
      queue.run('C1', async (signal) => {
        seen = signal;
        return 'quick';
      }),
    ).resolves.toBe('quick');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(seen?.aborted).toBe(false);
  });

  it('cancel aborts running jobs and fails waiting ones without starting them', async () => {
    const queue = createJobQueue({ concurrency: 2 });
    const started: string[] = [];
    const honours = (name: string) => (signal: AbortSignal) =>
      new Promise<string>((_resolve, reject) => {
        started.push(name);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const a = queue.run('C1', honours('a'));
    const b = queue.run('C2', honours('b'));
    const waiting = queue.run('C1', honours('waiting'));
    await tick();
    const closed = queue.close();
    const reason = new CancelledError('segbot is shutting down.');
    queue.cancel(reason);
    await expect(a).rejects.toBe(reason);
    await expect(b).rejects.toBe(reason);
    await expect(waiting).rejects.toBe(reason);
    await closed;
    expect(started).toEqual(['a', 'b']);
    expect(queue.pending()).toBe(0);
  });

  it('rejects a nonsensical concurrency', () => {
    expect(() => createJobQueue({ concurrency: 0 })).toThrow(RangeError);
  });
});
