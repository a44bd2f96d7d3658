/**
 * Describes each segment in words a marketer can check against the data: the mean and median of
 * every feature in original units, how far the segment sits from the population (a z-score in the
 * standardized model space), and the few traits that set it apart.
 */

import { numericValues, twoValuedPositive } from '../ingest/column-values.js';
import { median, medianInPlace } from '../median.js';
import type { FeatureProfile, FeatureSpec, FittedTransform, Matrix, Table, Trait } from '../types.js';
import { capitalize, readableLabel } from './column-labels.js';
import { familyOf } from './column-semantics.js';
import { fromModelSpace, originalFeatureValues } from './preprocess.js';

export interface SegmentProfile {
  index: number;
  size: number;
  share: number;
  profile: FeatureProfile[];
  traits: Trait[];
  centroid: { standardized: number[]; original: Record<string, number> };
}

export interface ProfileInput {
  transform: FittedTransform;
  table: Table;
  /** The standardized model matrix the segments were found in (rows = customers). */
  matrix: Matrix;
  labels: Int32Array;
  k: number;
  /**
   * Binary holdings and outcomes (role `product`) kept out of the model but profiled per segment
   * ("Left the bank: 35% vs 20% overall"); default none.
   */
  binaryColumns?: readonly string[];
}

/** A holding or outcome is worth a line when a segment's share differs by this much from overall. */
const BINARY_GAP = 0.05;
/** At most this many holdings and outcomes are added to a segment's traits. */
const MAX_BINARY_TRAITS = 3;

/**
 * Traits for binary columns, per segment: the share with the flag set against the share overall,
 * largest gaps first. Columns that are not 0/1 after reading (see numericValues) are skipped.
 */
function binaryTraits(table: Table, names: readonly string[], labels: Int32Array, k: number): Trait[][] {
  const candidates: { trait: Trait; gap: number }[][] = Array.from({ length: k }, () => []);
  for (const name of names) {
    const column = table.columns.find((c) => c.name === name);
    if (column === undefined) continue;
    const values = numericValues(table, name);
    const positive = column.kind === 'text' ? twoValuedPositive(column.values) : undefined;
    const ones = new Float64Array(k);
    const counts = new Float64Array(k);
    let binary = true;
    for (let i = 0; i < values.length && binary; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (v !== 0 && v !== 1) binary = false;
      ones[labels[i]!]! += v;
      counts[labels[i]!]!++;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    if (!binary || total === 0) continue;
    const overall = ones.reduce((a, b) => a + b, 0) / total;
    const label =
      positive === undefined ? capitalize(readableLabel(name)) : `${positive} (${readableLabel(name)})`;
    for (let s = 0; s < k; s++) {
      if (counts[s] === 0) continue;
      const share = ones[s]! / counts[s]!;
      const spread = Math.sqrt(overall * (1 - overall));
      candidates[s]!.push({
        gap: Math.abs(share - overall),
        trait: {
          feature: name,
          direction: share >= overall ? 'high' : 'low',
          z: spread > 0 ? (share - overall) / spread : 0,
          text: `${label}: ${formatPercent(share)} vs ${formatPercent(overall)} overall`,
          flag: positive === undefined ? { share, overall } : { share, overall, positive },
        },
      });
    }
  }
  return candidates.map((list) =>
    list
      .filter((c) => c.gap >= BINARY_GAP)
      .sort((a, b) => b.gap - a.gap)
      .slice(0, MAX_BINARY_TRAITS)
      .map((c) => c.trait),
  );
}

/** A feature counts as setting a segment apart from this distance (in population std) on. */
const TRAIT_Z = 0.5;
const MAX_TRAITS = 5;
const MIN_TRAITS = 3;

/** Formats a number for a sentence: thousands separators, fewer decimals for bigger numbers. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/**
 * An effect too small to cite: under this distance from the population (in population std,
 * Cohen's "small" effect is 0.2) a difference is noise to a marketer, whatever the sample size.
 */
export const MIN_EFFECT_Z = 0.2;
/** And the two numbers a sentence quotes must differ by at least this share of the larger. */
export const MIN_RELATIVE_GAP = 0.05;

/** Whether two quoted numbers (or shares) differ enough to be worth a sentence. */
export function differsEnough(a: number, b: number, share = false): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (share) return Math.abs(a - b) >= MIN_RELATIVE_GAP;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale > 0 && Math.abs(a - b) / scale >= MIN_RELATIVE_GAP;
}

/** The two numbers a trait compares: the means, or the medians when the means mislead (see below). */
function shownPair(
  profile: FeatureProfile,
  populationMedian: number | undefined,
): { centre: number; reference: number; medians: boolean } {
  const { mean, populationMean, median: segmentMedian, z } = profile;
  // On a log scale a segment can sit above the population while its mean, pulled by the
  // population's long tail, sits below (or level with it); the medians then tell the story the
  // z-score tells.
  const medians =
    populationMedian !== undefined &&
    ((mean - populationMean) * z < 0 ||
      (!differsEnough(mean, populationMean) &&
        differsEnough(segmentMedian, populationMedian) &&
        (segmentMedian - populationMedian) * z > 0));
  return medians
    ? { centre: segmentMedian, reference: populationMedian, medians }
    : { centre: mean, reference: populationMean, medians };
}

/**
 * Whether a feature sets a segment apart enough to be cited as a trait or a reason: a distance of
 * at least MIN_EFFECT_Z and quoted numbers that differ visibly.
 */
export function isMeaningful(
  profile: FeatureProfile,
  spec?: FeatureSpec,
  populationMedian?: number,
): boolean {
  if (!Number.isFinite(profile.z) || Math.abs(profile.z) < MIN_EFFECT_Z) return false;
  if (spec?.kind === 'onehot' || profile.feature.includes('=')) {
    return differsEnough(profile.mean, profile.populationMean, true);
  }
  const { centre, reference } = shownPair(profile, populationMedian);
  return differsEnough(centre, reference);
}

/**
 * The sentence for one trait, in plain words, e.g. "Cash advances 4.1x the average (3,050 vs 979)";
 * one-hot features read as shares ("Segment is 01 - TOP for 62% (vs 8% overall)").
 */
export function describeTrait(profile: FeatureProfile, spec?: FeatureSpec, populationMedian?: number): Trait {
  const direction: 'high' | 'low' = profile.z >= 0 ? 'high' : 'low';
  const { feature, mean, populationMean } = profile;
  let text: string;
  if (spec?.kind === 'onehot') {
    text = `${capitalize(readableLabel(spec.column))} is ${spec.category} for ${formatPercent(mean)} (vs ${formatPercent(populationMean)} overall)`;
  } else {
    const { centre, reference, medians } = shownPair(profile, populationMedian);
    const label = capitalize(medians ? `${readableLabel(feature)} median` : readableLabel(feature));
    const versus = medians ? 'the typical customer' : 'the average';
    const pair = `(${formatNumber(centre)} vs ${formatNumber(reference)})`;
    const ratio = reference > 0 && centre >= 0 ? centre / reference : Number.NaN;
    if (ratio >= 1.25) text = `${label} ${ratio.toFixed(1)}x ${versus} ${pair}`;
    else if (ratio < 0.1) text = `${label} far below ${versus} ${pair}`;
    else if (ratio <= 0.8) text = `${label} ${Math.round((1 - ratio) * 100)}% below ${versus} ${pair}`;
    else text = `${label} ${direction === 'high' ? 'above' : 'below'} ${versus} ${pair}`;
  }
  return { feature, direction, z: profile.z, text };
}

/** At most this many of the leading traits may come from one family of related columns. */
const MAX_PER_FAMILY = 2;

/**
 * The traits that set a segment apart: strongest |z| first, at least three where the data has them.
 * Among the first three, no more than two come from one family of related columns (purchase
 * amount, count and frequency say much the same), so the headline traits show different sides.
 */
export function pickTraits(
  profile: FeatureProfile[],
  specs: FeatureSpec[],
  populationMedians: readonly number[] = [],
): Trait[] {
  // Only differences that matter are cited: a segment close to the average on everything has few
  // traits rather than three that are noise.
  const order = profile
    .map((_, j) => j)
    .filter((j) => isMeaningful(profile[j]!, specs[j], populationMedians[j]))
    .sort((a, b) => Math.abs(profile[b]!.z) - Math.abs(profile[a]!.z) || a - b);
  const headline: number[] = [];
  const perFamily = new Map<string, number>();
  for (const j of order) {
    if (headline.length === MIN_TRAITS) break;
    const family = familyOf(profile[j]!.feature);
    if ((perFamily.get(family) ?? 0) >= MAX_PER_FAMILY) continue;
    perFamily.set(family, (perFamily.get(family) ?? 0) + 1);
    headline.push(j);
  }
  // Fewer than three families: fill up by strength regardless of family.
  for (const j of order) if (headline.length < MIN_TRAITS && !headline.includes(j)) headline.push(j);
  const rest = order.filter((j) => !headline.includes(j) && Math.abs(profile[j]!.z) >= TRAIT_Z);
  const chosen = [
    ...headline.sort((a, b) => Math.abs(profile[b]!.z) - Math.abs(profile[a]!.z) || a - b),
    ...rest,
  ];
  return chosen.slice(0, MAX_TRAITS).map((j) => describeTrait(profile[j]!, specs[j], populationMedians[j]));
}

/**
 * Profiles every segment: sizes and shares, per-feature mean/median (original units, after
 * imputation) and z-score, traits, and the centroid both standardized and mapped back to original
 * units (log1p undone, so a logged feature's centroid is a geometric-style centre, not the mean).
 */
export function profileSegments(input: ProfileInput): SegmentProfile[] {
  const { transform, table, matrix, labels, k } = input;
  const n = labels.length;
  const d = transform.features.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;

  // Row indices grouped by segment, so per-segment medians can be gathered in one pass per feature.
  const offsets = new Int32Array(k + 1);
  for (let s = 0; s < k; s++) offsets[s + 1] = offsets[s]! + sizes[s]!;
  const order = new Int32Array(n);
  const cursor = offsets.slice(0, k);
  for (let i = 0; i < n; i++) order[cursor[labels[i]!]!++] = i;

  const zSums = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const base = labels[i]! * d;
    const row = i * d;
    for (let j = 0; j < d; j++) zSums[base + j]! += matrix.data[row + j]!;
  }

  const profiles: FeatureProfile[][] = Array.from({ length: k }, () => []);
  const populationMedians: number[] = [];
  transform.features.forEach((spec, j) => {
    const values = originalFeatureValues(spec, table);
    populationMedians.push(median(values));
    let total = 0;
    for (let i = 0; i < n; i++) total += values[i]!;
    const populationMean = n > 0 ? total / n : Number.NaN;
    const bucket = new Float64Array(n);
    for (let r = 0; r < n; r++) bucket[r] = values[order[r]!]!;
    for (let s = 0; s < k; s++) {
      const slice = bucket.subarray(offsets[s]!, offsets[s + 1]!);
      let sum = 0;
      for (let t = 0; t < slice.length; t++) sum += slice[t]!;
      const size = slice.length;
      profiles[s]!.push({
        feature: spec.name,
        mean: size > 0 ? sum / size : Number.NaN,
        // The bucket is a scratch copy, so selecting in place is safe once the sum is taken.
        median: medianInPlace(slice),
        populationMean,
        // The model space is standardized on this population, so its mean is 0 and std 1.
        z: size > 0 && spec.std > 0 ? zSums[s * d + j]! / size : 0,
      });
    }
  });

  const binary = binaryTraits(table, input.binaryColumns ?? [], labels, k);
  return profiles.map((profile, s) => {
    const standardized = profile.map((p) => p.z);
    const original: Record<string, number> = {};
    transform.features.forEach((spec, j) => {
      original[spec.name] = fromModelSpace(spec, standardized[j]!);
    });
    return {
      index: s,
      size: sizes[s]!,
      share: n > 0 ? sizes[s]! / n : 0,
      profile,
      traits: [...pickTraits(profile, transform.features, populationMedians), ...binary[s]!],
      centroid: { standardized, original },
    };
  });
}
