/**
 * The leakage guard: features that predict the outcome almost on their own are usually recorded
 * after it (the length of the sales call that sold the deposit, a score computed from the churn
 * itself). A model built on them looks excellent and is useless for choosing whom to contact, so
 * they are named before anyone trusts the numbers.
 *
 * Three signs, each enough:
 * - the feature alone ranks the outcome with an AUC of 0.9 or more;
 * - it is a near-copy of the outcome (alone, an AUC of 0.99 or more);
 * - it carries a share of the model's splitting power far above every other feature.
 *
 * Single-feature AUCs are cross-fitted: the outcome rate of each bin is learned on one half of the
 * training customers and scores the other half, so a feature with many bins cannot look
 * predictive by memorising small bins.
 */
import type { BinnedMatrix } from './bin-features.js';

export type LeakageReason = 'near-copy' | 'alone' | 'dominant';

export interface LeakageFlag {
  feature: string;
  reason: LeakageReason;
  /** The feature's cross-fitted single-feature AUC. */
  auc: number;
  /** Its share of the model's splitting power (null when the check ran before training). */
  share: number | null;
}

/** A single feature ranking at least this well is flagged. */
export const ALONE_AUC = 0.9;
/** A single feature ranking at least this well is a near-copy of the outcome. */
export const NEAR_COPY_AUC = 0.99;
/** An importance share at least this large... */
export const DOMINANT_SHARE = 0.3;
/** ...and at least this many times the next feature's is flagged. */
export const DOMINANT_RATIO = 3;

/** Prior weight, in customers, that pulls a small bin's rate towards the overall rate. */
const SMOOTHING = 20;

interface Group {
  score: number;
  positives: number;
  negatives: number;
}

/** Mann-Whitney AUC over groups of tied scores. */
function groupedAuc(groups: Group[]): number {
  groups.sort((a, b) => a.score - b.score);
  let positives = 0;
  let negatives = 0;
  for (const g of groups) {
    positives += g.positives;
    negatives += g.negatives;
  }
  if (positives === 0 || negatives === 0) return Number.NaN;
  let below = 0;
  let wins = 0;
  for (let start = 0; start < groups.length; ) {
    let end = start;
    let pos = 0;
    let neg = 0;
    while (end < groups.length && groups[end]!.score === groups[start]!.score) {
      pos += groups[end]!.positives;
      neg += groups[end]!.negatives;
      end++;
    }
    wins += pos * below + 0.5 * pos * neg;
    below += neg;
    start = end;
  }
  return wins / (positives * negatives);
}

/**
 * Cross-fitted single-feature AUC of every feature of `binned` (rows = training customers,
 * `labels` 0/1 in the same order).
 */
export function singleFeatureAucs(binned: BinnedMatrix, labels: Uint8Array): Float64Array {
  const { rows, cols, codes } = binned;
  let total = 0;
  for (let i = 0; i < rows; i++) total += labels[i]!;
  const prior = total / Math.max(1, rows);
  const out = new Float64Array(cols);
  // Per fold (even and odd positions) and bin: customers and positives.
  const count = [new Float64Array(256), new Float64Array(256)];
  const positive = [new Float64Array(256), new Float64Array(256)];
  for (let f = 0; f < cols; f++) {
    for (const fold of [0, 1]) {
      count[fold]!.fill(0);
      positive[fold]!.fill(0);
    }
    const column = codes.subarray(f * rows, (f + 1) * rows);
    for (let i = 0; i < rows; i++) {
      const fold = i & 1;
      count[fold]![column[i]!]!++;
      positive[fold]![column[i]!]! += labels[i]!;
    }
    const groups: Group[] = [];
    for (const fold of [0, 1]) {
      const other = 1 - fold;
      for (let bin = 0; bin < 256; bin++) {
        const n = count[fold]![bin]!;
        if (n === 0) continue;
        const score = (positive[other]![bin]! + SMOOTHING * prior) / (count[other]![bin]! + SMOOTHING);
        groups.push({ score, positives: positive[fold]![bin]!, negatives: n - positive[fold]![bin]! });
      }
    }
    out[f] = groupedAuc(groups);
  }
  return out;
}

/** The features that rank the outcome (almost) alone, strongest first. */
export function flagAloneFeatures(names: readonly string[], aucs: Float64Array): LeakageFlag[] {
  const flags: LeakageFlag[] = [];
  names.forEach((feature, f) => {
    const auc = aucs[f]!;
    if (auc >= ALONE_AUC)
      flags.push({ feature, reason: auc >= NEAR_COPY_AUC ? 'near-copy' : 'alone', auc, share: null });
  });
  return flags.sort((a, b) => b.auc - a.auc);
}

/**
 * Adds the importance check to the single-feature flags: the top feature is flagged when its share
 * is at least DOMINANT_SHARE and DOMINANT_RATIO times the next one's. Flags already raised get
 * their share filled in.
 */
export function flagDominantFeature(
  flags: readonly LeakageFlag[],
  importances: readonly { feature: string; importance: number }[],
  aucOf: (feature: string) => number,
): LeakageFlag[] {
  const shareOf = new Map(importances.map((i) => [i.feature, i.importance]));
  const out = flags.map((flag) => ({ ...flag, share: shareOf.get(flag.feature) ?? null }));
  const sorted = [...importances].sort((a, b) => b.importance - a.importance);
  const top = sorted[0];
  const next = sorted[1]?.importance ?? 0;
  if (
    top &&
    top.importance >= DOMINANT_SHARE &&
    top.importance >= DOMINANT_RATIO * next &&
    !out.some((f) => f.feature === top.feature)
  ) {
    out.push({ feature: top.feature, reason: 'dominant', auc: aucOf(top.feature), share: top.importance });
  }
  return out;
}

/** Why a feature was flagged, in plain words ("alone it ranks the outcome with AUC 0.95"). */
export function leakageReasonText(flag: LeakageFlag): string {
  const auc = flag.auc.toFixed(2);
  if (flag.reason === 'near-copy') return `it is a near-copy of the outcome (alone it ranks with AUC ${auc})`;
  if (flag.reason === 'alone') return `alone it ranks the outcome with AUC ${auc}`;
  return `it carries ${Math.round((flag.share ?? 0) * 100)}% of the model's splitting power, far above any other feature`;
}

/** The warning for one flagged feature, without the command that excludes it. */
export function leakageWarning(flag: LeakageFlag): string {
  return `${flag.feature} is possibly known only after the outcome: ${leakageReasonText(flag)}.`;
}
