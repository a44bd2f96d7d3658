/**
 * Product-uptake propensity from an ingested customer table: pick the product column, build the
 * features, hold out a stratified test set, choose between gradient boosting, the forest and a
 * logistic regression on a validation slice of the training customers, report all three on the
 * held-out customers, then refit the chosen one on every labelled customer and score the ones who
 * do not hold the product yet (or exactly the customers of a list).
 *
 * Features are the numeric and categorical columns plus the other product flags. Holding other
 * products is the strongest legitimate signal for cross-selling (current-account holders take up
 * credit cards), and those flags are known today for the customers being scored. The id, dates and
 * ignored columns never enter the model, and neither does the product itself.
 */
import { BadInputError } from '../../errors.js';
import { numericValues } from '../ingest/column-values.js';
import { productLabel } from '../ingest/product-names.js';
import { knownColumnLabel } from '../segment/column-labels.js';
import type { IngestResult, Table } from '../types.js';
import { binFeatures, type FeatureColumn, type FittedBinner, fitBinner, selectRows } from './bin-features.js';
import { type CampaignRules, campaignRules } from './campaign-rules.js';
import {
  type Candidates,
  chooseModel,
  type FittedModel,
  MODEL_KINDS,
  type ModelKind,
  type ModelScore,
  modelImportances,
  scoreModel,
  trainModel,
} from './choose-model.js';
import {
  baselineVerdict,
  type DecileRow,
  decileOf,
  describeEvaluation,
  evaluateScores,
  MIN_HOLDERS,
  rocAuc,
  stratifiedSplit,
} from './evaluate.js';
import { type Driver, evenSample, type ReasonTable } from './explain-scores.js';
import type { BoostingOptions } from './gradient-boosting.js';
import {
  flagAloneFeatures,
  flagDominantFeature,
  type LeakageFlag,
  leakageWarning,
  singleFeatureAucs,
} from './leakage-guard.js';
import { logisticContributions } from './logistic-explanation.js';
import { type LogisticModel, predictLogistic } from './logistic-regression.js';
import {
  type ExplainInput,
  explainContributions,
  explainTrees,
  featureNames,
  reasonsFor,
} from './model-explanation.js';
import type { ForestOptions } from './random-forest.js';
import {
  deserializeBoosting,
  deserializeForest,
  type SerializedBoosting,
  type SerializedForest,
  serializeBoosting,
  serializeForest,
} from './serialize-forest.js';
import {
  callingThreadTrees,
  predictBoostingWith,
  predictForestWith,
  type TreeRunner,
} from './tree-runner.js';

/** How a model input is read from a table. */
export interface FeatureRef {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Product flags are read as 0/1 numbers (Y/N, true/false included). */
  flag: boolean;
}

/** A trained propensity model with everything needed to score another file. JSON-friendly. */
export interface PropensityModel {
  version: 1;
  product: string;
  label: string;
  /** The product column's value read as "holds it" / the outcome (as spelt in the data). */
  positive: string;
  features: FeatureRef[];
  binner: FittedBinner;
  /** The model that scores (absent in models stored before boosting: the forest). */
  kind?: ModelKind;
  /** Exactly one of these, the chosen kind's. */
  forest?: SerializedForest;
  boosting?: SerializedBoosting;
  logistic?: LogisticModel;
  /** Each feature's typical contribution per value bin, for every scored customer's reasons. */
  reasons: ReasonTable;
  /** Fingerprint of the table it was trained on (a changed upload means retraining). */
  fingerprint: string;
}

export interface CustomerScore {
  customerId: string;
  /** The customer's row in the scored table (0-based). */
  row: number;
  probability: number;
  /** 1 is the 10% of scored customers most likely to take the product up. */
  decile: number;
  /** Whether the customer already holds the product (only customers of a list can). */
  holds: boolean;
  /** Up to three features raising this customer's score most: "balance high (+8 pts)". */
  reasons: readonly string[];
}

export interface CustomerListReport {
  requested: number;
  matched: number;
  /** Ids listed more than once (each reported once, scored once). */
  duplicates: string[];
  /** Ids not in the dataset: reported, not scored. */
  unknown: string[];
}

export interface PropensityResult {
  product: string;
  /** The target in words: "personal loan", "subscribed a deposit (y = yes)". */
  label: string;
  /** The value counted as the outcome, as spelt in the data ("yes", "Attrited Customer", "1"). */
  positive: string;
  /** The value the person asked for after "=", or null for the default. */
  askedValue: string | null;
  /** True when the target is a product people hold ("take up", "hold"), false for any other outcome. */
  holding: boolean;
  customers: number;
  holders: number;
  /** False with fewer than 30 holders: then no numbers and no scores are given. */
  trusted: boolean;
  /** Held-out metrics (null when untrusted). */
  auc: number | null;
  baseRate: number;
  liftTopDecile: number | null;
  precisionTopDecile: number | null;
  heldOut: { customers: number; holders: number } | null;
  gains: DecileRow[];
  calibration: { decile: number; predicted: number; observed: number }[];
  /** Each feature's share of the chosen model's weight. */
  importances: { feature: string; importance: number }[];
  /** The most important features with the direction of their effect, in words. */
  drivers: Driver[];
  /** A shallow tree's leaves as plain rules, with rates counted on the held-out customers. */
  rules: CampaignRules | null;
  /** The logistic regression's held-out AUC. */
  baselineAuc: number | null;
  beatsBaseline: boolean | null;
  /** The model chosen on the validation slice (null when untrusted). */
  model: ModelKind | null;
  /** Every candidate's validation and held-out AUC, in MODEL_KINDS order. */
  models: ModelScore[];
  /** The plain-words verdict; it starts with "Suspect" when the leakage guard flagged a feature. */
  summary: string;
  /** Features that predict the outcome (almost) alone: possibly known only after it. */
  leakage: LeakageFlag[];
  /** One sentence per flagged feature, naming it. */
  warnings: string[];
  /** The features the person chose: only these (null: all), and never these. */
  selection: FeatureSelection;
  features: string[];
  params: { seed: number; nTrees: number; minSamplesLeaf: number; testFraction: number };
  customerList: CustomerListReport | null;
  /** Highest probability first. */
  scores: CustomerScore[];
}

/** Which columns may enter the model, as the person asked. Part of a stored model's reuse key. */
export interface FeatureSelection {
  /** Only these columns (null: every usable column). */
  features: string[] | null;
  /** Never these columns. */
  exclude: string[];
}

export const ALL_FEATURES: FeatureSelection = { features: null, exclude: [] };

export interface PropensityOptions {
  /** Product column name, its readable label, or either in any letter case. */
  product: string;
  /** Columns to use or leave out (default: all usable columns). */
  selection?: FeatureSelection;
  seed?: number;
  testFraction?: number;
  forest?: ForestOptions;
  boosting?: BoostingOptions;
  /** Score exactly these customers (holders included) instead of every non-holder. */
  customers?: readonly string[];
  /** Where the list came from, for messages. */
  customersFile?: string;
  /** Score only these rows (e.g. one segment); ignored when `customers` is given. */
  scoreRows?: ArrayLike<number>;
  /** Refit the chosen model on every labelled customer below this many behind the choice (default REFIT_BELOW). */
  refitBelow?: number;
}

/** A trained propensity model with its result; no model when the product cannot be trusted. */
export interface TrainedPropensity {
  result: PropensityResult;
  model: PropensityModel | null;
}

/**
 * Forest settings for propensity. Leaves of at least 20 draws keep probabilities smooth on noisy
 * uptake data. On planted uptake (3 seeds each of 2,000, 20,000 and 200,000 customers at a 10% base
 * rate, and 50,000 at 1.5%), leaves of 20 ranked as well as leaves of 5 or 10, or better: mean
 * held-out AUC 0.867 against 0.865 (leaves of 5) at 200,000 customers, 0.828 against 0.815 at
 * 2,000, and 0.907 against 0.893 for the rare product. Trees are also half the size, so scoring
 * is faster.
 */
/**
 * Below this many customers behind the model choice, the chosen model is refitted on every labelled
 * customer. Boosting on 200,000 planted-uptake customers, measured on the same 50,000 test
 * customers: 30,000 → 60,000 training customers gain 0.003 to 0.004 AUC, 120,000 → 150,000 under
 * 0.0005, while a refit at that size costs as long again as the whole choice.
 */
export const REFIT_BELOW = 100_000;

export const PROPENSITY_FOREST: ForestOptions = {
  nTrees: 100,
  minSamplesLeaf: 20,
  maxFeatures: 'sqrt',
  classWeight: 'balanced',
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** What product-name resolution needs: the schema and the file name (no data). */
export type ProductSource = Pick<IngestResult, 'schema'> & { table: Pick<Table, 'fileName'> };

/** The product columns of a dataset with their readable names. */
export function productColumns(ingest: ProductSource): { column: string; label: string }[] {
  return ingest.schema.columns
    .filter((c) => c.role === 'product')
    .map((c) => ({ column: c.name, label: c.label ?? productLabel(c.name) }));
}

/**
 * Finds the product column a user meant: exact column name, readable label, then either in any
 * letter case. Unknown names get a BadInputError suggesting the closest product.
 */
export function resolveProduct(ingest: ProductSource, name: string): { column: string; label: string } {
  const wanted = name.trim();
  const products = productColumns(ingest);
  const exact = products.find((p) => p.column === wanted) ?? products.find((p) => p.label === wanted);
  const lower = wanted.toLowerCase();
  const found =
    exact ??
    products.find((p) => p.column.toLowerCase() === lower) ??
    products.find((p) => p.label.toLowerCase() === lower);
  if (found) return found;
  const file = ingest.table.fileName;
  // "loan" or "credit card": the words of one product's name, when no other product has them too.
  const partial = products.filter((p) => hasWords(p, lower));
  if (partial.length === 1) return partial[0]!;
  if (partial.length > 1) {
    throw new BadInputError(`"${wanted.slice(0, 60)}" fits more than one product in ${file}.`, {
      hint: `Which one: ${partial.map(productName).join(' or ')}? Type more of its name.`,
    });
  }
  // A real column that is not a product flag deserves its own explanation.
  const column = ingest.schema.columns.find((c) => c.name === wanted || c.name.toLowerCase() === lower);
  if (column) {
    const constant = column.reason.startsWith('constant');
    throw new BadInputError(
      constant
        ? `${column.name} has the same value for every customer (${column.reason}), so there is nothing to predict.`
        : `${column.name} is not a product-holding flag (it is ${column.role}: ${column.reason}).`,
      {
        hint: productHint(products),
        location: { file, column: column.name },
        // The reason can quote the column's one value ("constant: every value is 12").
        storedMessage: `${column.name} is not a product-holding flag (it is ${column.role}).`,
      },
    );
  }
  if (products.length === 0) {
    throw new BadInputError(`${file} has no product columns (0/1, Y/N or true/false flags) to predict.`, {
      hint: 'Upload a customer table with one column per product holding, e.g. has_personal_loan with 0/1.',
      location: { file },
    });
  }
  let best: { column: string; label: string } | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const p of products) {
    const d = Math.min(
      editDistance(lower, p.column.toLowerCase()),
      editDistance(lower, p.label.toLowerCase()),
    );
    if (d < bestDistance) {
      bestDistance = d;
      best = p;
    }
  }
  // Only a near miss (a typo) is worth suggesting; "nope" is not a misspelt "loan".
  const suggestion = best && bestDistance <= Math.max(1, Math.floor(lower.length / 3)) ? best : undefined;
  throw new BadInputError(`There is no product called "${wanted.slice(0, 60)}" in ${file}.`, {
    hint: `${suggestion ? `Did you mean ${productName(suggestion)}? ` : ''}${productHint(products)}`,
  });
}

/** Whether every word typed is a whole word of the product's label or column name. */
function hasWords(product: { column: string; label: string }, typed: string): boolean {
  const words = typed.split(/[^a-z0-9]+/).filter(Boolean);
  if (words.length === 0) return false;
  const own = new Set(`${product.label} ${product.column}`.toLowerCase().split(/[^a-z0-9]+/));
  return words.every((w) => own.has(w));
}

function productName(p: { column: string; label: string }): string {
  return p.label === p.column ? p.column : `${p.label} (${p.column})`;
}

function productHint(products: { column: string; label: string }[]): string {
  if (products.length === 0) return 'This dataset has no product columns.';
  return `Products: ${products.map(productName).join(', ').slice(0, 400)}`;
}

/**
 * Model inputs: numeric and categorical columns and the other product flags, narrowed to the
 * person's selection. A selected or excluded name that is not a usable column is a BadInputError
 * naming the usable ones, so a typo never silently trains on everything.
 */
export function chooseFeatures(
  ingest: Pick<IngestResult, 'schema'> & { table: Pick<Table, 'fileName'> },
  product: string,
  selection: FeatureSelection = ALL_FEATURES,
): FeatureRef[] {
  const usable: FeatureRef[] = [];
  for (const c of ingest.schema.columns) {
    if (c.name === product) continue;
    if (c.role === 'numeric') usable.push({ name: c.name, kind: 'numeric', flag: false });
    else if (c.role === 'categorical') usable.push({ name: c.name, kind: 'categorical', flag: false });
    else if (c.role === 'product') usable.push({ name: c.name, kind: 'numeric', flag: true });
  }
  const resolve = (name: string, option: string): string => {
    const lower = name.trim().toLowerCase();
    const found =
      usable.find((r) => r.name === name.trim()) ?? usable.find((r) => r.name.toLowerCase() === lower);
    if (found) return found.name;
    const column = ingest.schema.columns.find((c) => c.name.toLowerCase() === lower);
    throw new BadInputError(
      column
        ? `${column.name} cannot be a feature (it is ${column.name === product ? 'the product being predicted' : column.role}), so ${option}= cannot name it.`
        : `There is no column called "${name.trim().slice(0, 60)}" in ${ingest.table.fileName} for ${option}=.`,
      {
        hint: `Usable columns: ${usable
          .map((r) => r.name)
          .join(', ')
          .slice(0, 400)}`,
      },
    );
  };
  const only = selection.features ? new Set(selection.features.map((n) => resolve(n, 'features'))) : null;
  const never = new Set(selection.exclude.map((n) => resolve(n, 'exclude')));
  return usable.filter((r) => (only === null || only.has(r.name)) && !never.has(r.name));
}

/** A selection with every name spelled as its column, deduplicated and sorted, for storing and reuse. */
export function normalizeSelection(
  ingest: Pick<IngestResult, 'schema'> & { table: Pick<Table, 'fileName'> },
  product: string,
  selection: FeatureSelection,
): FeatureSelection {
  const canonical = (names: readonly string[]): string[] => {
    const refs = chooseFeatures(ingest, product, { features: [...names], exclude: [] });
    return [...new Set(refs.map((r) => r.name))].sort();
  };
  return {
    features: selection.features ? canonical(selection.features) : null,
    exclude: canonical(selection.exclude),
  };
}

/** Reads the model inputs from a table; a file without one of them is a BadInputError. */
export function extractFeatures(table: Table, refs: readonly FeatureRef[]): FeatureColumn[] {
  const missing = refs.filter((r) => !table.columns.some((c) => c.name === r.name)).map((r) => r.name);
  if (missing.length > 0) {
    throw new BadInputError(
      `${table.fileName} lacks ${missing.length === 1 ? 'a column' : `${missing.length} columns`} the model needs: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}.`,
      {
        hint: 'Score a file with the same columns as the one the model was trained on.',
        location: { file: table.fileName },
      },
    );
  }
  return refs.map((ref): FeatureColumn => {
    const column = table.columns.find((c) => c.name === ref.name)!;
    if (ref.kind === 'categorical') {
      const values =
        column.kind === 'text'
          ? column.values
          : Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
      return { name: ref.name, kind: 'categorical', values };
    }
    return { name: ref.name, kind: 'numeric', values: numericValues(table, ref.name) };
  });
}

/** Customer ids in row order: the id column, or row numbers when the file has none. */
export function customerIds(ingest: IngestResult): string[] {
  const { table, schema } = ingest;
  const column = schema.idColumn ? table.columns.find((c) => c.name === schema.idColumn) : undefined;
  if (!column) return Array.from({ length: table.rowCount }, (_, i) => String(i + 1));
  if (column.kind === 'text') return column.values.slice();
  return Array.from(column.values, (v) => String(v));
}

/** Matches a list of ids against the dataset; duplicates and unknown ids are reported, not dropped silently. */
export function matchCustomers(
  ids: readonly string[],
  list: readonly string[],
  file = 'the customer list',
): { rows: number[]; report: CustomerListReport } {
  const rowOf = new Map<string, number>();
  ids.forEach((id, row) => {
    rowOf.set(id, row);
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const unknown: string[] = [];
  const rows: number[] = [];
  for (const raw of list) {
    const id = raw.trim();
    if (id === '') continue;
    if (seen.has(id)) {
      duplicates.add(id);
      continue;
    }
    seen.add(id);
    const row = rowOf.get(id);
    if (row === undefined) unknown.push(id);
    else rows.push(row);
  }
  if (seen.size === 0)
    throw new BadInputError(`${file} has no customer ids.`, { hint: 'Give one customer id per line.' });
  if (rows.length === 0) {
    throw new BadInputError(`None of the ${seen.size} customer ids in ${file} are in the dataset.`, {
      hint: `Check that the list uses the same ids as the dataset (for example ${ids.slice(0, 2).join(', ')}).`,
    });
  }
  return {
    rows,
    report: { requested: seen.size, matched: rows.length, duplicates: [...duplicates], unknown },
  };
}

/** What `predict` was asked for, split: "Attrition_Flag=Attrited Customer" → the column and the value. */
export function splitTarget(text: string): { name: string; asked: string | null } {
  const at = text.indexOf('=');
  if (at < 0) return { name: text.trim(), asked: null };
  const asked = text.slice(at + 1).trim();
  return { name: text.slice(0, at).trim(), asked: asked === '' ? null : asked };
}

/**
 * The outcome of a two-valued column as 0/1 labels (255 where missing) and the value read as 1,
 * as spelt in the data. Without an asked value: the holding value of a yes/no or 0/1 flag, or the
 * rarer value of any other pair. An asked value must be one of the column's two (any letter case).
 */
export function outcomeLabels(
  table: Table,
  column: string,
  asked: string | null,
): { labels: Uint8Array; positive: string; values: string[] } {
  const source = table.columns.find((c) => c.name === column)!;
  const raw = (i: number): string =>
    source.kind === 'text'
      ? source.values[i]!
      : Number.isNaN(source.values[i]!)
        ? ''
        : String(source.values[i]);
  const distinct = new Set<string>();
  for (let i = 0; i < table.rowCount && distinct.size <= 2; i++) if (raw(i) !== '') distinct.add(raw(i));
  const values = [...distinct];
  if (asked === null) {
    const labels = productLabels(table, column);
    let positive = '1';
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === 1) {
        positive = raw(i);
        break;
      }
    }
    return { labels, positive, values };
  }
  const wanted = asked.toLowerCase();
  const positive = values.find(
    (v) => v.toLowerCase() === wanted || (source.kind === 'numeric' && Number(v) === Number(asked)),
  );
  if (positive === undefined) {
    const shown = values.map((v) => v.slice(0, 40));
    throw new BadInputError(
      `${column} has the values ${shown.join(' and ')}; "${asked.slice(0, 40)}" is not one of them.`,
      {
        hint: `Name one of its values, for example ${column}=${shown[shown.length - 1] ?? ''}.`,
        location: { file: table.fileName, column },
        storedMessage: `${column} does not have the value asked for.`,
      },
    );
  }
  const labels = new Uint8Array(table.rowCount);
  for (let i = 0; i < labels.length; i++) {
    const v = raw(i);
    labels[i] = v === '' ? 255 : v === positive ? 1 : 0;
  }
  return { labels, positive, values };
}

/**
 * The target in words: the dictionary's name for a known column with its default value
 * ("subscribed a deposit (y = yes)"), a readable product name for a holding flag ("personal loan"),
 * else the column and the value ("Attrition_Flag = Attrited Customer").
 */
export function targetLabel(column: string, productName: string, positive: string, asked: boolean): string {
  // The dictionary's words describe the column's usual outcome, not the other value someone asks for.
  const known = asked ? undefined : knownColumnLabel(column);
  if (known !== undefined) return `${known} (${column} = ${positive})`;
  const readableProduct = productName !== column && !productName.includes(':');
  if (readableProduct && !asked && (positive === '1' || /^(y|yes|s|si|sí|true|t)$/i.test(positive)))
    return productName;
  return `${column} = ${positive}`;
}

function productLabels(table: Table, column: string): Uint8Array {
  const values = numericValues(table, column);
  const labels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) labels[i] = 255;
    else if (v === 0 || v === 1) labels[i] = v;
    else {
      throw new BadInputError(`${column} holds ${v}, not a 0/1 product flag.`, {
        location: { file: table.fileName, column },
        storedMessage: `${column} holds a value other than 0 and 1, so it is not a 0/1 product flag.`,
      });
    }
  }
  return labels;
}

/**
 * Trains, evaluates and scores a propensity model for one product. Returns the JSON-friendly result
 * and the model (for storing and for scoring other files).
 */
export async function trainPropensity(
  ingest: IngestResult,
  options: PropensityOptions,
  trees: TreeRunner = callingThreadTrees,
): Promise<TrainedPropensity> {
  const target = splitTarget(options.product);
  const { column: product, label: productName } = resolveProduct(ingest, target.name);
  let outcome = outcomeLabels(ingest.table, product, target.asked);
  if (target.asked === null && targetLabel(product, productName, outcome.positive, false) !== productName) {
    // Not a product holding: by default the rarer value is the outcome to predict.
    let ones = 0;
    let zeros = 0;
    for (const v of outcome.labels) {
      if (v === 1) ones++;
      else if (v === 0) zeros++;
    }
    const other = outcome.values.find((v) => v !== outcome.positive);
    if (ones > zeros && other !== undefined) outcome = outcomeLabels(ingest.table, product, other);
  }
  const label = targetLabel(product, productName, outcome.positive, target.asked !== null);
  const seed = options.seed ?? 42;
  const testFraction = options.testFraction ?? 0.25;
  const forestOptions: ForestOptions = { ...PROPENSITY_FOREST, ...options.forest, seed };
  const ids = customerIds(ingest);
  const allLabels = outcome.labels;
  const labelled: number[] = [];
  let holders = 0;
  for (let i = 0; i < allLabels.length; i++) {
    if (allLabels[i] === 255) continue;
    labelled.push(i);
    holders += allLabels[i]!;
  }
  const file = ingest.table.fileName;
  if (holders === 0 || holders === labelled.length) {
    throw new BadInputError(
      `${holders === 0 ? 'No customer holds' : 'Every customer holds'} ${label} (${product}) in ${file}, so there is nothing to predict.`,
      { hint: 'Pick a product some customers hold and others do not.', location: { file, column: product } },
    );
  }
  const list = options.customers ? matchCustomers(ids, options.customers, options.customersFile) : null;

  const selection = normalizeSelection(ingest, product, options.selection ?? ALL_FEATURES);
  const refs = chooseFeatures(ingest, product, selection);
  if (refs.length === 0) {
    throw new BadInputError(
      selection.features || selection.exclude.length > 0
        ? `No columns are left to predict ${product} from once features= and exclude= are applied.`
        : `${file} has no columns besides ${product} to predict it from.`,
      { location: { file }, hint: 'Name at least one usable column in features=, or exclude fewer.' },
    );
  }
  const params = {
    seed,
    nTrees: forestOptions.nTrees ?? 100,
    minSamplesLeaf: forestOptions.minSamplesLeaf ?? 1,
    testFraction,
  };
  const base: Omit<PropensityResult, 'trusted' | 'summary'> = {
    product,
    label,
    positive: outcome.positive,
    askedValue: target.asked,
    holding: label === productName,
    customers: labelled.length,
    holders,
    auc: null,
    baseRate: holders / labelled.length,
    liftTopDecile: null,
    precisionTopDecile: null,
    heldOut: null,
    gains: [],
    calibration: [],
    importances: [],
    drivers: [],
    rules: null,
    baselineAuc: null,
    beatsBaseline: null,
    model: null,
    models: [],
    leakage: [],
    warnings: [],
    selection,
    features: refs.map((r) => r.name),
    params,
    customerList: list?.report ?? null,
    scores: [],
  };
  if (holders < MIN_HOLDERS) {
    const evaluation = { trusted: false } as Parameters<typeof describeEvaluation>[0];
    return {
      result: { ...base, trusted: false, summary: describeEvaluation(evaluation, label, base.holding) },
      model: null,
    };
  }

  // 1. Features binned once over the whole table; the same binner scores other files later.
  const columns = extractFeatures(ingest.table, refs);
  const binner = fitBinner(columns);
  const binned = binFeatures(binner, columns);
  const labels = Uint8Array.from(labelled, (i) => allLabels[i]!);
  const labelledRows = Uint32Array.from(labelled);

  // 2. Held-out evaluation: the test customers never reach any model, nor the choice between them.
  const split = stratifiedSplit(labels, { testFraction, seed });
  const trainRows = Uint32Array.from(split.train, (k) => labelledRows[k]!);
  const testRows = Uint32Array.from(split.test, (k) => labelledRows[k]!);
  const trainLabels = Uint8Array.from(split.train, (k) => labels[k]!);
  const testLabels = Uint8Array.from(split.test, (k) => labels[k]!);
  const trainBinned = selectRows(binned, trainRows);
  // The guard's single-feature check sees only training customers, like the models.
  const aucs = singleFeatureAucs(trainBinned, trainLabels);
  const candidates: Candidates = {
    columns,
    binned,
    labels: allLabels,
    forest: forestOptions,
    boosting: { ...options.boosting, seed },
    runner: trees,
  };
  // The models fitted for the choice are the ones measured on the held-out customers: all three
  // learnt from the same customers (the training part less its validation slice), and neither they
  // nor the choice saw a test customer.
  const { chosen, validation, fitted, fitCustomers } = await chooseModel(candidates, trainRows, seed + 1);
  // 3. The model that scores. With fewer than REFIT_BELOW customers behind the choice, the chosen
  // kind is refitted on every labelled customer, on the pool, while the held-out numbers and the
  // rules are worked out here; those numbers then describe this procedure and, if anything,
  // understate the refit, which learns from more customers. From REFIT_BELOW on, more customers
  // barely move the model, and the model measured on the held-out customers is the one that scores.
  const choiceRows = fitted.find((m) => m.kind === chosen)!;
  const refit =
    fitCustomers < (options.refitBelow ?? REFIT_BELOW)
      ? trainModel(candidates, chosen, labelledRows)
      : Promise.resolve(choiceRows);
  refit.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
  const testScores = new Map<ModelKind, Float64Array>();
  for (const model of fitted) testScores.set(model.kind, await scoreModel(candidates, model, testRows));
  const models: ModelScore[] = MODEL_KINDS.map((model) => {
    const auc = rocAuc(testScores.get(model)!, testLabels);
    return { model, validationAuc: validation.get(model) ?? null, testAuc: Number.isNaN(auc) ? null : auc };
  });
  const evaluation = evaluateScores(testScores.get(chosen)!, testLabels, holders);
  const baselineAuc = models.find((m) => m.model === 'logistic')!.testAuc;
  const choiceForest = fitted.find((m) => m.kind === 'forest')!;
  const names = featureNames(ingest.schema, refs);
  const rules = campaignRules({
    train: trainBinned,
    trainLabels,
    binner,
    columns,
    names,
    testRows,
    labels: allLabels,
    seed,
  });
  const finalModel = await refit;
  let scoreRows: number[];
  if (list) scoreRows = list.rows;
  else {
    const allowed = options.scoreRows ? new Set(Array.from(options.scoreRows)) : null;
    scoreRows = [];
    for (let i = 0; i < allLabels.length; i++) {
      if (allLabels[i] !== 1 && (!allowed || allowed.has(i))) scoreRows.push(i);
    }
  }
  const probabilities = await scoreModel(candidates, finalModel, scoreRows);
  const deciles = decileOf(probabilities);
  const columnNames = refs.map((r) => r.name);
  const sharesOf = (fitted: FittedModel): { feature: string; importance: number }[] => {
    const shares = modelImportances(fitted, columnNames);
    return columnNames
      .map((feature, f) => ({ feature, importance: shares[f]! }))
      .sort((a, b) => b.importance - a.importance);
  };
  const importances = sharesOf(finalModel);
  const explanation = explainModel(finalModel, {
    binned,
    binner,
    names,
    columns,
    rows: labelledRows,
    importances,
    baseRate: holders / labelled.length,
  });
  const reasons = reasonsFor({ table: explanation.reasons, binner, names }, binned, scoreRows);
  const scores: CustomerScore[] = scoreRows.map((row, k) => ({
    customerId: ids[row]!,
    row,
    probability: probabilities[k]!,
    decile: deciles[k]!,
    holds: allLabels[row] === 1,
    reasons: reasons[k]!,
  }));
  scores.sort((a, b) => b.probability - a.probability || a.decile - b.decile);

  // The dominance rule is calibrated on the forest's splitting power, whichever model is chosen:
  // boosting's gain is more concentrated on the strongest feature even without a leak.
  const leakage = flagDominantFeature(
    flagAloneFeatures(columnNames, aucs),
    sharesOf(choiceForest),
    (feature) => aucs[columnNames.indexOf(feature)]!,
  );
  const verdict = chosen === 'logistic' ? null : baselineVerdict(evaluation.auc, baselineAuc);
  const result: PropensityResult = {
    ...base,
    trusted: evaluation.trusted,
    auc: evaluation.auc,
    liftTopDecile: evaluation.liftTopDecile,
    precisionTopDecile: evaluation.precisionTopDecile,
    heldOut: { customers: evaluation.customers, holders: evaluation.holders },
    gains: evaluation.deciles,
    calibration: evaluation.calibration,
    importances,
    drivers: explanation.drivers,
    rules,
    baselineAuc,
    beatsBaseline: verdict === null ? null : verdict === 'better',
    model: chosen,
    models,
    summary: `${leakage.length > 0 ? 'Suspect until the flagged features are checked: ' : ''}${describeEvaluation(evaluation, label, base.holding)}`,
    leakage,
    warnings: leakage.map(leakageWarning),
    scores,
  };
  const model: PropensityModel = {
    version: 1,
    product,
    label,
    positive: outcome.positive,
    features: refs,
    binner,
    kind: chosen,
    ...storedModelPart(finalModel),
    reasons: explanation.reasons,
    fingerprint: ingest.table.fingerprint,
  };
  return { result, model };
}

/**
 * Scores every customer of another table (new customers, prospects) with a trained model. The
 * table needs the model's feature columns; the product column may be absent.
 */
export async function scoreTable(
  model: PropensityModel,
  ingest: IngestResult,
  trees: TreeRunner = callingThreadTrees,
): Promise<CustomerScore[]> {
  const columns = extractFeatures(ingest.table, model.features);
  const binned = binFeatures(model.binner, columns);
  const probabilities = await scoreStored(model, columns, binned, trees);
  const deciles = decileOf(probabilities);
  const reasons = reasonsFor(
    { table: model.reasons, binner: model.binner, names: featureNames(ingest.schema, model.features) },
    binned,
    Uint32Array.from({ length: binned.rows }, (_, i) => i),
  );
  const ids = customerIds(ingest);
  const productColumn = ingest.table.columns.some((c) => c.name === model.product)
    ? outcomeLabels(ingest.table, model.product, model.positive).labels
    : null;
  const scores = ids.map((customerId, i) => ({
    customerId,
    row: i,
    probability: probabilities[i]!,
    decile: deciles[i]!,
    holds: productColumn !== null && productColumn[i] === 1,
    reasons: reasons[i]!,
  }));
  return scores.sort((a, b) => b.probability - a.probability || a.decile - b.decile);
}

/**
 * Drivers and the reason table of the chosen model, so the reasons describe the scores given. Tree
 * models by exact path contributions: a forest averages probabilities; boosting sums log-odds on
 * every node, made points through the logistic curve's slope at the base rate. A logistic
 * regression by coefficient times standardized value, in the same points.
 */
function explainModel(
  fitted: FittedModel,
  input: ExplainInput & { columns: readonly FeatureColumn[]; rows: Uint32Array },
): { drivers: Driver[]; reasons: ReasonTable } {
  switch (fitted.kind) {
    case 'forest': {
      const trees = fitted.forest;
      return explainTrees({
        ...input,
        model: { trees, scale: 1 / (trees.treeStart.length - 1), toPoints: 100 },
      });
    }
    case 'boosting':
      return explainTrees({
        ...input,
        model: { trees: fitted.boosting, scale: 1, toPoints: 100 * input.baseRate * (1 - input.baseRate) },
      });
    case 'logistic': {
      const sample = evenSample(input.rows);
      const { contributions } = logisticContributions(fitted.logistic, input.columns, sample, input.baseRate);
      return explainContributions({ ...input, sample, contributions });
    }
  }
}

/** The chosen model in its stored form. */
function storedModelPart(fitted: FittedModel): Pick<PropensityModel, 'forest' | 'boosting' | 'logistic'> {
  switch (fitted.kind) {
    case 'boosting':
      return { boosting: serializeBoosting(fitted.boosting) };
    case 'forest':
      return { forest: serializeForest(fitted.forest) };
    case 'logistic':
      return { logistic: fitted.logistic };
  }
}

/** Probabilities from a stored model of any kind (a model stored before boosting is a forest). */
async function scoreStored(
  model: PropensityModel,
  columns: FeatureColumn[],
  binned: ReturnType<typeof binFeatures>,
  trees: TreeRunner,
): Promise<Float64Array> {
  const kind = model.kind ?? 'forest';
  if (kind === 'boosting' && model.boosting) {
    return predictBoostingWith(trees, deserializeBoosting(model.boosting), binned);
  }
  if (kind === 'logistic' && model.logistic) return predictLogistic(model.logistic, columns);
  if (kind === 'forest' && model.forest)
    return predictForestWith(trees, deserializeForest(model.forest), binned);
  throw new RangeError('stored model is damaged');
}
