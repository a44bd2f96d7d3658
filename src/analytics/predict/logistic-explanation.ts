/**
 * A logistic regression's explanation in the same terms as a tree model's: per customer, each
 * feature's coefficient × its standardized (encoded) value, centred on the customers explained, so
 * a customer's contributions add up to its log-odds minus their mean. Log-odds become points of
 * probability through the slope of the logistic curve at the base rate (p (1 - p) points per
 * hundredth of log-odds): exact near the base rate, and what a marketer reads as "+3 pts".
 */
import type { FeatureColumn } from './bin-features.js';
import { encode, encodedWidth, type LogisticModel } from './logistic-regression.js';

/**
 * Contributions (row-major, rows × features, in points) of the listed rows, and each feature's
 * share of the mean absolute contribution (its importance, summing to 1).
 */
export function logisticContributions(
  model: LogisticModel,
  columns: readonly FeatureColumn[],
  rows: ArrayLike<number>,
  baseRate: number,
): { contributions: Float64Array; importances: Float64Array } {
  const width = encodedWidth(model.encoders);
  const x = encode(model.encoders, columns, rows);
  const n = rows.length;
  const features = model.encoders.length;
  // Which feature each encoded column belongs to.
  const owner = new Int32Array(width);
  let at = 0;
  model.encoders.forEach((e, f) => {
    const span =
      e.kind === 'numeric'
        ? 1 + (e.missingIndicator ? 1 : 0) + (e.sentinel !== null ? 1 : 0)
        : e.categories.length;
    owner.fill(f, at, at + span);
    at += span;
  });
  const means = new Float64Array(width);
  for (let k = 0; k < n; k++) for (let j = 0; j < width; j++) means[j]! += x[k * width + j]! / n;
  const toPoints = 100 * baseRate * (1 - baseRate);
  const contributions = new Float64Array(n * features);
  const importances = new Float64Array(features);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < width; j++) {
      contributions[k * features + owner[j]!]! +=
        model.coefficients[j]! * (x[k * width + j]! - means[j]!) * toPoints;
    }
    for (let f = 0; f < features; f++) importances[f]! += Math.abs(contributions[k * features + f]!);
  }
  let total = 0;
  for (let f = 0; f < features; f++) total += importances[f]!;
  if (total > 0) for (let f = 0; f < features; f++) importances[f]! /= total;
  return { contributions, importances };
}
