import { BadInputError, NotFoundError } from '../../errors.js';
import type { Column, Table } from '../types.js';
import { flagValue, twoValuedCoding } from './infer-schema.js';

/** The column with this exact name, or undefined. */
export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** The column with this exact name; a NotFoundError listing the columns if there is none. */
export function columnByName(table: Table, name: string): Column {
  const column = findColumn(table, name);
  if (column === undefined) {
    const names = table.columns.map((c) => c.name);
    throw new NotFoundError(
      `${table.fileName} has no column named ${JSON.stringify(name)}.`,
      `Columns: ${names.join(', ').slice(0, 500)}`,
    );
  }
  return column;
}

/**
 * A column as numbers, one per row, NaN where missing. Numeric columns are returned as stored
 * (the same array: do not modify it); yes/no text columns (true/false, Y/N, S/N) become 1/0, and
 * any other two-valued text column becomes 1 for its rarer value (see twoValuedCoding).
 * Any other text column is a BadInputError.
 */
export function numericValues(table: Table, name: string): Float64Array {
  const column = columnByName(table, name);
  if (column.kind === 'numeric') return column.values;
  const positive = twoValuedPositive(column.values);
  const out = new Float64Array(column.values.length);
  for (let i = 0; i < out.length; i++) {
    const text = column.values[i]!;
    if (text === '') {
      out[i] = Number.NaN;
      continue;
    }
    const flag = positive === undefined ? flagValue(text) : text === positive ? 1 : 0;
    if (flag === null) {
      throw new BadInputError(
        `Column ${name} is text, not numbers or yes/no flags (it has the value ${JSON.stringify(text.slice(0, 40))}).`,
        {
          hint: 'Pick a numeric or yes/no column.',
          location: { file: table.fileName, column: name },
          storedMessage: `Column ${name} is text, not numbers or yes/no flags.`,
        },
      );
    }
    out[i] = flag;
  }
  return out;
}

/** The value read as 1 when a text column holds exactly two values that are not both yes/no spellings. */
export function twoValuedPositive(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) {
    if (v === '') continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > 2) return undefined;
  }
  if (counts.size !== 2 || [...counts.keys()].every((k) => flagValue(k) !== null)) return undefined;
  return twoValuedCoding(counts).positive;
}
