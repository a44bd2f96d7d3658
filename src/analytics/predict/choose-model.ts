/**
 * The three candidate models for a propensity (gradient boosting, the random forest, a logistic
 * regression), trained on the same rows, and the choice between them. The choice looks only at a
 * validation slice of the training customers: the held-out test customers are never passed in, so
 * the test numbers reported afterwards are not the numbers the choice was made on.
 */
import { type BinnedMatrix, type FeatureColumn, selectRows } from './bin-features.js';
import { rocAuc, stratifiedSplit } from './evaluate.js';
import type { BoostedModel, BoostingOptions } from './gradient-boosting.js';
import { fitLogistic, type LogisticModel, predictLogistic } from './logistic-regression.js';
import { type ForestModel, type ForestOptions, normalized } from './random-forest.js';
import { predictBoostingWith, predictForestWith, type TreeRunner, trainForestWith } from './tree-runner.js';

/** The candidate models, in the order they are listed (and preferred on an exact tie). */
export const MODEL_KINDS = ['boosting', 'forest', 'logistic'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** How each model is named to people. */
export const MODEL_NAMES: Record<ModelKind, string> = {
  boosting: 'boosting',
  forest: 'forest',
  logistic: 'logistic',
};

/** A candidate's AUC on the validation slice (the choice) and on the held-out test (the report). */
export interface ModelScore {
  model: ModelKind;
  validationAuc: number | null;
  testAuc: number | null;
}

export type FittedModel =
  | { kind: 'boosting'; boosting: BoostedModel }
  | { kind: 'forest'; forest: ForestModel }
  | { kind: 'logistic'; logistic: LogisticModel };

/** Everything the candidates are trained from: every row of the table, features in both forms. */
export interface Candidates {
  /** Features as read from the table (for the logistic regression). */
  columns: readonly FeatureColumn[];
  /** The same features binned (for the tree models). */
  binned: BinnedMatrix;
  /** 0/1 per table row (255 = unlabelled; such rows are never passed as training rows). */
  labels: Uint8Array;
  forest: ForestOptions;
  boosting: BoostingOptions;
  runner: TreeRunner;
}

function pickColumns(columns: readonly FeatureColumn[], rows: ArrayLike<number>): FeatureColumn[] {
  return columns.map((c) => {
    if (c.kind === 'numeric') {
      const values = new Float64Array(rows.length);
      for (let k = 0; k < rows.length; k++) values[k] = c.values[rows[k]!]!;
      return { ...c, values };
    }
    const values = new Array<string>(rows.length);
    for (let k = 0; k < rows.length; k++) values[k] = c.values[rows[k]!]!;
    return { ...c, values };
  });
}

/** Trains one kind of model on the given table rows. */
export async function trainModel(
  candidates: Candidates,
  kind: ModelKind,
  rows: Uint32Array,
): Promise<FittedModel> {
  const { binned, labels, runner } = candidates;
  const rowLabels = (): Uint8Array => {
    const out = new Uint8Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = labels[rows[k]!]!;
    return out;
  };
  switch (kind) {
    case 'boosting':
      return {
        kind,
        boosting: await runner.boost({
          data: selectRows(binned, rows),
          labels: rowLabels(),
          options: candidates.boosting,
        }),
      };
    case 'forest':
      return {
        kind,
        forest: await trainForestWith(runner, selectRows(binned, rows), rowLabels(), candidates.forest),
      };
    case 'logistic':
      return { kind, logistic: fitLogistic(candidates.columns, labels, {}, rows) };
  }
}

/**
 * Trains every kind on the same rows. The tree models train side by side on the pool; the logistic
 * fit runs on this thread once the forest's trees are all handed out and back (this thread deals
 * them out), while boosting's sequential rounds are still running on their worker, so on two cores
 * it costs no extra wall time.
 */
export async function trainAll(candidates: Candidates, rows: Uint32Array): Promise<FittedModel[]> {
  const boosting = trainModel(candidates, 'boosting', rows);
  // Awaited below; until then a failure must not count as unhandled (that would stop the process).
  boosting.catch(() => undefined);
  const forest = await trainModel(candidates, 'forest', rows);
  const logistic = await trainModel(candidates, 'logistic', rows);
  return [await boosting, forest, logistic];
}

/** Probabilities of a fitted model for the given table rows. */
export async function scoreModel(
  candidates: Pick<Candidates, 'columns' | 'binned' | 'runner'>,
  fitted: FittedModel,
  rows: ArrayLike<number>,
): Promise<Float64Array> {
  const { binned, runner } = candidates;
  switch (fitted.kind) {
    case 'boosting':
      return predictBoostingWith(runner, fitted.boosting, selectRows(binned, rows));
    case 'forest':
      return predictForestWith(runner, fitted.forest, selectRows(binned, rows));
    case 'logistic':
      return predictLogistic(fitted.logistic, pickColumns(candidates.columns, rows));
  }
}

/** The kind with the best validation AUC; an exact tie goes to the earlier kind in MODEL_KINDS. */
export function pickByValidation(scores: readonly Pick<ModelScore, 'model' | 'validationAuc'>[]): ModelKind {
  let best: ModelKind = scores[0]?.model ?? 'forest';
  let bestAuc = Number.NEGATIVE_INFINITY;
  for (const kind of MODEL_KINDS) {
    const auc = scores.find((s) => s.model === kind)?.validationAuc;
    if (auc !== null && auc !== undefined && !Number.isNaN(auc) && auc > bestAuc) {
      best = kind;
      bestAuc = auc;
    }
  }
  return best;
}

/** Share of the training rows set aside to choose the model. */
export const VALIDATION_FRACTION = 0.2;

/** The models fitted for the choice, with the validation AUC each one reached. */
export interface ModelChoice {
  chosen: ModelKind;
  validation: Map<ModelKind, number | null>;
  /** Every kind, fitted on the training rows outside the validation slice. */
  fitted: FittedModel[];
  /** How many customers those models learnt from. */
  fitCustomers: number;
}

/**
 * Chooses the model: trains every kind on most of `trainRows` and compares their AUCs on the rest.
 * Only training rows come in, so nothing about the test customers can sway the choice.
 */
export async function chooseModel(
  candidates: Candidates,
  trainRows: Uint32Array,
  seed: number,
): Promise<ModelChoice> {
  const trainLabels = Uint8Array.from(trainRows, (i) => candidates.labels[i]!);
  const split = stratifiedSplit(trainLabels, { testFraction: VALIDATION_FRACTION, seed });
  const fitRows = Uint32Array.from(split.train, (k) => trainRows[k]!);
  const validRows = Uint32Array.from(split.test, (k) => trainRows[k]!);
  const validLabels = Uint8Array.from(split.test, (k) => trainLabels[k]!);
  const validation = new Map<ModelKind, number | null>();
  const fitted = await trainAll(candidates, fitRows);
  for (const model of fitted) {
    const auc = rocAuc(await scoreModel(candidates, model, validRows), validLabels);
    validation.set(model.kind, Number.isNaN(auc) ? null : auc);
  }
  const chosen = pickByValidation(
    MODEL_KINDS.map((model) => ({ model, validationAuc: validation.get(model) ?? null })),
  );
  return { chosen, validation, fitted, fitCustomers: fitRows.length };
}

/** Each input feature's share of a fitted model's weight: gain (boosting), impurity decrease (forest), |coefficients| (logistic). */
export function modelImportances(fitted: FittedModel, features: readonly string[]): Float64Array {
  if (fitted.kind === 'boosting') return fitted.boosting.importances;
  if (fitted.kind === 'forest') return fitted.forest.importances;
  // Standardized inputs: a coefficient's size is its pull per standard deviation (one-hot: per category).
  const out = new Float64Array(features.length);
  const { encoders, coefficients } = fitted.logistic;
  let at = 0;
  encoders.forEach((encoder, f) => {
    const width =
      encoder.kind === 'categorical'
        ? encoder.categories.length
        : 1 + (encoder.missingIndicator ? 1 : 0) + (encoder.sentinel !== null ? 1 : 0);
    for (let j = 0; j < width; j++) out[f]! += Math.abs(coefficients[at + j] ?? 0);
    at += width;
  });
  return normalized(out);
}
