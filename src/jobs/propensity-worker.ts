/**
 * Worker-thread entry for product-uptake models: trains (or scores with) a propensity model off the
 * main thread. Binning, the logistic baseline and sorting a million scores take seconds of
 * synchronous work that would otherwise hold up every channel's acknowledgements.
 *
 * Protocol: the parent sends one request; the worker answers with one reply: 'trained', 'scored'
 * or 'error'.
 */
import { parentPort } from 'node:worker_threads';
import {
  type PropensityModel,
  type PropensityOptions,
  type PropensityResult,
  scoreTable,
  trainPropensity,
} from '../analytics/predict/train-propensity.js';
import type { IngestResult } from '../analytics/types.js';
import { type PackedScores, packScores, transferList } from './packed-scores.js';
import { type SerializedError, serializeError } from './serialize-error.js';

export type PropensityRequest =
  | { kind: 'train'; ingest: IngestResult; options: PropensityOptions }
  | { kind: 'score'; ingest: IngestResult; model: PropensityModel };

/** The result's scores travel packed, beside it. */
export type PropensityReply =
  | { type: 'trained'; result: PropensityResult; model: PropensityModel | null; scores: PackedScores }
  | { type: 'scored'; scores: PackedScores }
  | { type: 'error'; error: SerializedError };

if (parentPort) {
  const port = parentPort;
  port.once('message', async (request: PropensityRequest) => {
    try {
      if (request.kind === 'train') {
        const { result, model } = await trainPropensity(request.ingest, request.options);
        const scores = packScores(result.scores);
        const reply: PropensityReply = { type: 'trained', result: { ...result, scores: [] }, model, scores };
        port.postMessage(reply, transferList(scores));
      } else {
        const scores = packScores(await scoreTable(request.model, request.ingest));
        const reply: PropensityReply = { type: 'scored', scores };
        port.postMessage(reply, transferList(scores));
      }
    } catch (error) {
      port.postMessage({ type: 'error', error: serializeError(error) });
    }
  });
}
