import { median } from '../median.js';
import type { ColumnQuality, ColumnRole, QualityReport, Schema, Table } from '../types.js';
import { numericValues } from './column-values.js';
import { nameWords } from './infer-schema.js';

const ROLES: ColumnRole[] = ['id', 'numeric', 'categorical', 'product', 'date', 'ignored'];

/** Placeholder values some systems write for "unknown" (Santander's antiguedad uses -999999). */
const SENTINELS = new Set([-99999, -999999, -9999999, -99999999, 99999, 999999, 9999999, 99999999]);

/** Placeholder values that ingest turned into missing values, per column. */
export type ReplacedPlaceholders = Map<string, { value: number; count: number }[]>;

/**
 * Turns negative placeholders (-999999 and the like) into missing values in numeric columns whose
 * real values are never negative (Santander's antiguedad), so they cannot distort scaling.
 * Changes the table in place and returns what was replaced, for the quality report.
 */
export function replacePlaceholders(table: Table): ReplacedPlaceholders {
  const replaced: ReplacedPlaceholders = new Map();
  for (const column of table.columns) {
    if (column.kind !== 'numeric') continue;
    const values = column.values;
    const counts = new Map<number, number>();
    let negative = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v < 0)) continue;
      if (v <= -99999 && SENTINELS.has(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
      else negative = true;
    }
    if (counts.size === 0 || negative) continue;
    for (let i = 0; i < values.length; i++) {
      if (counts.has(values[i]!)) values[i] = Number.NaN;
    }
    let total = 0;
    for (const count of counts.values()) total += count;
    column.missing += total;
    replaced.set(
      column.name,
      [...counts].map(([value, count]) => ({ value, count })),
    );
  }
  return replaced;
}

const AMOUNT_WORDS = new Set([
  'balance',
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
  'saldo',
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
          `${plural(count, 'value', 'values')} of ${cs.name} ${count === 1 ? 'was' : 'were'} ${value}, a placeholder for "unknown"; ${count === 1 ? 'it is' : 'they are'} counted as missing.`,
        );
      }
      quality.notes.push(...rangeNotes(cs.name, values));
    }
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
  for (const q of columns) notes.push(...q.notes.map((n) => n));

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
