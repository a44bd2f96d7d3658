/**
 * Trains and scores forests on several threads. Trees are handed out one at a time by index and
 * each is grown from the seed fixed for that index, so the forest is identical for any number of
 * threads (including none: the in-thread path is the same code). Big inputs are shared with the
 * workers through SharedArrayBuffers, not copied per message.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../../worker-thread.js';
import type { BinnedMatrix } from './bin-features.js';
import {
  type ForestModel,
  type ForestOptions,
  forestImage,
  packForest,
  predictForest,
  resolveForestOptions,
  type TreeArrays,
  trainForest,
  treeSeeds,
} from './random-forest.js';

export interface ParallelOptions {
  /** Worker threads; 0 runs in this thread. Default: the machine's cores, at most 4. */
  threads?: number;
  /** Below this many rows (training) the thread start-up costs more than it saves. */
  minRowsForThreads?: number;
  /** Told how many threads did the work in the end (0 when it ran in this thread). */
  onThreads?: (threads: number) => void;
}

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

function threadCount(options: ParallelOptions): number {
  return Math.max(0, Math.floor(options.threads ?? Math.min(4, availableParallelism())));
}

interface Reply {
  kind: 'ready' | 'tree' | 'scores' | 'error';
  index?: number;
  tree?: TreeArrays;
  rowStart?: number;
  scores?: Float64Array;
  message?: string;
}

/**
 * Workers left from earlier calls. Starting one costs 50-400 ms (more than scoring 100,000
 * customers), so a bot that trains and then scores, or scores again, reuses them. Idle workers do
 * not keep the process alive, and are stopped after a while without work.
 */
const idle: Worker[] = [];
const IDLE_MS = 30_000;
let idleTimer: NodeJS.Timeout | null = null;

function takeWorker(): Worker {
  let worker = idle.pop();
  if (!worker) {
    const started = startWorker(siblingModule('forest-worker', import.meta.url));
    // An idle worker that dies must leave the pool quietly: an 'error' event nobody listens to
    // would be thrown on the main thread. A busy one's failure reaches its caller as well.
    const forget = (): void => {
      const at = idle.indexOf(started);
      if (at >= 0) idle.splice(at, 1);
    };
    started.on('error', forget);
    started.on('exit', forget);
    worker = started;
  }
  worker.ref();
  return worker;
}

function returnWorker(worker: Worker, keep: number): void {
  if (idle.length >= keep) {
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
}

/**
 * Runs `jobs` on `threads` workers, giving each worker its next job when it answers. Resolves false
 * when the workers could not be started or failed, so the caller can do the work in-thread.
 */
async function runOnWorkers<J>(
  threads: number,
  init: object | null,
  jobs: J[],
  toMessage: (job: J) => object,
  onReply: (reply: Reply) => void,
): Promise<boolean> {
  const busy = new Set<Worker>();
  try {
    await Promise.all(
      Array.from({ length: Math.min(threads, jobs.length) }, async () => {
        const worker = takeWorker();
        busy.add(worker);
        const ask = (message: object): Promise<Reply> =>
          new Promise((resolve, reject) => {
            const onMessage = (reply: Reply): void => {
              worker.off('error', onError);
              if (reply.kind === 'error') reject(new Error(reply.message));
              else resolve(reply);
            };
            const onError = (error: Error): void => {
              worker.off('message', onMessage);
              reject(error);
            };
            worker.once('message', onMessage);
            worker.once('error', onError);
            worker.postMessage(message);
          });
        if (init) await ask(init);
        for (let job = jobs.shift(); job !== undefined; job = jobs.shift())
          onReply(await ask(toMessage(job)));
        // The worker forgets the training data before it waits for the next call.
        if (init) worker.postMessage({ kind: 'release' });
        busy.delete(worker);
        returnWorker(worker, threads);
      }),
    );
    return true;
  } catch {
    return false;
  } finally {
    // A worker that failed, or was still busy when another failed, is not trusted again.
    for (const worker of busy) void worker.terminate();
  }
}

/** Trains a forest on worker threads; the result equals `trainForest` with the same options. */
export async function trainForestParallel(
  data: BinnedMatrix,
  labels: Uint8Array,
  options: ForestOptions = {},
  parallel: ParallelOptions = {},
): Promise<ForestModel> {
  const threads = threadCount(parallel);
  if (threads === 0 || data.rows < (parallel.minRowsForThreads ?? 20_000)) {
    parallel.onThreads?.(0);
    return trainForest(data, labels, options);
  }
  const resolved = resolveForestOptions(options, data.cols);
  // Validation and errors come from the in-thread path, so bad input reads the same either way.
  if (labels.length !== data.rows) {
    parallel.onThreads?.(0);
    return trainForest(data, labels, options);
  }
  const seeds = treeSeeds(resolved.seed, resolved.nTrees);
  const trees: TreeArrays[] = new Array(resolved.nTrees);
  const jobs = Array.from(seeds, (seed, index) => ({ seed, index }));
  const ran = await runOnWorkers(
    threads,
    { kind: 'init', data: sharedMatrix(data), labels: shared(labels), options: resolved },
    jobs,
    (job) => ({ kind: 'grow', index: job.index, seed: job.seed }),
    (reply) => {
      trees[reply.index!] = reply.tree!;
    },
  );
  // Threads can be unavailable (a sandbox, a bundler without the worker file): same result in-thread.
  parallel.onThreads?.(ran ? Math.min(threads, resolved.nTrees) : 0);
  if (!ran) return trainForest(data, labels, options);
  return packForest(trees, data.cols, resolved);
}

/** Scores rows on worker threads; the result equals `predictForest`. */
export async function predictForestParallel(
  model: ForestModel,
  data: BinnedMatrix,
  parallel: ParallelOptions = {},
): Promise<Float64Array> {
  const threads = threadCount(parallel);
  if (threads === 0 || data.rows < (parallel.minRowsForThreads ?? 50_000)) {
    parallel.onThreads?.(0);
    return predictForest(model, data);
  }
  if (data.cols !== model.nFeatures) return predictForest(model, data); // throws the usual error
  const sharedData = sharedMatrix(data);
  const image = forestImage(model);
  const sharedImage = { ...image, bytes: shared(image.bytes) };
  const out = new Float64Array(data.rows);
  const block = Math.ceil(data.rows / (threads * 4));
  const jobs: { rowStart: number; rowEnd: number }[] = [];
  for (let start = 0; start < data.rows; start += block) {
    jobs.push({ rowStart: start, rowEnd: Math.min(data.rows, start + block) });
  }
  const blocks = jobs.length;
  const ran = await runOnWorkers(
    threads,
    null,
    jobs,
    (job) => ({ kind: 'predict', image: sharedImage, data: sharedData, ...job }),
    (reply) => out.set(reply.scores!, reply.rowStart!),
  );
  parallel.onThreads?.(ran ? Math.min(threads, blocks) : 0);
  return ran ? out : predictForest(model, data);
}
