/**
 * A TreeRunner that grows and scores forests on several worker threads (and trains a boosted model
 * on one of them, beside a forest's trees). Trees are handed out one at
 * a time and each is grown from the seed fixed for its index, so the forest is identical for any
 * number of threads (including none: below a size, or when threads cannot start, the work stays on
 * the calling thread). Big inputs are shared with the workers through SharedArrayBuffers, not
 * copied per message.
 */
import { availableParallelism } from 'node:os';
import type { BinnedMatrix } from '../analytics/predict/bin-features.js';
import type { ForestImage } from '../analytics/predict/forest-kernel.js';
import type { BoostedModel } from '../analytics/predict/gradient-boosting.js';
import type { GrowRequest, TreeArrays } from '../analytics/predict/random-forest.js';
import { type BoostRequest, callingThreadTrees, type TreeRunner } from '../analytics/predict/tree-runner.js';
import { connectWorker, siblingModule, type WorkerConnection } from '../worker-thread.js';
import type { ForestReply, ForestRequest } from './forest-worker.js';

export interface ForestPoolOptions {
  /** Worker threads; 0 runs everything on the calling thread. Default: the machine's cores, at most 4. */
  threads?: number;
  /**
   * Below this many training rows the trees grow on the calling thread (default 2,000): thread
   * start-up would cost more than it saves. Above it, threads are used even where one thread would
   * be quick enough, so a few seconds of training never hold up the thread that answers Slack.
   */
  minRowsForTraining?: number;
  /** Below this many rows to score, scoring stays on the calling thread (default 50,000). */
  minRowsForScoring?: number;
  /** Told how many threads did each piece of work (0 when it ran on the calling thread). */
  onThreads?: (threads: number) => void;
}

/** A thread pool for forests; `close` ends its idle workers. */
export interface ForestPool extends TreeRunner {
  close(): Promise<void>;
}

type ForestWorker = WorkerConnection<ForestRequest, ForestReply>;

type Typed = Uint8Array | Uint16Array | Int16Array | Int32Array | Float32Array | Float64Array;

function shared<T extends Typed>(array: T): T {
  const buffer = new SharedArrayBuffer(array.byteLength);
  const copy = new (array.constructor as new (b: SharedArrayBuffer) => T)(buffer);
  copy.set(array as never);
  return copy;
}

function sharedMatrix(data: BinnedMatrix): BinnedMatrix {
  return { ...data, codes: shared(data.codes) };
}

/**
 * Idle workers are kept between calls: starting one costs 50-400 ms (more than scoring 100,000
 * customers), so training and then scoring reuses them. Idle workers do not keep the process alive,
 * and are stopped after a while without work.
 */
const IDLE_MS = 30_000;

/** Creates a pool; workers start on first use. */
export function createForestPool(options: ForestPoolOptions = {}): ForestPool {
  const threads = Math.max(0, Math.floor(options.threads ?? Math.min(4, availableParallelism())));
  const minRowsForTraining = options.minRowsForTraining ?? 2_000;
  const minRowsForScoring = options.minRowsForScoring ?? 50_000;
  const idle: ForestWorker[] = [];
  let idleTimer: NodeJS.Timeout | null = null;

  const take = (): ForestWorker => {
    let worker = idle.pop();
    while (worker && !worker.alive) worker = idle.pop();
    worker ??= connectWorker<ForestRequest, ForestReply>({
      url: siblingModule('forest-worker', import.meta.url),
      what: 'The forest',
      advice: 'Try again; if it keeps happening the table may be too large for this server’s memory.',
    });
    worker.ref();
    return worker;
  };

  const giveBack = (worker: ForestWorker): void => {
    if (idle.length >= threads) {
      void worker.terminate();
      return;
    }
    worker.unref();
    idle.push(worker);
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      for (const spare of idle.splice(0)) void spare.terminate();
    }, IDLE_MS);
    idleTimer.unref();
  };

  /**
   * Runs `jobs` on up to `threads` workers, giving each worker its next job when it answers.
   * Resolves false when a worker could not start or failed, so the caller can do the work itself.
   */
  const runOnWorkers = async <J>(
    init: ForestRequest | null,
    jobs: J[],
    toRequest: (job: J) => ForestRequest,
    onReply: (job: J, reply: ForestReply) => void,
  ): Promise<boolean> => {
    const busy = new Set<ForestWorker>();
    try {
      await Promise.all(
        Array.from({ length: Math.min(threads, jobs.length) }, async () => {
          const worker = take();
          busy.add(worker);
          if (init) await worker.request(init);
          for (let job = jobs.shift(); job !== undefined; job = jobs.shift())
            onReply(job, await worker.request(toRequest(job)));
          // The worker forgets the training data before it waits for the next call.
          if (init) await worker.request({ kind: 'release' });
          busy.delete(worker);
          giveBack(worker);
        }),
      );
      return true;
    } catch {
      return false;
    } finally {
      // A worker that failed, or was still busy when another failed, is not trusted again.
      for (const worker of busy) void worker.terminate();
    }
  };

  const report = (used: number): void => options.onThreads?.(used);

  return {
    async growTrees(request: GrowRequest): Promise<TreeArrays[]> {
      const { data, labels, seeds } = request;
      if (threads > 0 && data.rows >= minRowsForTraining) {
        const trees: TreeArrays[] = new Array(seeds.length);
        const ran = await runOnWorkers(
          { kind: 'init', data: sharedMatrix(data), labels: shared(labels), options: request.options },
          Array.from(seeds, (seed, index) => ({ seed, index })),
          (job) => ({ kind: 'grow', seed: job.seed }),
          (job, reply) => {
            if (reply === null || reply instanceof Float64Array) throw new Error('expected a tree');
            trees[job.index] = reply;
          },
        );
        if (ran) {
          report(Math.min(threads, seeds.length));
          return trees;
        }
      }
      // Threads can be unavailable (a sandbox, a bundler without the worker file): same trees here.
      report(0);
      return callingThreadTrees.growTrees(request);
    },

    async boost(request: BoostRequest): Promise<BoostedModel> {
      const { data, labels } = request;
      if (threads > 0 && data.rows >= minRowsForTraining) {
        let model: BoostedModel | null = null;
        const ran = await runOnWorkers(
          null,
          [{ kind: 'boost', request: { ...request, data: sharedMatrix(data), labels: shared(labels) } }],
          (job: ForestRequest) => job,
          (_job, reply) => {
            if (reply === null || !('kind' in reply) || reply.kind !== 'boosting')
              throw new Error('expected a model');
            model = reply;
          },
        );
        if (ran && model !== null) {
          report(1);
          return model;
        }
      }
      report(0);
      return callingThreadTrees.boost(request);
    },

    async scoreRows(image: ForestImage, data: BinnedMatrix): Promise<Float64Array> {
      if (threads > 0 && data.rows >= minRowsForScoring) {
        const sharedData = sharedMatrix(data);
        const sharedImage = { ...image, bytes: shared(image.bytes) };
        const out = new Float64Array(data.rows);
        const block = Math.ceil(data.rows / (threads * 4));
        const jobs: { rowStart: number; rowEnd: number }[] = [];
        for (let start = 0; start < data.rows; start += block) {
          jobs.push({ rowStart: start, rowEnd: Math.min(data.rows, start + block) });
        }
        const blocks = jobs.length;
        const ran = await runOnWorkers(
          null,
          jobs,
          (job) => ({ kind: 'score', image: sharedImage, data: sharedData, ...job }),
          (job, reply) => {
            if (!(reply instanceof Float64Array)) throw new Error('expected scores');
            out.set(reply, job.rowStart);
          },
        );
        if (ran) {
          report(Math.min(threads, blocks));
          return out;
        }
      }
      report(0);
      return callingThreadTrees.scoreRows(image, data);
    },

    async close(): Promise<void> {
      if (idleTimer) clearTimeout(idleTimer);
      await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
    },
  };
}
