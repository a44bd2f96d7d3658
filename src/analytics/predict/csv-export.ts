/**
 * CSV text for marketers' spreadsheets. A text cell starting with = + - @ (or a tab or carriage
 * return) would be run as a formula by Excel, LibreOffice or Google Sheets, so it gets a leading
 * apostrophe; cells with commas, quotes or line breaks are quoted. Numbers are written as numbers.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, safe to open in a spreadsheet. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV file: header, then one line per row, CRLF-free with a final newline. */
export function toCsv(
  header: readonly string[],
  rows: Iterable<readonly (string | number | boolean | null | undefined)[]>,
): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/** The scored-customer list: id, probability (4 decimals), decile and, when known, the segment. */
export function scoresCsv(
  scores: readonly { customerId: string; probability: number; decile: number; segment?: string }[],
): string {
  const withSegment = scores.some((s) => s.segment !== undefined);
  const header = ['customer_id', 'probability', 'decile', ...(withSegment ? ['segment'] : [])];
  return toCsv(
    header,
    scores.map((s) => [
      s.customerId,
      Math.round(s.probability * 10_000) / 10_000,
      s.decile,
      ...(withSegment ? [s.segment ?? ''] : []),
    ]),
  );
}
