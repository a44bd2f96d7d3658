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
import { runWorkerJob, siblingModule } from '../worker-thread.js';
import { unpackScores } from './packed-scores.js';
import type { PropensityReply, PropensityRequest } from './propensity-worker.js';

/** Trains and applies propensity models (`/segbot predict`). */
export interface PropensityRunner {
  train(ingest: IngestResult, options: PropensityOptions): Promise<TrainedPropensity>;
  score(model: PropensityModel, ingest: IngestResult): Promise<CustomerScore[]>;
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
  const run = (request: PropensityRequest): Promise<PropensityReply> =>
    runWorkerJob<PropensityRequest, PropensityReply>({
      url: workerUrl,
      request,
      what: 'The prediction',
      advice: 'Try again; if it keeps happening the table may be too large for this server’s memory.',
    });
  return {
    train: async (ingest, options) => {
      const reply = await run({ kind: 'train', ingest, options });
      if (reply.type !== 'trained') throw new Error(`unexpected reply ${reply.type}`);
      const result = { ...reply.result, scores: unpackScores(reply.scores, customerIds(ingest)) };
      return { result, model: reply.model };
    },
    score: async (model, ingest) => {
      const reply = await run({ kind: 'score', ingest, model });
      if (reply.type !== 'scored') throw new Error(`unexpected reply ${reply.type}`);
      return unpackScores(reply.scores, customerIds(ingest));
    },
  };
}
