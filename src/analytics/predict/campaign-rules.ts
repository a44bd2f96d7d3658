/**
 * Plain rules a marketer can paste into a campaign tool: "balance over 1,500 and no housing loan:
 * 31% vs 12% overall". A single shallow decision tree (CART: depth 3, Gini, leaves of at least 3%
 * of the training customers) is grown on the training part; each leaf's path becomes a rule in the
 * data's own units, with round thresholds chosen so that no training value lies between the
 * tree's cut and the stated one. Every rate is then recounted on the held-out customers by
 * applying the stated conditions to the raw values, so the numbers say exactly what the words do.
 */
import { readableValue } from '../segment/column-labels.js';
import {
  type BinnedMatrix,
  type FeatureColumn,
  type FittedBinner,
  MISSING_BIN,
  OTHER_BIN,
} from './bin-features.js';
import type { FeatureName } from './explain-scores.js';
import { resolveForestOptions, type TreeArrays } from './random-forest.js';
import { growTree } from './tree/grow-tree.js';
import { FLAG_CATEGORICAL, FLAG_MISSING_LEFT } from './tree/node-store.js';

/** One condition of a rule, on one column, as stated. */
export type RuleCondition =
  | {
      kind: 'numeric';
      column: string;
      /** Values above this (null: no lower bound). */
      over: number | null;
      /** Values at most this (null: no upper bound). */
      atMost: number | null;
      /** Whether an empty cell meets the condition. */
      missing: boolean;
    }
  | {
      kind: 'categorical';
      column: string;
      /** The values that meet the condition, as spelt in the data. */
      values: string[];
      /** Whether values the model grouped as rare (not among its kept categories) meet it. */
      others: boolean;
      /** The kept categories, so "others" means any value not in this list. */
      known: string[];
      missing: boolean;
    };

export interface CampaignRule {
  conditions: RuleCondition[];
  /** "balance over 1,500 and no housing loan". */
  text: string;
  /** 'high': a group to target (rate above overall); 'low': one to leave out. */
  kind: 'high' | 'low';
  /** Held-out customers meeting the conditions, how many of them have the outcome, and the share. */
  customers: number;
  positives: number;
  rate: number;
}

export interface CampaignRules {
  /** Which customers the rates are counted on. */
  part: 'held-out';
  customers: number;
  positives: number;
  baseRate: number;
  rules: CampaignRule[];
}

export interface RulesInput {
  /** The training part, binned, and its labels. */
  train: BinnedMatrix;
  trainLabels: Uint8Array;
  binner: FittedBinner;
  /** The raw feature columns of the whole table (same order as the binner). */
  columns: readonly FeatureColumn[];
  names: readonly FeatureName[];
  /** Held-out rows of the table and every row's label (255: unlabelled). */
  testRows: ArrayLike<number>;
  labels: Uint8Array;
  seed: number;
  /** Tree depth (default 3). */
  depth?: number;
}

/** Leaves hold at least this share of the training customers. */
export const RULE_MIN_LEAF_SHARE = 0.03;
/** A rule is shown when at least this many held-out customers meet it. */
export const RULE_MIN_CUSTOMERS = 20;

/** Whether the customer in `row` meets every condition (cells read from `columns` by name). */
export function meetsRule(
  conditions: readonly RuleCondition[],
  columns: ReadonlyMap<string, FeatureColumn>,
  row: number,
): boolean {
  for (const c of conditions) {
    const column = columns.get(c.column)!;
    const v = column.values[row]!;
    if (c.kind === 'numeric') {
      const x = v as number;
      if (Number.isNaN(x)) {
        if (!c.missing) return false;
      } else if ((c.over !== null && !(x > c.over)) || (c.atMost !== null && !(x <= c.atMost))) return false;
    } else {
      const text = v as string;
      if (text === '') {
        if (!c.missing) return false;
      } else if (!c.values.includes(text) && !(c.others && !c.known.includes(text))) return false;
    }
  }
  return true;
}

/** The roundest number r with lo <= r < hi (so "over r" splits lo from hi), or lo when none is rounder. */
export function roundCut(lo: number, hi: number): number {
  if (!(hi > lo)) return lo;
  const span = Math.max(Math.abs(lo), Math.abs(hi), hi - lo);
  for (let e = Math.ceil(Math.log10(span)) + 1; e >= -9; e--) {
    for (const m of [10, 5, 2, 1]) {
      const step = m * 10 ** (e - 1);
      const r = Number((Math.ceil(lo / step) * step).toPrecision(12)) + 0;
      if (r >= lo && r < hi) return r;
    }
  }
  return lo;
}

/** Per feature: the bounds, categories and missing rule met along one path. */
interface PathState {
  over: Map<number, number>;
  atMost: Map<number, number>;
  allowed: Map<number, Set<number>>;
  noMissing: Set<number>;
}

/** The largest value at or below `cut` and the smallest above it, over the whole column. */
function valuesAround(values: Float64Array, cut: number): [number, number] {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v <= cut) {
      if (v > lo) lo = v;
    } else if (v < hi) hi = v;
  }
  return [lo, hi];
}

/** The rules of one shallow tree, with held-out rates: the best leaves, and the worst when useful. */
export function campaignRules(input: RulesInput): CampaignRules {
  const { train, trainLabels, binner, columns, names, testRows, labels } = input;
  const options = resolveForestOptions(
    {
      nTrees: 1,
      maxDepth: input.depth ?? 3,
      minSamplesLeaf: Math.max(10, Math.ceil(train.rows * RULE_MIN_LEAF_SHARE)),
      bootstrap: false,
      maxSamples: 1,
      maxRowsPerTree: Math.max(1, train.rows),
      classWeight: 'none',
      maxFeatures: 'all',
      seed: input.seed,
    },
    train.cols,
  );
  const tree = growTree(train, trainLabels, options, input.seed);
  const byName = new Map(columns.map((c) => [c.name, c]));
  // The stated cut of each numeric split, in the data's units.
  const cutOf = new Map<number, number>();
  const numericCut = (node: number): number => {
    let cut = cutOf.get(node);
    if (cut === undefined) {
      const f = tree.feature[node]!;
      const spec = binner.features[f]!;
      const column = columns[f]!;
      if (spec.kind !== 'numeric' || column.kind !== 'numeric')
        throw new RangeError('numeric split expected');
      const [lo, hi] = valuesAround(column.values, spec.thresholds[tree.threshold[node]!]!);
      cut = roundCut(lo, hi);
      cutOf.set(node, cut);
    }
    return cut;
  };

  let customers = 0;
  let positives = 0;
  for (let k = 0; k < testRows.length; k++) {
    const y = labels[testRows[k]!]!;
    if (y === 255) continue;
    customers++;
    positives += y;
  }
  const baseRate = customers > 0 ? positives / customers : 0;

  const leaves: CampaignRule[] = [];
  const walk = (node: number, state: PathState): void => {
    const f = tree.feature[node]!;
    if (f < 0) {
      if (node === 0) return;
      const conditions = conditionsOf(state, binner, columns);
      let n = 0;
      let yes = 0;
      for (let k = 0; k < testRows.length; k++) {
        const row = testRows[k]!;
        const y = labels[row]!;
        if (y === 255 || !meetsRule(conditions, byName, row)) continue;
        n++;
        yes += y;
      }
      leaves.push({
        conditions,
        text: conditions.map((c) => conditionText(c, names, columns)).join(' and '),
        kind: 'high',
        customers: n,
        positives: yes,
        rate: n > 0 ? yes / n : 0,
      });
      return;
    }
    const leftState = copyState(state);
    const rightState = copyState(state);
    if (tree.flags[node] === FLAG_CATEGORICAL) {
      const { left, right } = categoricalSides(tree, node, binner.features[f]!);
      leftState.allowed.set(f, intersect(state.allowed.get(f), left));
      rightState.allowed.set(f, intersect(state.allowed.get(f), right));
    } else {
      const cut = numericCut(node);
      leftState.atMost.set(f, Math.min(state.atMost.get(f) ?? Number.POSITIVE_INFINITY, cut));
      rightState.over.set(f, Math.max(state.over.get(f) ?? Number.NEGATIVE_INFINITY, cut));
      if (tree.flags[node] === FLAG_MISSING_LEFT) rightState.noMissing.add(f);
      else leftState.noMissing.add(f);
    }
    walk(tree.left[node]!, leftState);
    walk(tree.left[node]! + 1, rightState);
  };
  walk(0, { over: new Map(), atMost: new Map(), allowed: new Map(), noMissing: new Set() });

  // A rate over a handful of held-out customers says little: such leaves are not offered.
  const counted = leaves.filter((l) => l.customers >= RULE_MIN_CUSTOMERS);
  const high = counted
    .filter((l) => l.rate > baseRate)
    .sort((a, b) => b.rate - a.rate || b.customers - a.customers)
    .slice(0, 3);
  const lowest = counted
    .filter((l) => !high.includes(l))
    .sort((a, b) => a.rate - b.rate || b.customers - a.customers)[0];
  // The group to leave out is worth a line only when it is clearly below the rest.
  const low = lowest && lowest.rate < baseRate / 2 ? [{ ...lowest, kind: 'low' as const }] : [];
  return { part: 'held-out', customers, positives, baseRate, rules: [...high, ...low] };
}

function copyState(state: PathState): PathState {
  return {
    over: new Map(state.over),
    atMost: new Map(state.atMost),
    allowed: new Map(state.allowed),
    noMissing: new Set(state.noMissing),
  };
}

function intersect(current: Set<number> | undefined, side: Set<number>): Set<number> {
  if (!current) return side;
  return new Set([...current].filter((c) => side.has(c)));
}

/** The codes a categorical split sends each way (codes absent from the node go right, as the tree does). */
function categoricalSides(
  tree: TreeArrays,
  node: number,
  spec: FittedBinner['features'][number],
): { left: Set<number>; right: Set<number> } {
  const codes = spec.kind === 'categorical' ? spec.categories.map((_, c) => c) : [];
  codes.push(OTHER_BIN, MISSING_BIN);
  const left = new Set<number>();
  const right = new Set<number>();
  const at = tree.threshold[node]!;
  for (const c of codes) {
    if ((tree.masks[at + (c >> 3)]! >> (c & 7)) & 1) left.add(c);
    else right.add(c);
  }
  return { left, right };
}

function conditionsOf(
  state: PathState,
  binner: FittedBinner,
  columns: readonly FeatureColumn[],
): RuleCondition[] {
  const features = new Set([...state.over.keys(), ...state.atMost.keys(), ...state.allowed.keys()]);
  return [...features]
    .sort((a, b) => a - b)
    .map((f): RuleCondition => {
      const spec = binner.features[f]!;
      const column = columns[f]!.name;
      if (spec.kind === 'categorical') {
        const allowed = state.allowed.get(f)!;
        return {
          kind: 'categorical',
          column,
          values: spec.categories.filter((_, c) => allowed.has(c)),
          others: allowed.has(OTHER_BIN),
          known: spec.categories.slice(),
          missing: allowed.has(MISSING_BIN),
        };
      }
      const over = state.over.get(f);
      const atMost = state.atMost.get(f);
      return {
        kind: 'numeric',
        column,
        over: over === undefined ? null : over,
        atMost: atMost === undefined ? null : atMost,
        missing: !state.noMissing.has(f),
      };
    });
}

const number = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

function hasMissing(column: FeatureColumn): boolean {
  for (let i = 0; i < column.values.length; i++) {
    const v = column.values[i]!;
    if (v === '' || (typeof v === 'number' && Number.isNaN(v))) return true;
  }
  return false;
}

const YES_NO = /^(yes|no)$/i;

/** One condition in words: "balance over 1,500", "country is Germany or Spain", "no housing loan". */
export function conditionText(
  condition: RuleCondition,
  names: readonly FeatureName[],
  columns: readonly FeatureColumn[],
): string {
  const name = names.find((n) => n.name === condition.column)!;
  const column = columns.find((c) => c.name === condition.column)!;
  const blanks = hasMissing(column);
  if (condition.kind === 'numeric') {
    let text: string;
    if (
      name.flag &&
      condition.over !== null &&
      condition.over >= 0 &&
      condition.over < 1 &&
      condition.atMost === null
    )
      text = `holds ${name.label}`;
    else if (
      name.flag &&
      condition.atMost !== null &&
      condition.atMost >= 0 &&
      condition.atMost < 1 &&
      condition.over === null
    )
      text = `no ${name.label}`;
    else if (condition.over !== null && condition.atMost !== null)
      text = `${name.label} over ${number(condition.over)} and at most ${number(condition.atMost)}`;
    else if (condition.over !== null) text = `${name.label} over ${number(condition.over)}`;
    else text = `${name.label} ${number(condition.atMost ?? 0)} or less`;
    if (!blanks) return text;
    if (condition.missing) return `${text}, or unknown`;
    return condition.over === null ? `${text} (unknown excluded)` : text;
  }
  const shown = (v: string): string => readableValue(condition.column, v);
  const complement = condition.known.filter((v) => !condition.values.includes(v));
  const missing = blanks && condition.missing ? ' or unknown' : '';
  const allYesNo = condition.known.length === 2 && condition.known.every((v) => YES_NO.test(v));
  if (allYesNo && condition.values.length === 1 && !condition.others) {
    const yes = /^yes$/i.test(condition.values[0]!);
    return `${yes ? `${name.label}: yes` : `no ${name.label}`}${missing}`;
  }
  // "is not France" says the rule in fewer words when it holds for most values and for rare ones.
  if (complement.length > 0 && complement.length < condition.values.length && condition.others) {
    const known = blanks && !condition.missing ? ' (unknown excluded)' : '';
    return `${name.label} is not ${listWords(complement.map(shown), 'or')}${known}`;
  }
  const values = condition.values.map(shown);
  if (condition.others) values.push('a rare value');
  if (values.length === 0) return `${name.label} unknown`;
  return `${name.label} is ${listWords(values, 'or')}${missing}`;
}

/** "a, b or c". */
function listWords(items: readonly string[], last: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}
