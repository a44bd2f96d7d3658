/**
 * Seeded synthetic customers whose product uptake follows a known logistic function of a few of
 * their features (with a threshold, an interaction and a categorical effect, so trees have something
 * to find that a straight line misses). Because every customer's true probability is known, the
 * best achievable ROC AUC on any split is known too.
 */
import { createRng } from '../rng.js';
import type { FeatureColumn } from './bin-features.js';

export interface UptakeOptions {
  rows: number;
  /** Numeric features (at least 5; the first 5 drive uptake). */
  numeric?: number;
  /** Categorical features (the first one drives uptake). */
  categorical?: number;
  seed: number;
  /** Share of customers holding the product, approximately (default 0.1). */
  baseRate?: number;
  /** Share of numeric cells left empty (default 0.02). */
  missingRate?: number;
}

export interface UptakeData {
  columns: FeatureColumn[];
  labels: Uint8Array;
  /** The true probability of holding the product, per customer. */
  probabilities: Float64Array;
  ids: string[];
}

const REGIONS = ['north', 'south', 'east', 'west', 'central', 'islands'];
const REGION_SHARES = [0.3, 0.25, 0.2, 0.12, 0.08, 0.05];
const REGION_EFFECT = [0, 0.9, -0.6, 0.3, 0, -0.9];
const CHANNELS = ['branch', 'web', 'app', 'partner'];
const CHANNEL_SHARES = [0.4, 0.3, 0.2, 0.1];

function pick(u: number, shares: readonly number[]): number {
  let acc = 0;
  for (let k = 0; k < shares.length; k++) {
    acc += shares[k]!;
    if (u < acc) return k;
  }
  return shares.length - 1;
}

/** Generates customers with planted uptake; the same options always give the same data. */
export function generateUptake(options: UptakeOptions): UptakeData {
  const n = options.rows;
  const numeric = Math.max(5, options.numeric ?? 8);
  const categorical = Math.max(0, options.categorical ?? 2);
  const baseRate = options.baseRate ?? 0.1;
  const missingRate = options.missingRate ?? 0.02;
  const rng = createRng(options.seed);

  const values: Float64Array[] = [];
  for (let j = 0; j < numeric; j++) values.push(new Float64Array(n));
  const cats: string[][] = [];
  const catCodes: Int32Array[] = [];
  for (let j = 0; j < categorical; j++) {
    cats.push(new Array<string>(n));
    catCodes.push(new Int32Array(n));
  }
  const linear = new Float64Array(n);

  for (let i = 0; i < n; i++) {
    // A latent "engagement" ties several features together, as in real customer tables.
    const engagement = rng.normal();
    for (let j = 0; j < numeric; j++) {
      const z = 0.5 * engagement + Math.sqrt(0.75) * rng.normal();
      // Alternate shapes: amounts (skewed, non-negative), ratios (0..1) and plain scores.
      const shape = j % 3;
      values[j]![i] =
        shape === 0
          ? Math.round(100 * Math.exp(1 + 0.8 * z)) / 100
          : shape === 1
            ? 1 / (1 + Math.exp(-z))
            : z * 10 + 50;
    }
    for (let j = 0; j < categorical; j++) {
      const code = j % 2 === 0 ? pick(rng.next(), REGION_SHARES) : pick(rng.next(), CHANNEL_SHARES);
      catCodes[j]![i] = code;
      cats[j]![i] = j % 2 === 0 ? REGIONS[code]! : CHANNELS[code]!;
    }
    // The planted rule, on the standardized scale of each feature's latent score.
    const z0 = (Math.log(values[0]![i]!) - 1) / 0.8;
    const p1 = values[1]![i]!;
    const z1 = Math.log(p1 / (1 - p1));
    const z2 = (values[2]![i]! - 50) / 10;
    const z3 = (Math.log(values[3]![i]!) - 1) / 0.8;
    const p4 = values[4]![i]!;
    const z4 = Math.log(p4 / (1 - p4));
    // Linear effects, a threshold, an interaction and a U shape: a straight line gets only part of it.
    let eta = 1.1 * z0 - 0.8 * z1 + (z2 > 0.8 ? 1.4 : 0) + 0.6 * z0 * z3 + 0.7 * (z4 * z4 - 1);
    if (categorical > 0) eta += REGION_EFFECT[catCodes[0]![i]!]!;
    linear[i] = eta;
  }

  // Intercept by bisection so the mean probability is the requested base rate.
  let lo = -20;
  let hi = 20;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += 1 / (1 + Math.exp(-(mid + linear[i]!)));
    if (sum / Math.max(1, n) < baseRate) lo = mid;
    else hi = mid;
  }
  const intercept = (lo + hi) / 2;
  const probabilities = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = 1 / (1 + Math.exp(-(intercept + linear[i]!)));
    probabilities[i] = p;
    labels[i] = rng.next() < p ? 1 : 0;
  }
  // Missing cells are knocked out after the truth is fixed: they hide information, as in real files.
  for (let j = 0; j < numeric; j++) {
    const column = values[j]!;
    for (let i = 0; i < n; i++) if (rng.next() < missingRate) column[i] = Number.NaN;
  }

  const columns: FeatureColumn[] = [];
  for (let j = 0; j < numeric; j++) {
    columns.push({ name: `X${String(j + 1).padStart(2, '0')}`, kind: 'numeric', values: values[j]! });
  }
  for (let j = 0; j < categorical; j++) {
    columns.push({
      name: j % 2 === 0 ? `REGION${j / 2 + 1}` : `CHANNEL${(j + 1) / 2}`,
      kind: 'categorical',
      values: cats[j]!,
    });
  }
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = `U${String(100000 + i)}`;
  return { columns, labels, probabilities, ids };
}

/** The generated customers as CSV text: id column, features, then the product flag. */
export function uptakeCsv(
  data: UptakeData,
  options: { idColumn?: string; productColumn?: string } = {},
): string {
  const idColumn = options.idColumn ?? 'CUST_ID';
  const productColumn = options.productColumn;
  const header = [idColumn, ...data.columns.map((c) => c.name)];
  if (productColumn) header.push(productColumn);
  const lines = [header.join(',')];
  for (let i = 0; i < data.ids.length; i++) {
    const cells = [data.ids[i]!];
    for (const column of data.columns) {
      const v = column.values[i]!;
      cells.push(typeof v === 'number' ? (Number.isNaN(v) ? '' : String(Math.round(v * 1e4) / 1e4)) : v);
    }
    if (productColumn) cells.push(String(data.labels[i]));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
