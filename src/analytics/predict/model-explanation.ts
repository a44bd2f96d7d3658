/**
 * The explanation side of a propensity model, in one place for training and for scoring another
 * file: readable feature names, the drivers with their direction, and the reason table each
 * scored customer's top three reasons are read from.
 */
import { productLabel } from '../ingest/product-names.js';
import { readableLabel } from '../segment/column-labels.js';
import type { Schema } from '../types.js';
import type { BinnedMatrix, FittedBinner } from './bin-features.js';
import {
  customerReasons,
  type Driver,
  describeDrivers,
  evenSample,
  type FeatureName,
  type ReasonTable,
  reasonLists,
  reasonTable,
  sampleContributions,
} from './explain-scores.js';
import type { PackedTrees } from './path-contributions.js';

/** The model inputs in words: a product flag by its product name, any other column by its label. */
export function featureNames(
  schema: Pick<Schema, 'columns'>,
  refs: readonly { name: string; flag: boolean }[],
): FeatureName[] {
  return refs.map((ref) => {
    const column = schema.columns.find((c) => c.name === ref.name);
    const label = ref.flag ? (column?.label ?? productLabel(ref.name)) : readableLabel(ref.name);
    return { name: ref.name, label, flag: ref.flag };
  });
}

/** A tree model as the explanation needs it: its trees and how their values add up. */
export interface ExplainableTrees {
  trees: PackedTrees;
  /** 1 / trees for a forest (mean of probabilities), 1 for boosting (sum of log-odds). */
  scale: number;
  /** Points per unit of the trees' values: 100 for probabilities. */
  toPoints: number;
}

/** What explaining needs besides the contributions: the data, names and importances. */
export interface ExplainInput {
  binned: BinnedMatrix;
  binner: FittedBinner;
  names: readonly FeatureName[];
  importances: readonly { feature: string; importance: number }[];
  /** Share of customers with the outcome: reasons must push at least a twentieth of it. */
  baseRate: number;
}

/**
 * Drivers and the reason table from any model's per-customer contributions (row-major, sample ×
 * features, in points of probability) of the customers in `sample`.
 */
export function explainContributions(
  input: ExplainInput & { sample: ArrayLike<number>; contributions: Float64Array },
): { drivers: Driver[]; reasons: ReasonTable } {
  const { binned, binner, names, sample, contributions } = input;
  return {
    drivers: describeDrivers({
      importances: input.importances,
      names,
      binner,
      data: binned,
      sample,
      contributions,
    }),
    reasons: reasonTable(binned, sample, contributions, binner, input.baseRate),
  };
}

/**
 * Drivers and the reason table of a tree model, from exact path contributions of up to 20,000
 * evenly spaced customers among `rows` (the labelled customers, so holders and non-holders alike).
 */
export function explainTrees(input: ExplainInput & { model: ExplainableTrees; rows: ArrayLike<number> }): {
  drivers: Driver[];
  reasons: ReasonTable;
} {
  const { model } = input;
  const sample = evenSample(input.rows);
  const contributions = sampleContributions(model.trees, input.binned, sample, model.scale, model.toPoints);
  return explainContributions({ ...input, sample, contributions });
}

/** Every listed row's top three reasons as texts (rows with the same reasons share one array). */
export function reasonsFor(
  explain: { table: ReasonTable; binner: FittedBinner; names: readonly FeatureName[] },
  binned: BinnedMatrix,
  rows: ArrayLike<number>,
): (readonly string[])[] {
  const { texts, reasons } = customerReasons(explain, binned, rows, 3);
  return reasonLists(texts, reasons, 3);
}
