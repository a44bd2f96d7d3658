import type { Column, ColumnSchema, Schema, Table } from '../types.js';
import { findDuplicate } from './find-duplicate.js';
import { productLabel } from './product-names.js';

/** A text column with at most this many distinct values (and fewer than half the rows) is categorical. */
export const MAX_CATEGORIES = 50;

const SANTANDER_PRODUCT = /^ind_.+_ult1$/i;

/** Name words that make a binary column a customer attribute rather than a product held. */
const ATTRIBUTE_WORDS = new Set([
  'active',
  'activity',
  'actividad',
  'inactive',
  'new',
  'nuevo',
  'gender',
  'sex',
  'sexo',
  'male',
  'female',
  'resident',
  'residence',
  'indresi',
  'foreign',
  'foreigner',
  'indext',
  'deceased',
  'indfall',
  'dead',
  'married',
  'spouse',
  'conyuemp',
  'employee',
  'empleado',
  'staff',
  'churn',
  'churned',
  'attrition',
  'exited',
  'default',
  'primary',
  'vip',
]);

const CUSTOMER_WORDS = new Set([
  'cust',
  'customer',
  'client',
  'cliente',
  'member',
  'user',
  'account',
  'person',
]);
const ID_WORDS = new Set(['id', 'no', 'number', 'num', 'nr', 'code', 'key']);
/** One-word customer ids: custid, CLIENTNUM, customernumber. */
const JOINED_ID = /^(cust|customer|client|cliente)(id|no|num|number|nr|code|key)$/;

/** Splits a column name into lower-case words (snake_case, kebab-case, camelCase, spaces). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * Whether a column name says it holds the customer id: CUST_ID, customer_id, ClientId, CLIENTNUM, id,
 * ncodpers, customer. Ids of other things (branch_id) do not count.
 */
export function looksLikeCustomerIdName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (words.includes('ncodpers')) return true;
  if (words.length === 1)
    return words[0] === 'id' || CUSTOMER_WORDS.has(words[0]!) || JOINED_ID.test(words[0]!);
  const hasCustomer = words.some((w) => CUSTOMER_WORDS.has(w));
  const hasId = words.some((w) => ID_WORDS.has(w));
  return hasCustomer && hasId && words.length <= 3;
}

/** Whether a binary column's name says it describes the customer (not a product held). */
export function looksLikeAttributeName(name: string): boolean {
  return nameWords(name).some((w) => ATTRIBUTE_WORDS.has(w));
}

const TRUE_TOKENS = new Set(['1', 'true', 't', 'y', 'yes', 's', 'si', 'sí']);
const FALSE_TOKENS = new Set(['0', 'false', 'f', 'n', 'no']);

/** 1 or 0 for a yes/no text (true/false, Y/N, S/N, yes/no), or null if it is not one. */
export function flagValue(text: string): 0 | 1 | null {
  const t = text.toLowerCase();
  if (TRUE_TOKENS.has(t)) return 1;
  if (FALSE_TOKENS.has(t)) return 0;
  return null;
}

/**
 * How a two-valued column reads as 0/1: yes/no spellings by their meaning; any other pair
 * ("Existing Customer"/"Attrited Customer") with the rarer value as 1 (ties: the later in sort order),
 * since the rarer value is usually the event of interest.
 */
export function twoValuedCoding(counts: ReadonlyMap<string, number>): { positive: string; negative: string } {
  const [a, b] = [...counts.keys()].sort();
  if (a === undefined || b === undefined) throw new RangeError('twoValuedCoding needs two values');
  if (flagValue(a) === 1 && flagValue(b) === 0) return { positive: a, negative: b };
  if (flagValue(a) === 0 && flagValue(b) === 1) return { positive: b, negative: a };
  return counts.get(a)! < counts.get(b)! ? { positive: a, negative: b } : { positive: b, negative: a };
}

/** Name words of a column that holds people's names. */
const PERSONAL_NAME_WORDS = new Set([
  'name',
  'surname',
  'firstname',
  'lastname',
  'forename',
  'nombre',
  'apellido',
  'apellidos',
]);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether a text is an ISO-like date (2015-01-28, optionally with a time). */
export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Day-first or month-first dates with a 4-digit year (28/01/2015, 01-28-2015, 28.01.2015), or 2015/01/28. */
const OTHER_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;
const YEAR_FIRST_SLASH = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * Whether a text is a date: ISO (see isIsoDate), year-first with slashes or dots, or day- or
 * month-first with a four-digit year. Either of the first two parts may be the day, so 28/01/2015
 * and 01/28/2015 both count; 13/13/2015 does not.
 */
export function isDateText(text: string): boolean {
  if (isIsoDate(text)) return true;
  const yearFirst = YEAR_FIRST_SLASH.exec(text);
  if (yearFirst) {
    const month = Number(yearFirst[2]);
    const day = Number(yearFirst[3]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
  const other = OTHER_DATE.exec(text);
  if (!other) return false;
  const a = Number(other[1]);
  const b = Number(other[2]);
  const valid = (day: number, month: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31;
  return valid(a, b) || valid(b, a);
}

interface TextStats {
  /** Value counts; complete only when `distinct` <= MAX_CATEGORIES. */
  counts: Map<string, number>;
  /** Exact up to MAX_CATEGORIES, else MAX_CATEGORIES + 1. */
  distinct: number;
  unique: boolean;
}

/** Value counts, given up past MAX_CATEGORIES distinct values (uniqueness is then checked apart). */
function textStats(values: string[]): TextStats {
  const counts = new Map<string, number>();
  let unique = true;
  for (const v of values) {
    if (v === '') continue;
    const c = counts.get(v);
    if (c !== undefined) {
      unique = false;
      counts.set(v, c + 1);
    } else {
      if (counts.size === MAX_CATEGORIES) {
        return { counts, distinct: MAX_CATEGORIES + 1, unique: unique && findDuplicate(values) === null };
      }
      counts.set(v, 1);
    }
  }
  return { counts, distinct: counts.size, unique };
}

/** Distinct non-missing values of a numeric column, stopping once there are more than `cap`. */
function numericDistinct(values: Float64Array, cap: number): Set<number> {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    seen.add(v);
    if (seen.size > cap) break;
  }
  return seen;
}

function formatValue(v: number | string): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v);
}

/**
 * Decides what each column means: the customer id, numeric features, categorical features,
 * product-holding flags, dates, and columns to ignore (with the reason).
 *
 * Product rule: when the table has Santander-style `ind_*_ult1` columns, exactly those are
 * products and other binary columns are ordinary 0/1 features; otherwise every binary column is a
 * product flag unless its name says it describes the customer (active, new, gender, resident, ...).
 */
export function inferSchema(table: Table): Schema {
  const santanderStyle = table.columns.some((c) => SANTANDER_PRODUCT.test(c.name));
  const isProductName = (name: string) =>
    santanderStyle ? SANTANDER_PRODUCT.test(name) : !looksLikeAttributeName(name);
  let idColumn: string | null = null;
  const idNamed = table.columns.find((c) => looksLikeCustomerIdName(c.name));
  const columns = table.columns.map((column, index): ColumnSchema => {
    const present = table.rowCount - column.missing;
    if (present === 0) return { name: column.name, role: 'ignored', reason: 'empty: every value is missing' };
    const idCandidate =
      idColumn === null &&
      (column === idNamed || (idNamed === undefined && index === 0 && column.kind === 'text'));
    const result =
      column.kind === 'numeric'
        ? numericRole(column, idCandidate, isProductName)
        : textRole(column, present, idCandidate, isProductName);
    if (result.role === 'id') idColumn = column.name;
    return result;
  });
  return { idColumn, columns };
}

function numericRole(
  column: Extract<Column, { kind: 'numeric' }>,
  idCandidate: boolean,
  isProductName: (name: string) => boolean,
): ColumnSchema {
  const { name, values } = column;
  if (idCandidate && column.missing === 0 && findDuplicate(values) === null) {
    return { name, role: 'id', reason: 'customer id: named like one, and unique on every row' };
  }
  if (isRowNumber(values) && (values.length >= 20 || nameWords(name).some((w) => ROW_NUMBER_WORDS.has(w)))) {
    return { name, role: 'ignored', reason: 'a row number (1, 2, 3, … in file order), not a feature' };
  }
  const distinct = numericDistinct(values, 2);
  const binary = distinct.size <= 2 && [...distinct].every((v) => v === 0 || v === 1);
  if (binary && SANTANDER_PRODUCT.test(name) && isProductName(name)) {
    const label = productLabel(name);
    const holders = distinct.has(1)
      ? 'a 0/1 product-holding flag'
      : 'a 0/1 product-holding flag (no customer holds it)';
    return { name, role: 'product', reason: holders, label };
  }
  if (distinct.size === 1) {
    return { name, role: 'ignored', reason: `constant: every value is ${formatValue([...distinct][0]!)}` };
  }
  if (binary) return binaryRole(name, '0/1', isProductName);
  return { name, role: 'numeric', reason: 'numbers' };
}

/** Name words of a record-number column (RowNumber, index, Unnamed: 0). */
const ROW_NUMBER_WORDS = new Set(['row', 'rownum', 'rownumber', 'index', 'idx', 'record', 'unnamed', 'seq']);

/** Whether the values are exactly 1..n (or 0..n-1) in file order: a record number, not a feature. */
export function isRowNumber(values: Float64Array): boolean {
  if (values.length < 3) return false;
  const start = values[0]!;
  if (start !== 0 && start !== 1) return false;
  for (let i = 1; i < values.length; i++) if (values[i] !== start + i) return false;
  return true;
}

/** Name words that mark a binary column as an outcome a bank predicts (churn, default, response). */
const OUTCOME_WORDS = new Set([
  'churn',
  'churned',
  'attrition',
  'attrited',
  'exited',
  'default',
  'target',
  'outcome',
  'label',
  'response',
  'subscribed',
  'y',
]);

/**
 * A binary column of any spelling is a holding or an outcome: profiled per segment and offered as a
 * prediction target, but kept out of clustering unless asked for, so that the segments do not
 * simply split on one yes/no answer.
 */
function binaryRole(
  name: string,
  spelling: string,
  isProductName: (name: string) => boolean,
  positive?: string,
): ColumnSchema {
  const words = nameWords(name);
  const kind = words.some((w) => OUTCOME_WORDS.has(w))
    ? 'an outcome'
    : isProductName(name)
      ? 'a product-holding flag'
      : 'a customer attribute';
  const label = positive === undefined ? productLabel(name) : `${productLabel(name)}: ${positive}`;
  return {
    name,
    role: 'product',
    reason: `${kind} (${spelling}): profiled and predicted, not clustered on`,
    label,
  };
}

function textRole(
  column: Extract<Column, { kind: 'text' }>,
  present: number,
  idCandidate: boolean,
  isProductName: (name: string) => boolean,
): ColumnSchema {
  const { name, values } = column;
  if (idCandidate && column.missing === 0 && findDuplicate(values) === null) {
    return { name, role: 'id', reason: 'customer id: unique on every row' };
  }
  const stats = textStats(values);
  const keys = [...stats.counts.keys()];
  if (stats.distinct === 2 && !stats.unique) {
    const coding = twoValuedCoding(stats.counts);
    const positive = keys.every((k) => flagValue(k) !== null) ? undefined : coding.positive;
    return binaryRole(name, `${coding.negative}/${coding.positive}`, isProductName, positive);
  }
  if (stats.distinct === 1) {
    return { name, role: 'ignored', reason: `constant: every value is ${formatValue(keys[0]!)}` };
  }
  let dates = 0;
  for (const k of stats.distinct <= MAX_CATEGORIES ? keys : values.slice(0, 1000)) {
    if (k !== '' && isDateText(k)) dates++;
  }
  const sampled =
    stats.distinct <= MAX_CATEGORIES ? keys.length : values.slice(0, 1000).filter((v) => v !== '').length;
  if (sampled > 0 && dates >= 0.9 * sampled && allDates(values)) {
    return {
      name,
      role: 'date',
      reason: values.find((v) => v !== '' && isIsoDate(v)) ? 'ISO dates (YYYY-MM-DD)' : 'dates',
    };
  }
  // Two repeated values (H/V, S/N) are categories even in a table too small for the share rule.
  if (
    stats.distinct <= MAX_CATEGORIES &&
    (stats.distinct < 0.5 * present || (stats.distinct <= 2 && !stats.unique))
  ) {
    const categories = [...stats.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map((e) => e[0]);
    return { name, role: 'categorical', reason: `${stats.distinct} distinct values`, categories };
  }
  const numbers = countNumbers(values);
  if (numbers > 0) {
    return {
      name,
      role: 'ignored',
      reason: `text with many distinct values (${numbers.toLocaleString('en-US')} of ${present.toLocaleString('en-US')} are numbers, the rest are not)`,
    };
  }
  const many = stats.distinct > MAX_CATEGORIES ? `more than ${MAX_CATEGORIES}` : String(stats.distinct);
  const what = nameWords(name).some((w) => PERSONAL_NAME_WORDS.has(w))
    ? 'a personal name'
    : 'free text or an identifier';
  return {
    name,
    role: 'ignored',
    reason: `${what}: ${many} distinct values${stats.unique ? ', one per row' : ''}; never a feature`,
  };
}

function allDates(values: string[]): boolean {
  let ok = 0;
  let present = 0;
  for (const v of values) {
    if (v === '') continue;
    present++;
    if (isDateText(v)) ok++;
  }
  return ok >= 0.9 * present;
}

function countNumbers(values: string[]): number {
  let n = 0;
  for (const v of values) if (v !== '' && Number.isFinite(Number(v))) n++;
  return n;
}
