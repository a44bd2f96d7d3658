import { median } from '../median.js';
import { MAX_FEATURES, tooManyFeaturesText } from '../segment/preprocess.js';
import type { Column, ColumnQuality, ColumnRole, QualityReport, Schema, Table } from '../types.js';
import { numericValues } from './column-values.js';
import { looksLikeCustomerIdName, nameWords } from './infer-schema.js';

const ROLES: ColumnRole[] = ['id', 'numeric', 'categorical', 'product', 'date', 'ignored'];

/** Placeholder values some systems write for "unknown" (Santander's antiguedad uses -999999). */
const SENTINELS = new Set([-99999, -999999, -9999999, -99999999, 99999, 999999, 9999999, 99999999]);

/** Short codes that mean "never" or "unknown" when they stand apart from a column's other values. */
const SHORT_CODES = new Set([-1, -9, -99, -999, -9999, 99, 999, 9999]);

/**
 * Whether a value is -1, -9, ±99, … ±99,999,999: the only values a code can be. Comparisons
 * settle a million ordinary values far sooner than two Set lookups each would.
 */
function mayBeCode(v: number): boolean {
  const a = v < 0 ? -v : v;
  if (a < 1 || a > 99_999_999) return false;
  // 1 and 9 are codes only when negative: a frequency column full of 1s must not reach the Sets.
  if (a < 99) return v < 0 && (a === 1 || a === 9);
  return (
    a === 99 ||
    a === 999 ||
    a === 9_999 ||
    a === 99_999 ||
    a === 999_999 ||
    a === 9_999_999 ||
    a === 99_999_999
  );
}

/** Placeholder values that ingest turned into missing values, per column. */
export type ReplacedPlaceholders = Map<string, { value: number; count: number }[]>;

/**
 * The placeholder codes of one numeric column, with their counts. A code stands apart when:
 * - negative (-1, -999, -999999, …) and every other value of the column is 0 or more, or
 * - positive (99, 999, 9999, …), the largest value, and more than twice every other value.
 * Short codes (-1, 999, …) count only when they repeat and the other values are varied (3 or more
 * distinct), so a -1/0/1 coding or a lone -1 is not mistaken for one.
 */
function placeholderCodes(values: Float64Array): Map<number, number> {
  const counts = new Map<number, number>();
  // Whether the other values are varied needs only the first three distinct ones, kept in locals:
  // a Set would be asked once per value in a column of mostly 0s and 1s.
  let distinct = 0;
  let first = Number.NaN;
  let second = Number.NaN;
  let otherMax = Number.NEGATIVE_INFINITY;
  let negative = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (mayBeCode(v) && (SHORT_CODES.has(v) || SENTINELS.has(v))) {
      counts.set(v, (counts.get(v) ?? 0) + 1);
      continue;
    }
    if (v < 0) negative = true;
    if (v > otherMax) otherMax = v;
    if (distinct < 3 && v !== first && v !== second) {
      if (distinct === 0) first = v;
      else if (distinct === 1) second = v;
      distinct++;
    }
  }
  const codes = new Map<number, number>();
  for (const [value, count] of counts) {
    const long = SENTINELS.has(value);
    // A short code must repeat among varied other values: a single -1 is a value, not a code.
    if (!long && (distinct < 3 || count < 2)) continue;
    const apart = value < 0 ? !negative : value > 2 * otherMax && value >= Math.max(...counts.keys());
    // Long positive codes stay as notes only (see rangeNotes): a real 99,999 is not impossible.
    if (apart && !(long && value > 0)) codes.set(value, count);
  }
  return codes;
}

/**
 * Turns placeholder codes that stand apart from a column's other values (-1 in pdays when the
 * other values are days, 999 beside values up to 30, -999999 in Santander's antiguedad) into missing
 * values, so they are never averaged or scaled as real amounts. Customer-id columns are left alone.
 * Changes the table in place and returns what was replaced, for the quality report.
 */
export function replacePlaceholders(table: Table): ReplacedPlaceholders {
  const replaced: ReplacedPlaceholders = new Map();
  for (const column of table.columns) {
    if (column.kind !== 'numeric' || looksLikeCustomerIdName(column.name)) continue;
    const codes = placeholderCodes(column.values);
    if (codes.size === 0) continue;
    const values = column.values;
    for (let i = 0; i < values.length; i++) {
      if (codes.has(values[i]!)) values[i] = Number.NaN;
    }
    let total = 0;
    for (const count of codes.values()) total += count;
    column.missing += total;
    replaced.set(
      column.name,
      [...codes].map(([value, count]) => ({ value, count })),
    );
  }
  return replaced;
}

const AMOUNT_WORDS = new Set([
  'purchases',
  'purchase',
  'payments',
  'payment',
  'amount',
  'limit',
  'advance',
  'income',
  'renta',
  'salary',
  'spend',
  'spending',
  'deposit',
  'loan',
  'age',
  'tenure',
  'antiguedad',
]);

function isFrequencyName(name: string): boolean {
  return nameWords(name).some((w) => w === 'frequency' || w === 'freq' || w === 'ratio' || w === 'prc');
}

function isAmountName(name: string): boolean {
  return !isFrequencyName(name) && nameWords(name).some((w) => AMOUNT_WORDS.has(w));
}

/** Median of the non-NaN values (NaN if there are none); kept under the name ingest has always exported. */
export { median as medianOf } from '../median.js';

function percent(count: number, rows: number): string {
  return `${((100 * count) / Math.max(1, rows)).toFixed(1)}%`;
}

/** Category values that mean "we do not know" rather than a real answer. */
const UNKNOWN_VALUES = new Set([
  'unknown',
  'unk',
  'n/a',
  'na',
  'none',
  'null',
  '?',
  'not known',
  'desconocido',
  'nd',
  'missing',
]);

/** Counts "unknown"-type values of a text column; they stay their own category, never a real answer. */
function unknownNotes(name: string, column: Column): string[] {
  if (column.kind !== 'text') return [];
  const counts = new Map<string, number>();
  for (const v of column.values) {
    if (UNKNOWN_VALUES.has(v.toLowerCase())) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].map(
    ([value, count]) =>
      `${plural(count, 'value', 'values')} of ${name} (${percent(count, column.values.length)}) ${count === 1 ? 'is' : 'are'} "${value}": kept as a category of ${count === 1 ? 'its' : 'their'} own, not a real answer.`,
  );
}

/**
 * Plain sentences on a skipped description line, a missing id and the yes/no columns. Row numbers,
 * names and free text are listed once, with their reason, in the report's `dropped` columns.
 */
function roleNotes(table: Table, schema: Schema): string[] {
  const notes: string[] = [];
  if (table.descriptionLine !== undefined) {
    notes.push(
      `Line ${table.descriptionLine} describes the columns (descriptions or units), not a customer: it was skipped.`,
    );
  }
  if (schema.idColumn === null) {
    notes.push(
      'No id column: row numbers are used as ids, so runs on this file are not compared with other runs.',
    );
  }
  const binary = schema.columns.filter((c) => c.role === 'product').map((c) => c.name);
  if (binary.length > 0) {
    notes.push(
      `Yes/no columns (${binary.slice(0, 10).join(', ')}${binary.length > 10 ? `, and ${binary.length - 10} more` : ''}) are profiled per segment and offered as prediction targets, but not clustered on unless asked for.`,
    );
  }
  const dates = schema.columns.filter((c) => c.role === 'date').map((c) => c.name);
  if (dates.length > 0) {
    notes.push(
      `Date columns (${dates.slice(0, 10).join(', ')}${dates.length > 10 ? `, and ${dates.length - 10} more` : ''}) are recognised as dates and not clustered on.`,
    );
  }
  return notes;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * The data-quality report shown after an upload: rows, columns by role, missing counts, summary
 * statistics, dropped columns with the reason, and notes on out-of-range values (frequencies above
 * 1, negative amounts, placeholder values such as -999999, BALANCE above CREDIT_LIMIT). Notes give
 * counts only, never customer ids. `replaced` lists the placeholders ingest already turned into
 * missing values (see replacePlaceholders), so the report can still mention them.
 */
export function buildQualityReport(
  table: Table,
  schema: Schema,
  replaced: ReplacedPlaceholders = new Map(),
): QualityReport {
  const byRole = Object.fromEntries(ROLES.map((r) => [r, [] as string[]])) as Record<ColumnRole, string[]>;
  const notes: string[] = [];
  const columns: ColumnQuality[] = schema.columns.map((cs) => {
    byRole[cs.role].push(cs.name);
    const column = table.columns.find((c) => c.name === cs.name);
    const quality: ColumnQuality = { name: cs.name, role: cs.role, missing: column?.missing ?? 0, notes: [] };
    if (column === undefined) return quality;
    if (cs.role === 'categorical') quality.distinct = cs.categories?.length ?? 0;
    if (cs.role === 'id') quality.distinct = table.rowCount - column.missing;
    const numericRole = cs.role === 'numeric' || cs.role === 'product';
    if (numericRole || (cs.role === 'ignored' && column.kind === 'numeric')) {
      const values = numericValues(table, cs.name);
      Object.assign(quality, summarise(values));
      for (const { value, count } of replaced.get(cs.name) ?? []) {
        quality.notes.push(
          `${plural(count, 'value', 'values')} of ${cs.name} (${percent(count, table.rowCount)}) ${count === 1 ? 'was' : 'were'} ${value}, a placeholder for "unknown" or "never" that stands apart from the other values; ${count === 1 ? 'it is' : 'they are'} counted as missing, not averaged.`,
        );
      }
      quality.notes.push(...rangeNotes(cs.name, values));
    }
    if (cs.role === 'categorical' || cs.role === 'product')
      quality.notes.push(...unknownNotes(cs.name, column));
    if (column.missing > 0 && cs.role !== 'ignored') {
      const share = (100 * column.missing) / Math.max(1, table.rowCount);
      notes.push(
        `${cs.name} has ${plural(column.missing, 'missing value', 'missing values')} (${share.toFixed(1)}%).`,
      );
    }
    return quality;
  });

  const balance = findNumeric(table, schema, 'balance');
  const limit = findNumeric(table, schema, 'credit_limit');
  if (balance && limit) {
    const b = numericValues(table, balance);
    const l = numericValues(table, limit);
    let over = 0;
    for (let i = 0; i < b.length; i++) if (b[i]! > l[i]!) over++;
    if (over > 0) notes.push(`${plural(over, 'customer has', 'customers have')} ${balance} above ${limit}.`);
  }
  // Said at upload, not first when a segmentation is refused: the file is usable with features=.
  const usable = byRole.numeric.length + byRole.categorical.length;
  if (usable > MAX_FEATURES) notes.unshift(tooManyFeaturesText(usable));
  for (const q of columns) notes.push(...q.notes.map((n) => n));
  notes.push(...roleNotes(table, schema));

  return {
    fileName: table.fileName,
    rows: table.rowCount,
    columnCount: table.columns.length,
    byRole,
    columns,
    dropped: schema.columns
      .filter((c) => c.role === 'ignored')
      .map((c) => ({ name: c.name, reason: c.reason })),
    notes,
  };
}

function findNumeric(table: Table, schema: Schema, lowerName: string): string | undefined {
  const cs = schema.columns.find((c) => c.name.toLowerCase() === lowerName && c.role === 'numeric');
  if (cs === undefined) return undefined;
  return table.columns.some((c) => c.name === cs.name && c.kind === 'numeric') ? cs.name : undefined;
}

function summarise(values: Float64Array): Pick<ColumnQuality, 'min' | 'max' | 'mean' | 'median'> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  if (n === 0) return {};
  return { min, max, mean: sum / n, median: median(values) };
}

function rangeNotes(name: string, values: Float64Array): string[] {
  const notes: string[] = [];
  const sentinels = new Map<number, number>();
  let negative = 0;
  let aboveOne = 0;
  let belowZero = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if ((v <= -99999 || v >= 99999) && SENTINELS.has(v)) {
      sentinels.set(v, (sentinels.get(v) ?? 0) + 1);
      continue;
    }
    if (v < 0) negative++;
    if (v > 1) aboveOne++;
    if (v < 0) belowZero++;
  }
  for (const [value, count] of sentinels) {
    notes.push(
      `${plural(count, 'value', 'values')} of ${name} ${count === 1 ? 'is' : 'are'} ${value}, a placeholder for "unknown" rather than a real value; treat ${count === 1 ? 'it' : 'them'} as missing.`,
    );
  }
  if (isFrequencyName(name)) {
    if (aboveOne > 0)
      notes.push(
        `${plural(aboveOne, 'value', 'values')} of ${name} above 1 (a frequency or ratio should be between 0 and 1).`,
      );
    if (belowZero > 0)
      notes.push(
        `${plural(belowZero, 'value', 'values')} of ${name} below 0 (a frequency or ratio should be between 0 and 1).`,
      );
  } else if (isAmountName(name) && negative > 0) {
    notes.push(
      `${plural(negative, 'negative value', 'negative values')} of ${name} (it should not be below 0).`,
    );
  }
  return notes;
}
