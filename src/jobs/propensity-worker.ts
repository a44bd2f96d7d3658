/**
 * Worker-thread entry for product-uptake models: trains (or scores with) a propensity model off the
 * main thread. Binning, the logistic baseline and sorting a million scores take seconds of
 * synchronous work that would otherwise hold up every channel's acknowledgements. The forest's
 * trees grow on a pool of further threads, for this request only.
 */
import {
  type PropensityModel,
  type PropensityOptions,
  type PropensityResult,
  scoreTable,
  trainPropensity,
} from '../analytics/predict/train-propensity.js';
import type { IngestResult } from '../analytics/types.js';
import { fromTableMessage, type TableMessage } from '../table-buffers.js';
import { serveRequests } from '../worker-thread.js';
import { createForestPool } from './forest-pool.js';
import { type PackedScores, packScores, transferList } from './packed-scores.js';

/** What to do with the table. */
export type PropensityWork =
  | { kind: 'train'; options: PropensityOptions }
  | { kind: 'score'; model: PropensityModel };

/** The ingest travels without its table, which comes beside it as a message (moved, not copied). */
export type PropensityRequest = PropensityWork & { ingest: Omit<IngestResult, 'table'>; table: TableMessage };

/** The result's scores travel packed, beside it. */
export type PropensityReply =
  | { type: 'trained'; result: PropensityResult; model: PropensityModel | null; scores: PackedScores }
  | { type: 'scored'; scores: PackedScores };

serveRequests<PropensityRequest, PropensityReply>(async (request) => {
  const ingest: IngestResult = { ...request.ingest, table: await fromTableMessage(request.table) };
  const pool = createForestPool();
  try {
    if (request.kind === 'train') {
      const { result, model } = await trainPropensity(ingest, request.options, pool);
      const scores = packScores(result.scores);
      return {
        value: { type: 'trained', result: { ...result, scores: [] }, model, scores },
        transfer: transferList(scores),
      };
    }
    const scores = packScores(await scoreTable(request.model, ingest, pool));
    return { value: { type: 'scored', scores }, transfer: transferList(scores) };
  } finally {
    await pool.close();
  }
});
