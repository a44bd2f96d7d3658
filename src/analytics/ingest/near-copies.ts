/**
 * Numeric columns that are near-copies of a binary holding or outcome: a model's score for the
 * outcome, or the outcome recoded. Clustering on them would make the segments "the customers who
 * left vs the ones who stayed", so they are kept out of segmentation and reported.
 */
import type { Schema, Table } from '../types.js';
import { numericValues } from './column-values.js';

/** From this absolute correlation with a binary column on, a numeric column is a near-copy of it. */
export const NEAR_COPY_CORRELATION = 0.9;
/** Correlations are measured on at most this many rows (an even stride through the file). */
const SAMPLE_ROWS = 20_000;

/** Pearson correlation over the rows where both values are present; NaN if either is constant. */
function correlation(x: Float64Array, y: Float64Array, stride: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i += stride) {
    const a = x[i]!;
    const b = y[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    sx += a;
    sy += b;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  if (n < 3) return Number.NaN;
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : Number.NaN;
}

/**
 * The schema with every numeric column that is a near-copy of a binary (product) column turned
 * into an ignored column whose reason names the binary column and the correlation.
 */
export function markNearCopies(table: Table, schema: Schema): Schema {
  const binaries = schema.columns.filter((c) => c.role === 'product');
  const numerics = schema.columns.filter((c) => c.role === 'numeric');
  if (binaries.length === 0 || numerics.length === 0) return schema;
  const stride = Math.max(1, Math.ceil(table.rowCount / SAMPLE_ROWS));
  const flags = binaries.flatMap((b) => {
    try {
      return [{ name: b.name, values: numericValues(table, b.name) }];
    } catch {
      // A product column that does not read as 0/1 has nothing to be copied from.
      return [];
    }
  });
  const copies = new Map<string, string>();
  for (const column of numerics) {
    const values = numericValues(table, column.name);
    let best: { name: string; r: number } | null = null;
    for (const flag of flags) {
      const r = correlation(values, flag.values, stride);
      if (Math.abs(r) >= NEAR_COPY_CORRELATION && (best === null || Math.abs(r) > Math.abs(best.r)))
        best = { name: flag.name, r };
    }
    if (best !== null) {
      copies.set(
        column.name,
        `a near-copy of the yes/no column ${best.name} (correlation ${best.r.toFixed(2)}): a model score or a recoded outcome, kept out of segmentation`,
      );
    }
  }
  if (copies.size === 0) return schema;
  return {
    ...schema,
    columns: schema.columns.map((c) => {
      const reason = copies.get(c.name);
      return reason === undefined ? c : { name: c.name, role: 'ignored', reason };
    }),
  };
}
