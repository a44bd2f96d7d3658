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

/** A scored customer as the CSV lists it. */
export interface ScoreRow {
  customerId: string;
  probability: number;
  decile: number;
  segment?: string;
  /** Up to three reasons, strongest first ("balance high (+8 pts)"). */
  reasons?: readonly string[];
}

/** The reason columns of the scored list. */
export const REASON_COLUMNS = ['reason_1', 'reason_2', 'reason_3'] as const;

/**
 * The scored-customer list (id, probability to 4 decimals, decile, with `segmentOf` the segment,
 * and with `reasons` the three reason columns) in pieces of at most `rowsPerPiece` rows, header
 * first: a caller serving others can pause between pieces (about 60 ms each). Cells are escaped as
 * `csvCell` does.
 */
export function* scoresCsvPieces<S extends ScoreRow>(
  scores: readonly S[],
  options: { segmentOf?: (score: S) => string; reasons?: boolean; rowsPerPiece?: number } = {},
): Generator<string> {
  const { segmentOf, reasons = false, rowsPerPiece = 50_000 } = options;
  yield `customer_id,probability,decile${segmentOf ? ',segment' : ''}${reasons ? `,${REASON_COLUMNS.join(',')}` : ''}\n`;
  // Few distinct segment names and reason texts: each is escaped once.
  const segmentCells = new Map<string, string>();
  const reasonCells = new Map<string, string>();
  for (let start = 0; start < scores.length; start += rowsPerPiece) {
    let piece = '';
    const end = Math.min(scores.length, start + rowsPerPiece);
    for (let i = start; i < end; i++) {
      const s = scores[i]!;
      piece += `${csvCell(s.customerId)},${csvCell(Math.round(s.probability * 10_000) / 10_000)},${csvCell(s.decile)}`;
      if (segmentOf) {
        const name = segmentOf(s);
        let cell = segmentCells.get(name);
        if (cell === undefined) {
          cell = csvCell(name);
          segmentCells.set(name, cell);
        }
        piece += `,${cell}`;
      }
      if (reasons) {
        for (let j = 0; j < REASON_COLUMNS.length; j++) {
          const text = s.reasons?.[j] ?? '';
          let cell = reasonCells.get(text);
          if (cell === undefined) {
            cell = csvCell(text);
            reasonCells.set(text, cell);
          }
          piece += `,${cell}`;
        }
      }
      piece += '\n';
    }
    yield piece;
  }
}

/**
 * The whole list as one CSV text, with a segment column when any score names a segment and the
 * reason columns when any has reasons.
 */
export function scoresCsv(scores: readonly ScoreRow[]): string {
  const withSegment = scores.some((s) => s.segment !== undefined);
  const reasons = scores.some((s) => s.reasons !== undefined);
  return [
    ...scoresCsvPieces(scores, {
      reasons,
      ...(withSegment ? { segmentOf: (s: ScoreRow) => s.segment ?? '' } : {}),
    }),
  ].join('');
}
