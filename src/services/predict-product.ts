/**
 * The prediction use case: who is likely to take up a product, on a channel's dataset. Trains a
 * propensity model, or reuses the stored one while the data and the seed are unchanged, and scores
 * every non-holder, one segment's non-holders, or exactly the customers of a list.
 */
import type { DatasetRecord, DatasetStore } from '../../db/repositories/dataset-store.js';
import type { ModelStore } from '../../db/repositories/model-store.js';
import type { RunStore } from '../../db/repositories/run-store.js';
import { decileOf } from '../analytics/predict/evaluate.js';
import {
  ALL_FEATURES,
  type CustomerScore,
  type FeatureSelection,
  matchCustomers,
  normalizeSelection,
  type PropensityResult,
} from '../analytics/predict/train-propensity.js';
import type { IngestResult } from '../analytics/types.js';
import { BadInputError, StoredFormatError } from '../errors.js';
import type { PropensityRunner } from '../jobs/propensity-in-worker.js';
import { matchSegment } from '../text/match-segment.js';
import { parseStoredPrediction, type StoredPrediction, storedPrediction } from './stored-prediction.js';

/** What predicting needs. */
export interface PredictionDeps {
  datasets: Pick<DatasetStore, 'loadTable'>;
  runs: Pick<RunStore, 'latestRun' | 'loadAssignments'>;
  models: Pick<ModelStore, 'findModel' | 'saveModel'>;
  /** Trains and applies models; the app does it in a worker thread. */
  propensity: PropensityRunner;
}

export interface PredictionRequest {
  channelId: string;
  dataset: DatasetRecord;
  /** The product column (resolved from what the person typed). */
  product: string;
  /** The product column's value to predict ("Attrited Customer"), or null for the default one. */
  positive?: string | null;
  /** features= and exclude= as asked (default: every usable column). */
  selection?: FeatureSelection;
  seed: number;
  /** Score exactly these customers (from a shared list) instead of the non-holders. */
  customers?: { ids: string[]; file: string };
  /** Score only the non-holders of this segment (a name or number) of the dataset's latest run. */
  segment?: string;
  /** Stops training or scoring (a time budget, a shutdown); nothing is stored then. */
  signal?: AbortSignal;
}

export interface Prediction {
  result: PropensityResult;
  /** True when the stored model was applied instead of training a new one. */
  reused: boolean;
  /** The segment scored, when the request named one. */
  segmentName: string | null;
}

/**
 * Predicts uptake of `request.product`. Reuse policy: the newest model stored for this channel,
 * dataset and product is applied when it was trained on the same table (fingerprint) with the
 * same seed and the same features= and exclude=; otherwise a new model is trained and stored. A stored model this version cannot read
 * counts as absent: it is only a cache, and the new model replaces it.
 */
export async function predictProduct(deps: PredictionDeps, request: PredictionRequest): Promise<Prediction> {
  const { dataset, channelId, product } = request;
  const ingest: IngestResult = {
    table: await deps.datasets.loadTable(dataset.id),
    schema: dataset.schema,
    quality: dataset.quality,
  };
  const scored = request.segment ? await segmentRows(deps, channelId, dataset, request.segment) : null;
  const stored = await reusableModel(deps, request);
  if (stored) {
    const all = await deps.propensity.score(stored.model, ingest, request.signal);
    return {
      result: rescore(stored, all, request.customers, scored?.rows),
      reused: true,
      segmentName: scored?.name ?? null,
    };
  }
  const trained = await deps.propensity.train(
    ingest,
    {
      product: request.positive ? `${product}=${request.positive}` : product,
      selection: request.selection ?? ALL_FEATURES,
      seed: request.seed,
      ...(request.customers
        ? { customers: request.customers.ids, customersFile: request.customers.file }
        : {}),
      ...(scored ? { scoreRows: scored.rows } : {}),
    },
    request.signal,
  );
  const { result, model } = trained;
  if (model) {
    await deps.models.saveModel({
      channelId,
      datasetId: dataset.id,
      product,
      model: { format: 'json', value: storedPrediction(model, result) },
      metrics: { auc: result.auc, baseRate: result.baseRate, liftTopDecile: result.liftTopDecile },
      transform: model.binner,
    });
  }
  return { result, reused: false, segmentName: scored?.name ?? null };
}

/**
 * The choices (features= and exclude=, the value predicted, the seed) of the newest model stored
 * for this product on this dataset, so a later request for "the same prediction" (the Export
 * scored CSV button) reuses that model instead of training one on every column; null when none
 * is stored or it cannot be read.
 */
export async function storedChoices(
  deps: Pick<PredictionDeps, 'models'>,
  channelId: string,
  dataset: DatasetRecord,
  product: string,
): Promise<Pick<PredictionRequest, 'selection' | 'positive' | 'seed'> | null> {
  const record = await deps.models.findModel(channelId, dataset.id, product);
  if (record?.model.format !== 'json') return null;
  try {
    const { result } = parseStoredPrediction(record.model.value);
    return { selection: result.selection, positive: result.askedValue, seed: result.params.seed };
  } catch (error) {
    if (error instanceof StoredFormatError) return null;
    throw error;
  }
}

/** The stored model for this request when the reuse policy allows it, else null. */
async function reusableModel(
  deps: PredictionDeps,
  request: PredictionRequest,
): Promise<StoredPrediction | null> {
  const record = await deps.models.findModel(request.channelId, request.dataset.id, request.product);
  if (record?.model.format !== 'json') return null;
  let stored: StoredPrediction;
  try {
    stored = parseStoredPrediction(record.model.value);
  } catch (error) {
    if (error instanceof StoredFormatError) return null;
    throw error;
  }
  const sameData = stored.model.fingerprint === request.dataset.fingerprint;
  const wanted = normalizeSelection(
    { schema: request.dataset.schema, table: { fileName: request.dataset.fileName } },
    request.product,
    request.selection ?? ALL_FEATURES,
  );
  const sameFeatures = JSON.stringify(stored.result.selection) === JSON.stringify(wanted);
  const sameTarget =
    (stored.result.askedValue ?? '').toLowerCase() === (request.positive ?? '').toLowerCase();
  return sameData && sameFeatures && sameTarget && stored.result.params.seed === request.seed ? stored : null;
}

/** Rows of one segment of the latest segmentation of this dataset. */
async function segmentRows(
  deps: PredictionDeps,
  channelId: string,
  dataset: DatasetRecord,
  query: string,
): Promise<{ rows: number[]; name: string }> {
  const run = await deps.runs.latestRun(channelId, { status: 'done' });
  if (!run || run.datasetId !== dataset.id) {
    throw new BadInputError('There is no segmentation of the latest data to pick a segment from.', {
      hint: 'Run `/segbot segment` first, or leave out segment=.',
    });
  }
  const segment = matchSegment(run.segments, query);
  const labels = await deps.runs.loadAssignments(run.id);
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === segment.index) rows.push(i);
  return { rows, name: segment.name };
}

/** A stored model's result with fresh scores (`all`, every customer): the metrics are the stored ones. */
function rescore(
  stored: StoredPrediction,
  all: CustomerScore[],
  list: PredictionRequest['customers'],
  rows: number[] | undefined,
): PropensityResult {
  let scores: CustomerScore[];
  let customerList: PropensityResult['customerList'] = null;
  const ids = all.map((s) => s.customerId);
  if (list) {
    const matched = matchCustomers(ids, list.ids, list.file);
    const wanted = new Set(matched.rows.map((r) => ids[r]!));
    scores = all.filter((s) => wanted.has(s.customerId));
    customerList = matched.report;
  } else {
    scores = all.filter((s) => !s.holds);
    if (rows) {
      const allowed = new Set(rows);
      scores = scores.filter((s) => allowed.has(s.row));
    }
  }
  // Deciles rank the scored customers among themselves, as a fresh model's would.
  const deciles = decileOf(scores.map((s) => s.probability));
  return { ...stored.result, customerList, scores: scores.map((s, i) => ({ ...s, decile: deciles[i]! })) };
}
