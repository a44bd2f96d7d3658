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

/**
 * Pearson correlation over the rows where both values are present (every `stride`-th row); NaN if
 * either is constant. Two passes, means first, so large amounts lose no precision.
 */
function correlation(x: Float64Array, y: Float64Array, stride: number): number {
  const both = (i: number) => !Number.isNaN(x[i]!) && !Number.isNaN(y[i]!);
  let n = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < x.length; i += stride) {
    if (!both(i)) continue;
    n++;
    meanX += x[i]!;
    meanY += y[i]!;
  }
  if (n < 3) return Number.NaN;
  meanX /= n;
  meanY /= n;
  const moments = { xy: 0, xx: 0, yy: 0 };
  for (let i = 0; i < x.length; i += stride) {
    if (!both(i)) continue;
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    moments.xy += dx * dy;
    moments.xx += dx * dx;
    moments.yy += dy * dy;
  }
  return moments.xx > 0 && moments.yy > 0 ? moments.xy / Math.sqrt(moments.xx * moments.yy) : Number.NaN;
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
