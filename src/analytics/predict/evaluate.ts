/**
 * Honest evaluation of a propensity model: a seeded stratified hold-out the model never trains on,
 * ROC AUC with ties counted as half, top-decile precision and lift, gains and calibration by decile,
 * and a sentence a marketer can read. Below 30 holders the numbers are too noisy to post.
 */
import { createRng } from '../rng.js';

/** Fewer holders than this and the model is reported as untrusted, without numbers. */
export const MIN_HOLDERS = 30;

export interface HoldoutSplit {
  /** Row indices used for training, increasing. */
  train: Uint32Array;
  /** Row indices held out, increasing. */
  test: Uint32Array;
}

/**
 * Splits rows into train and test so both keep the share of holders (each class is shuffled with
 * the seed and cut at the same fraction).
 */
export function stratifiedSplit(
  labels: Uint8Array,
  options: { testFraction?: number; seed: number },
): HoldoutSplit {
  const testFraction = options.testFraction ?? 0.25;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError('testFraction must be between 0 and 1');
  const rng = createRng(options.seed);
  const isTest = new Uint8Array(labels.length);
  for (const cls of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) members.push(i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = members[i]!;
      members[i] = members[j]!;
      members[j] = tmp;
    }
    const take = Math.round(members.length * testFraction);
    for (let k = 0; k < take; k++) isTest[members[k]!] = 1;
  }
  let testCount = 0;
  for (let i = 0; i < labels.length; i++) testCount += isTest[i]!;
  const train = new Uint32Array(labels.length - testCount);
  const test = new Uint32Array(testCount);
  for (let i = 0, a = 0, b = 0; i < labels.length; i++) {
    if (isTest[i] === 1) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

/**
 * ROC AUC: the chance that a random holder scores above a random non-holder, ties counting half
 * (the Mann-Whitney statistic with mid-ranks). NaN when either class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface DecileRow {
  /** 1 is the 10% of customers the model ranks highest. */
  decile: number;
  customers: number;
  holders: number;
  /** Share of the decile holding the product. */
  rate: number;
  /** rate / base rate. */
  lift: number;
  /** Share of all holders found in deciles 1..this one. */
  cumulativeShare: number;
  /** Mean predicted probability in the decile (the calibration check). */
  meanPredicted: number;
}

/**
 * Orders customers by score (highest first; equal scores keep input order) and cuts them into ten
 * groups as equal as possible.
 */
export function decileOf(scores: ArrayLike<number>): Uint8Array {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const decile = new Uint8Array(n);
  for (let k = 0; k < n; k++) decile[order[k]!] = Math.min(10, Math.floor((k * 10) / n) + 1);
  return decile;
}

/** Gains, lift and calibration per decile of the score. */
export function decileTable(scores: ArrayLike<number>, labels: ArrayLike<number>): DecileRow[] {
  const deciles = decileOf(scores);
  const customers = new Float64Array(11);
  const holders = new Float64Array(11);
  const predicted = new Float64Array(11);
  let totalHolders = 0;
  for (let i = 0; i < scores.length; i++) {
    const d = deciles[i]!;
    customers[d]!++;
    holders[d]! += labels[i]!;
    predicted[d]! += scores[i]!;
    totalHolders += labels[i]!;
  }
  const baseRate = scores.length > 0 ? totalHolders / scores.length : 0;
  const rows: DecileRow[] = [];
  let cumulative = 0;
  for (let d = 1; d <= 10; d++) {
    const count = customers[d]!;
    if (count === 0) continue;
    cumulative += holders[d]!;
    const rate = holders[d]! / count;
    rows.push({
      decile: d,
      customers: count,
      holders: holders[d]!,
      rate,
      lift: baseRate > 0 ? rate / baseRate : 0,
      cumulativeShare: totalHolders > 0 ? cumulative / totalHolders : 0,
      meanPredicted: predicted[d]! / count,
    });
  }
  return rows;
}

export interface Evaluation {
  /** Customers in the held-out set and holders among them. */
  customers: number;
  holders: number;
  baseRate: number;
  auc: number;
  precisionTopDecile: number;
  liftTopDecile: number;
  deciles: DecileRow[];
  /** Predicted vs observed holding rate per decile. */
  calibration: { decile: number; predicted: number; observed: number }[];
  /** False when there were fewer than MIN_HOLDERS holders in the whole dataset. */
  trusted: boolean;
}

/**
 * Scores held-out customers' predictions against what they actually hold. `totalHolders` is the
 * number of holders in the whole dataset, which decides whether the model can be trusted.
 */
export function evaluateScores(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  totalHolders: number,
): Evaluation {
  const deciles = decileTable(scores, labels);
  let holders = 0;
  for (let i = 0; i < labels.length; i++) holders += labels[i]!;
  const top = deciles[0];
  const baseRate = labels.length > 0 ? holders / labels.length : 0;
  return {
    customers: labels.length,
    holders,
    baseRate,
    auc: rocAuc(scores, labels),
    precisionTopDecile: top ? top.rate : 0,
    liftTopDecile: top ? top.lift : 0,
    deciles,
    calibration: deciles.map((row) => ({
      decile: row.decile,
      predicted: row.meanPredicted,
      observed: row.rate,
    })),
    trusted: totalHolders >= MIN_HOLDERS && holders > 0 && holders < labels.length,
  };
}

const formatLift = (lift: number): string => `${lift >= 10 ? lift.toFixed(0) : lift.toFixed(1)}×`;
const formatShare = (share: number): string =>
  share >= 0.1 ? `${(share * 100).toFixed(0)}%` : `${(share * 100).toFixed(1)}%`;

/** One or two sentences on what the model is worth, for people who do not read AUCs. */
export function describeEvaluation(evaluation: Evaluation, productLabel: string, holding = true): string {
  if (!evaluation.trusted) {
    return holding
      ? `Too few customers hold ${productLabel} (fewer than ${MIN_HOLDERS}) to train a model that can be trusted, so no scores are given.`
      : `Too few customers have ${productLabel} (fewer than ${MIN_HOLDERS}) to train a model that can be trusted, so no scores are given.`;
  }
  const lift = evaluation.liftTopDecile;
  const shares = `(${formatShare(evaluation.precisionTopDecile)} vs ${formatShare(evaluation.baseRate)})`;
  // A product is held; any other outcome ("left the bank (Exited = 1)") is more or less common.
  const head = holding
    ? lift >= 1.05
      ? `On customers it never saw, the top 10% it picks hold ${productLabel} ${formatLift(lift)} as often as average ${shares}.`
      : `On customers it never saw, the top 10% it picks hold ${productLabel} no more often than average ${shares}: the data do not predict it.`
    : lift >= 1.05
      ? `On customers it never saw, ${productLabel} is ${formatLift(lift)} as common in the top 10% it picks as on average ${shares}.`
      : `On customers it never saw, ${productLabel} is no more common in the top 10% it picks than on average ${shares}: the data do not predict it.`;
  const auc = evaluation.auc;
  const strength = auc >= 0.85 ? 'strong' : auc >= 0.75 ? 'good' : auc >= 0.65 ? 'modest' : 'weak';
  return `${head} Ranking quality is ${strength} (AUC ${auc.toFixed(2)}; 0.5 is a coin toss, 1 is perfect).`;
}

/** How the chosen model ranks against the logistic baseline on the same held-out customers. */
export type BaselineVerdict = 'better' | 'same' | 'worse';

/** AUC differences smaller than this are noise on a few thousand held-out customers. */
const BASELINE_MARGIN = 0.005;

/**
 * The one verdict on the baseline, so the summary sentence, the Slack numbers line and the CLI
 * cannot disagree (one saying "about as well", another "better"). Null when either AUC is missing.
 */
export function baselineVerdict(modelAuc: number | null, baselineAuc: number | null): BaselineVerdict | null {
  if (modelAuc === null || baselineAuc === null || Number.isNaN(modelAuc) || Number.isNaN(baselineAuc))
    return null;
  const diff = modelAuc - baselineAuc;
  return diff > BASELINE_MARGIN ? 'better' : diff < -BASELINE_MARGIN ? 'worse' : 'same';
}

/**
 * The one line that says which model was chosen and how each did, used by the summary, the Slack
 * reply and the CLI alike: "Chosen by validation: boosting. On held-out customers: boosting 0.871 ·
 * forest 0.866 · logistic 0.812." When another model did clearly better on the held-out customers
 * the line says so, rather than letting the numbers and the choice seem to disagree.
 */
export function modelComparison(
  chosen: string | null,
  models: readonly { model: string; testAuc: number | null }[],
): string {
  if (chosen === null || models.length === 0) return '';
  const shown = models.filter((m) => m.testAuc !== null && !Number.isNaN(m.testAuc));
  const line = `Chosen by validation: ${chosen}. On held-out customers: ${shown
    .map((m) => `${m.model} ${m.testAuc!.toFixed(3)}`)
    .join(' · ')}.`;
  const chosenAuc = models.find((m) => m.model === chosen)?.testAuc ?? null;
  const better = shown.filter(
    (m) => m.model !== chosen && baselineVerdict(m.testAuc, chosenAuc) === 'better',
  );
  if (better.length === 0) return line;
  const names = better.map((m) => SPOKEN[m.model] ?? m.model).join(' and ');
  return `${line} ${names.charAt(0).toUpperCase()}${names.slice(1)} ranked them better; the choice was made before they were looked at.`;
}

const SPOKEN: Record<string, string> = {
  boosting: 'boosting',
  forest: 'the forest',
  logistic: 'the logistic regression',
};
