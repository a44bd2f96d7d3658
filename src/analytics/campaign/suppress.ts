/**
 * Who must never be contacted: deceased customers (Santander's `indfall = S`), customers who opted
 * out of marketing, bank employees (`ind_empleado`), and the ids of the channel's suppression list.
 * Pure: columns and ids in, one reason per suppressed row out. A customer with several reasons is
 * counted once, under the first of SUPPRESSION_REASONS that applies.
 */
import { flagValue } from '../ingest/infer-schema.js';
import type { Column, Table } from '../types.js';

export const SUPPRESSION_REASONS = ['deceased', 'opted out', 'employee', 'suppression list'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Column names (lower case) that mark each reason, and how a cell value is read. */
const FLAG_COLUMNS: {
  reason: Exclude<SuppressionReason, 'suppression list'>;
  names: string[];
  test: (cell: string) => boolean;
}[] = [
  { reason: 'deceased', names: ['indfall', 'deceased', 'is_deceased', 'fallecido'], test: isYes },
  {
    reason: 'opted out',
    names: ['opt_out', 'optout', 'opted_out', 'marketing_opt_out', 'do_not_contact', 'dnc', 'unsubscribed'],
    test: isYes,
  },
  // ind_empleado: A active, B ex-employee, F subsidiary, P passive, N not an employee.
  { reason: 'employee', names: ['ind_empleado'], test: (cell) => cell !== '' && !isNo(cell) },
  { reason: 'employee', names: ['is_employee', 'employee', 'staff'], test: isYes },
];

function isYes(cell: string): boolean {
  return flagValue(cell.trim()) === 1;
}

function isNo(cell: string): boolean {
  return flagValue(cell.trim()) === 0;
}

/** A cell as text ('' when missing), so flags read the same from numeric and text columns. */
export function cellText(column: Column, row: number): string {
  if (column.kind === 'text') return column.values[row] ?? '';
  const value = column.values[row]!;
  return Number.isNaN(value) ? '' : String(value);
}

export interface Suppression {
  /** Index into SUPPRESSION_REASONS + 1 per row; 0 for customers who may be contacted. */
  reasonOf: Uint8Array;
  /** The columns that were read, by reason, so the reply can say what was checked. */
  columns: { reason: SuppressionReason; column: string }[];
}

/**
 * Marks the rows of `table` that must not be contacted. `ids` are the table's customer ids in row
 * order; `listed` the channel's suppression list.
 */
export function findSuppressed(
  table: Pick<Table, 'columns' | 'rowCount'>,
  ids: readonly string[],
  listed: ReadonlySet<string>,
): Suppression {
  const reasonOf = new Uint8Array(table.rowCount);
  const columns: Suppression['columns'] = [];
  const byName = new Map(table.columns.map((c) => [c.name.toLowerCase(), c]));
  const checks: { code: number; column: Column; test: (cell: string) => boolean }[] = [];
  for (const rule of FLAG_COLUMNS) {
    for (const name of rule.names) {
      const column = byName.get(name);
      if (!column) continue;
      checks.push({ code: SUPPRESSION_REASONS.indexOf(rule.reason) + 1, column, test: rule.test });
      columns.push({ reason: rule.reason, column: column.name });
    }
  }
  checks.sort((x, y) => x.code - y.code);
  const listCode = SUPPRESSION_REASONS.indexOf('suppression list') + 1;
  for (let row = 0; row < table.rowCount; row++) {
    for (const check of checks) {
      if (check.test(cellText(check.column, row))) {
        reasonOf[row] = check.code;
        break;
      }
    }
    if (reasonOf[row] === 0 && listed.has(ids[row] ?? '')) reasonOf[row] = listCode;
  }
  return { reasonOf, columns };
}

/** Counts per reason over the given rows (or every row). */
export function countSuppressed(
  suppression: Suppression,
  rows?: Iterable<number>,
): Record<SuppressionReason, number> {
  const counts = Object.fromEntries(SUPPRESSION_REASONS.map((r) => [r, 0])) as Record<
    SuppressionReason,
    number
  >;
  const each = rows ?? suppression.reasonOf.keys();
  for (const row of each) {
    const code = suppression.reasonOf[row]!;
    if (code > 0) counts[SUPPRESSION_REASONS[code - 1]!]++;
  }
  return counts;
}
