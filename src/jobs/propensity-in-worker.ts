/**
 * Runs product-uptake training and scoring in a worker thread, one worker per job, as segmentation
 * does: the main thread keeps acknowledging Slack while a large table is modelled. The forest
 * inside still spreads its trees over its own worker threads.
 */
import {
  type CustomerScore,
  customerIds,
  type PropensityModel,
  type PropensityOptions,
  scoreTable,
  type TrainedPropensity,
  trainPropensity,
} from '../analytics/predict/train-propensity.js';
import type { IngestResult } from '../analytics/types.js';
import { yieldToEventLoop } from '../event-loop.js';
import { tableMessageBuffers, toTableMessage } from '../table-buffers.js';
import { runWorkerJob, siblingModule } from '../worker-thread.js';
import { unpackScores } from './packed-scores.js';
import type { PropensityReply, PropensityRequest, PropensityWork } from './propensity-worker.js';

/** Trains and applies propensity models (`/segbot predict`). */
export interface PropensityRunner {
  /** Aborting `signal` stops the work (the worker is terminated) and rejects. */
  train(ingest: IngestResult, options: PropensityOptions, signal?: AbortSignal): Promise<TrainedPropensity>;
  score(model: PropensityModel, ingest: IngestResult, signal?: AbortSignal): Promise<CustomerScore[]>;
}

/** The same work on the calling thread, trees included: for tests. */
export const inThreadPropensity: PropensityRunner = {
  train: (ingest, options) => trainPropensity(ingest, options),
  score: (model, ingest) => scoreTable(model, ingest),
};

/** A runner that does each call in its own worker thread. */
export function createWorkerPropensity(
  workerUrl = siblingModule('propensity-worker', import.meta.url),
): PropensityRunner {
  // The table goes as a message: numeric columns copied a column per turn of the event loop and
  // moved, text columns packed into bytes; the caller keeps its own table (it reads the ids after).
  const run = async (
    work: PropensityWork,
    ingest: IngestResult,
    signal: AbortSignal | undefined,
  ): Promise<PropensityReply> => {
    const table = await toTableMessage(ingest.table, yieldToEventLoop, { copy: true });
    const { table: _, ...rest } = ingest;
    return runWorkerJob<PropensityRequest, PropensityReply>({
      url: workerUrl,
      request: { ...work, ingest: rest, table },
      transfer: tableMessageBuffers(table),
      what: 'The prediction',
      advice: 'Try again; if it keeps happening the table may be too large for this server’s memory.',
      ...(signal ? { signal } : {}),
    });
  };
  return {
    train: async (ingest, options, signal) => {
      const reply = await run({ kind: 'train', options }, ingest, signal);
      if (reply.type !== 'trained') throw new Error(`unexpected reply ${reply.type}`);
      const result = { ...reply.result, scores: unpackScores(reply.scores, customerIds(ingest)) };
      return { result, model: reply.model };
    },
    score: async (model, ingest, signal) => {
      const reply = await run({ kind: 'score', model }, ingest, signal);
      if (reply.type !== 'scored') throw new Error(`unexpected reply ${reply.type}`);
      return unpackScores(reply.scores, customerIds(ingest));
    },
  };
}
