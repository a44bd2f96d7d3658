/**
 * Automatic choice of k: fit k-means for every k in kMin..kMax, score each fit by silhouette (one
 * shared sample, each pairwise distance computed once for all k) and report the inertia elbow beside
 * it. The k with the best silhouette wins; a k within `SILHOUETTE_TIE` of the best counts as a tie,
 * settled in favour of the k nearer the elbow. Only stable k compete while there is one: k whose
 * segments other seeds reproduce (see seedStability).
 *
 * Large inputs: the k search (restarts for every k) runs on a seeded sample of `fitSampleSize` rows;
 * the winning centroids are then refined by Lloyd iterations on all rows, so the returned fit for the
 * chosen k is a fixed point on the full data.
 */
import { BadInputError } from '../../errors.js';
import type { KMeansResult, KScore, KSelection, Matrix } from '../types.js';
import { KMEANS_DEFAULTS, kmeans, kmeansFromCentroids } from './kmeans.js';
import { selectRows } from './matrix.js';
import { sampleIndices } from './sample-rows.js';
import { SILHOUETTE_DEFAULTS, silhouetteScores } from './silhouette.js';
import { seedStability } from './stability.js';

/** Silhouettes closer than this are treated as equal and the elbow decides. */
export const SILHOUETTE_TIE = 0.005;

/** Alternatives whose silhouette is within this of the winner's are named as "nearly as good". */
export const SILHOUETTE_NEAR = 0.02;

/**
 * A k whose segments other seeds reproduce with an adjusted Rand index under this is unstable: it is
 * passed over while a stable k exists, since its segments depend on where k-means started.
 */
export const MIN_STABILITY = 0.75;

/** When no k is stable, the k within this of the most reproducible one still compete. */
export const STABILITY_TIE = 0.1;

/** The agreement a k needs to compete: MIN_STABILITY, or near the best when no k reaches it. */
function stabilityBar(scores: readonly KScore[]): number {
  const most = Math.max(...scores.map((s) => s.stability ?? 1));
  return Math.min(MIN_STABILITY, most - STABILITY_TIE);
}

/**
 * A campaign plan needs at least three groups, and more than eight is more than a team can run;
 * a segment under 2% of customers is too small to target. k=2 stays available as a fixed k.
 */
export const CHOOSE_K_DEFAULTS = {
  kMin: 3,
  kMax: 8,
  minShare: 0.02,
  fitSampleSize: KMEANS_DEFAULTS.restartSampleSize,
} as const;

export interface ChooseKOptions {
  /** Smallest k tried (default 3; 2 on inputs too small for 3). */
  kMin?: number;
  kMax?: number;
  /** A k whose smallest segment holds less than this share of rows is passed over (default 0.02). */
  minShare?: number;
  seed: number;
  /** k-means restarts per k (default 10). */
  nInit?: number;
  /** Above this many rows the k search runs on a seeded sample of this size (default 20,000). */
  fitSampleSize?: number;
  /** Silhouette: exact up to this many rows (default 20,000). */
  maxExact?: number;
  /** Silhouette: sample size above `maxExact` (default 5,000). */
  silhouetteSampleSize?: number;
}

export interface ChooseKResult {
  selection: KSelection;
  /**
   * k-means fits on all rows, by k. Every k tried is here when the search ran on all rows; when it
   * ran on a sample, only the chosen k (refined on all rows) is.
   */
  fits: Map<number, KMeansResult>;
}

/**
 * Picks k for `X` from silhouette and the elbow, and returns the fit for it. The fit for each k is
 * exactly `kmeans(X, { k, seed, nInit })` (with the default restart sample), so the chosen k's
 * segments are the same as asking for that k directly.
 */
export function chooseK(X: Matrix, options: ChooseKOptions): ChooseKResult {
  const n = X.rows;
  // Tiny inputs cannot hold three segments with a silhouette; two is then the only choice left.
  const kMin = options.kMin ?? (n - 1 < CHOOSE_K_DEFAULTS.kMin ? 2 : CHOOSE_K_DEFAULTS.kMin);
  const minShare = options.minShare ?? CHOOSE_K_DEFAULTS.minShare;
  const requestedMax = options.kMax ?? CHOOSE_K_DEFAULTS.kMax;
  const nInit = options.nInit ?? KMEANS_DEFAULTS.nInit;
  const fitSampleSize = options.fitSampleSize ?? CHOOSE_K_DEFAULTS.fitSampleSize;
  if (!Number.isInteger(kMin) || !Number.isInteger(requestedMax) || kMin < 2 || requestedMax < kMin) {
    throw new RangeError(`need integers 2 <= kMin <= kMax, got ${kMin}..${requestedMax}`);
  }
  // Silhouette needs at least one cluster with two members, so k stays below n.
  const kMax = Math.min(requestedMax, n - 1);
  if (kMax < kMin) {
    throw new BadInputError(`Choosing k automatically needs at least ${kMin + 1} customers, got ${n}.`, {
      hint: 'Upload more customers or pass a fixed k.',
    });
  }

  const sampled = n > fitSampleSize;
  const fitRows = sampled ? selectRows(X, sampleIndices(n, fitSampleSize, options.seed)) : X;

  const sampleFits = new Map<number, KMeansResult>();
  for (let k = kMin; k <= kMax; k++) {
    sampleFits.set(k, kmeans(fitRows, { k, seed: options.seed, nInit, restartSampleSize: Infinity }));
  }
  const ks = [...sampleFits.keys()];
  const silhouettes = silhouetteScores(
    fitRows,
    ks.map((k) => ({ k, labels: sampleFits.get(k)!.labels })),
    {
      seed: options.seed,
      // A sampled search is scored on a silhouette sample, never on the whole fit sample.
      maxExact: sampled ? 0 : (options.maxExact ?? SILHOUETTE_DEFAULTS.maxExact),
      sampleSize: options.silhouetteSampleSize ?? SILHOUETTE_DEFAULTS.sampleSize,
    },
  );
  const scores: KScore[] = ks.map((k, index) => ({
    k,
    inertia: sampleFits.get(k)!.inertia,
    silhouette: silhouettes[index]!.score,
    smallestShare: smallestShare(sampleFits.get(k)!),
    stability: seedStability(fitRows, sampleFits.get(k)!.labels, k, options.seed),
  }));

  const elbow = findElbow(scores);
  const bigEnough = scores.filter((s) => (s.smallestShare ?? 1) >= minShare);
  // When every k leaves a tiny segment, the best of them is still better than no answer.
  const candidates = bigEnough.length > 0 ? bigEnough : scores;
  // Silhouette alone can prefer a k whose segments change with the seed; a stable k is preferred.
  const bar = stabilityBar(candidates);
  const chosen = pickK(
    candidates.filter((s) => (s.stability ?? 1) >= bar),
    elbow,
  );

  const fits = new Map<number, KMeansResult>();
  if (sampled) {
    const start = sampleFits.get(chosen)!;
    // The same refinement kmeans() makes after restarting on its sample.
    const refined = kmeansFromCentroids(X, start.centroids);
    fits.set(chosen, { ...refined, bestInit: start.bestInit });
  } else {
    for (const [k, fit] of sampleFits) fits.set(k, fit);
  }

  const silhouetteSample = { exact: silhouettes[0]!.exact && !sampled, size: silhouettes[0]!.size };
  const reason = describeChoice(scores, chosen, elbow, {
    minShare,
    n,
    fitRows: fitRows.rows,
    silhouetteSize: silhouetteSample.size,
    silhouetteExact: silhouetteSample.exact,
  });
  const selection: KSelection = { k: chosen, scores, silhouetteSample, reason };
  if (sampled) selection.fitSampleSize = fitRows.rows;
  return { selection, fits };
}

/**
 * The elbow of the inertia curve: the k farthest below the straight line from the first to the last
 * point, with both axes scaled to [0, 1] (the "kneedle" rule). Null with fewer than three k.
 */
export function findElbow(scores: readonly KScore[]): number | null {
  if (scores.length < 3) return null;
  const first = scores[0]!;
  const last = scores[scores.length - 1]!;
  const spanK = last.k - first.k;
  const spanInertia = first.inertia - last.inertia;
  if (spanK <= 0 || !(spanInertia > 0)) return null;
  let best: number | null = null;
  let bestGap = 0;
  for (const score of scores) {
    const x = (score.k - first.k) / spanK;
    const y = (first.inertia - score.inertia) / spanInertia;
    const gap = y - x;
    if (gap > bestGap) {
      bestGap = gap;
      best = score.k;
    }
  }
  return best;
}

/** The share of rows in the smallest cluster of a fit. */
function smallestShare(fit: KMeansResult): number {
  const sizes = new Int32Array(fit.k);
  for (const label of fit.labels) sizes[label]!++;
  return Math.min(...sizes) / Math.max(1, fit.labels.length);
}

function pickK(scores: readonly KScore[], elbow: number | null): number {
  let bestSilhouette = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s.silhouette > bestSilhouette) bestSilhouette = s.silhouette;
  let chosen = scores[0]!.k;
  let chosenDistance = Number.POSITIVE_INFINITY;
  for (const s of scores) {
    if (s.silhouette < bestSilhouette - SILHOUETTE_TIE) continue;
    // Among near-equal silhouettes prefer the elbow, then the smaller k (scores run in ascending k).
    const distance = elbow === null ? (s.silhouette === bestSilhouette ? 0 : 1) : Math.abs(s.k - elbow);
    if (distance < chosenDistance) {
      chosenDistance = distance;
      chosen = s.k;
    }
  }
  return chosen;
}

function describeChoice(
  scores: readonly KScore[],
  chosen: number,
  elbow: number | null,
  sizes: { minShare: number; n: number; fitRows: number; silhouetteSize: number; silhouetteExact: boolean },
): string {
  const first = scores[0]!.k;
  const last = scores[scores.length - 1]!.k;
  const winner = scores.find((s) => s.k === chosen)!;
  const best = Math.max(...scores.map((s) => s.silhouette));
  const others = scores
    .filter((s) => s.k !== chosen)
    .map((s) => `k=${s.k} ${s.silhouette.toFixed(3)}`)
    .join(', ');
  const bestK = scores.find((s) => s.silhouette === best)!.k;
  const lead =
    winner.silhouette === best
      ? `k=${chosen}: best silhouette ${winner.silhouette.toFixed(3)} among k=${first}..${last}`
      : winner.silhouette >= best - SILHOUETTE_TIE
        ? `k=${chosen}: silhouette ${winner.silhouette.toFixed(3)}, within ${SILHOUETTE_TIE} of the best ` +
          `(${best.toFixed(3)}) and nearest the elbow, among k=${first}..${last}`
        : `k=${chosen}: silhouette ${winner.silhouette.toFixed(3)}, the best among the k that other seeds ` +
          `reproduce best (k=${bestK} scores ${best.toFixed(3)} but its segments change with the seed), among k=${first}..${last}`;
  const elbowText = elbow === null ? 'no clear inertia elbow' : `inertia elbow at k=${elbow}`;
  let text = `${lead} (${others}); ${elbowText}.`;
  const tooSmall = scores.filter((s) => (s.smallestShare ?? 1) < sizes.minShare).map((s) => `k=${s.k}`);
  if (tooSmall.length > 0 && tooSmall.length < scores.length) {
    text += ` Passed over ${tooSmall.join(', ')}: a segment under ${formatShare(sizes.minShare)} of customers.`;
  }
  if (winner.stability !== undefined) {
    text += ` Other seeds reproduce k=${chosen}'s segments with agreement ${winner.stability.toFixed(2)} (adjusted Rand index).`;
    if (winner.stability < MIN_STABILITY) {
      text += ` No k reaches ${MIN_STABILITY} across seeds: the customers have no sharp groups, so these segments are one reasonable cut among several, and k=${chosen} is among the most reproducible.`;
    } else {
      const unstable = scores.filter((s) => (s.stability ?? 1) < MIN_STABILITY);
      if (unstable.length > 0) {
        text += ` Passed over as unstable across seeds (agreement under ${MIN_STABILITY}): ${unstable.map((s) => `k=${s.k} (${s.stability!.toFixed(3)})`).join(', ')}.`;
      }
    }
  }
  // The (at most three) closest alternatives, so a planner knows which other k would also do.
  const near = scores
    .filter(
      (s) =>
        s.k !== chosen &&
        (s.smallestShare ?? 1) >= sizes.minShare &&
        (s.stability ?? 1) >= Math.min(MIN_STABILITY, winner.stability ?? 1) &&
        s.silhouette >= winner.silhouette - SILHOUETTE_NEAR,
    )
    .sort((a, b) => b.silhouette - a.silhouette || a.k - b.k)
    .slice(0, 3);
  if (near.length > 0) {
    const names = near.map((s) => `k=${s.k} (${s.silhouette.toFixed(3)})`).join(' and ');
    text += ` ${names} ${near.length === 1 ? 'is' : 'are'} nearly as good.`;
  }
  if (sizes.fitRows < sizes.n) {
    text +=
      ` k searched on a seeded sample of ${formatCount(sizes.fitRows)} of ${formatCount(sizes.n)} rows,` +
      ` then k=${chosen} fitted on all rows.`;
  }
  if (!sizes.silhouetteExact)
    text += ` Silhouette on a seeded sample of ${formatCount(sizes.silhouetteSize)} rows.`;
  return text;
}

function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
