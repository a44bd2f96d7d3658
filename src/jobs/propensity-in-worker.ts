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
import { siblingModule } from '../worker-thread.js';
import { unpackScores } from './packed-scores.js';
import type { PropensityReply, PropensityRequest } from './propensity-worker.js';
import { deserializeError } from './serialize-error.js';
import { runWorkerJob } from './worker-job.js';

/** Trains and applies propensity models (`/segbot predict`). */
export interface PropensityRunner {
  train(ingest: IngestResult, options: PropensityOptions): Promise<TrainedPropensity>;
  score(model: PropensityModel, ingest: IngestResult): Promise<CustomerScore[]>;
}

/** The same work on the calling thread: for the CLI and for tests. */
export const inThreadPropensity: PropensityRunner = {
  train: (ingest, options) => trainPropensity(ingest, options),
  score: (model, ingest) => scoreTable(model, ingest),
};

function runInWorker<T>(
  url: URL,
  request: PropensityRequest,
  unpack: (reply: PropensityReply) => T,
): Promise<T> {
  return runWorkerJob<PropensityReply, T>({
    url,
    request,
    what: 'The prediction',
    advice: 'Try again; if it keeps happening the table may be too large for this server’s memory.',
    onMessage: (reply) =>
      reply.type === 'error' ? { error: deserializeError(reply.error) } : { value: unpack(reply) },
  });
}

/** A runner that does each call in its own worker thread. */
export function createWorkerPropensity(
  workerUrl = siblingModule('propensity-worker', import.meta.url),
): PropensityRunner {
  return {
    train: (ingest, options) =>
      runInWorker(workerUrl, { kind: 'train', ingest, options }, (reply) => {
        if (reply.type !== 'trained') throw new Error(`unexpected reply ${reply.type}`);
        const result = { ...reply.result, scores: unpackScores(reply.scores, customerIds(ingest)) };
        return { result, model: reply.model };
      }),
    score: (model, ingest) =>
      runInWorker(workerUrl, { kind: 'score', ingest, model }, (reply) => {
        if (reply.type !== 'scored') throw new Error(`unexpected reply ${reply.type}`);
        return unpackScores(reply.scores, customerIds(ingest));
      }),
  };
}
