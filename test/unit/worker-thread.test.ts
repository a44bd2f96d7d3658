import { describe, expect, it } from 'vitest';
import { BadInputError, CancelledError, TooLargeError, userMessage } from '../../src/errors.js';
import { connectWorker, runWorkerJob, type WorkerSpec } from '../../src/worker-thread.js';
import type { TestRequest } from '../helpers/test-worker.js';

const spec: WorkerSpec = {
  url: new URL('../helpers/test-worker.ts', import.meta.url),
  what: 'The test job',
  advice: 'Try again.',
};

const run = (
  request: TestRequest,
  options: { signal?: AbortSignal; onProgress?: (n: number) => void } = {},
) => runWorkerJob<TestRequest, string, number>({ ...spec, ...options, request });

describe('runWorkerJob', () => {
  it('answers on a worker thread, with progress on the way', async () => {
    const steps: number[] = [];
    await expect(
      run({ kind: 'echo', text: 'hello', steps: 3 }, { onProgress: (n) => steps.push(n) }),
    ).resolves.toBe('HELLO');
    expect(steps).toEqual([1, 2, 3]);
  });

  it('brings a coded error back as the same class, message, hint and location', async () => {
    const error = await run({ kind: 'bad-input' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect(userMessage(error)).toBe('c.csv, line 3: Row 3 has no id.\nFill in the id column.');
    expect((error as Error).stack).toContain('test-worker');
  });

  it('brings any other error back as its class name only, never its message', async () => {
    const error = await run({ kind: 'range-error', secret: 'C-4711' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('RangeError');
    expect(String((error as Error).message)).not.toContain('C-4711');
    expect(String((error as Error).stack)).not.toContain('C-4711');
    expect(userMessage(error)).toMatch(/^Something went wrong/);
  });

  it('cancels a job that is running: the worker is stopped and the job rejects as cancelled', async () => {
    const controller = new AbortController();
    const pending = run({ kind: 'spin' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(userMessage(error)).toMatch(/^The test job was cancelled/);
  });

  it('rejects with the signal’s reason when it is a coded error (a time budget says why)', async () => {
    const budget = new TooLargeError('The job took longer than its 1 s budget.');
    const error = await run({ kind: 'spin' }, { signal: AbortSignal.abort(budget) }).catch((e: unknown) => e);
    expect(error).toBe(budget);
  });

  it('fails only the job whose worker exits, with a message a user can read', async () => {
    const error = await run({ kind: 'exit' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(userMessage(error)).toBe('The test job stopped unexpectedly (worker exit code 3).\nTry again.');
  });
});

describe('connectWorker', () => {
  it('serves many requests on one worker, and fails them all once it is terminated', async () => {
    const worker = connectWorker<TestRequest, string, number>(spec);
    try {
      const answers = await Promise.all([
        worker.request({ kind: 'echo', text: 'a', steps: 0 }),
        worker.request({ kind: 'echo', text: 'b', steps: 0 }),
      ]);
      expect(answers).toEqual(['A', 'B']);
      const spinning = worker.request({ kind: 'spin' }).catch((e: unknown) => e);
      await worker.terminate();
      expect(await spinning).toBeInstanceOf(CancelledError);
      expect(worker.alive).toBe(false);
      await expect(worker.request({ kind: 'echo', text: 'c', steps: 0 })).rejects.toThrow(
        /had already stopped/,
      );
    } finally {
      await worker.terminate();
    }
  });
});
