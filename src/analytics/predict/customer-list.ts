/**
 * Reads an uploaded list of customer ids: one id per line, or a CSV whose id column is named like
 * the dataset's id column (or like any customer id). Pure text in, ids out.
 */
import { looksLikeCustomerIdName } from '../ingest/infer-schema.js';

function splitLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
}

/** The ids in a customer list, in file order (duplicates kept, so they can be reported). */
export function parseCustomerList(text: string, idColumn: string | null): string[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const first = lines[0]!;
  const delimiter = first.includes('\t') ? '\t' : first.includes(';') && !first.includes(',') ? ';' : ',';
  const header = splitLine(first, delimiter);
  const wanted = idColumn?.toLowerCase();
  let column = header.findIndex((cell) => cell.toLowerCase() === wanted);
  if (column < 0) column = header.findIndex((cell) => looksLikeCustomerIdName(cell));
  const start = column >= 0 ? 1 : 0;
  if (column < 0) column = 0;
  const ids: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const id = splitLine(lines[i]!, delimiter)[column] ?? '';
    if (id !== '') ids.push(id);
  }
  return ids;
}
