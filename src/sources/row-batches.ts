/**
 * What every source reader yields: batches of rows as text cells (null for a missing value), each
 * batch carrying the column names. A reader always yields at least one batch, so an empty result
 * still has its columns.
 */

export interface RowBatch {
  columns: readonly string[];
  rows: readonly (readonly (string | null)[])[];
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function csvCell(value: string | null): string {
  if (value === null) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Turns row batches into CSV bytes, one chunk per batch, so the rows go through the same schema
 * inference and quality report as an uploaded file without the whole table ever being one string.
 * `onBatch` sees the running row count (for progress).
 */
export async function* rowBatchesToCsv(
  batches: AsyncIterable<RowBatch>,
  onBatch: (rows: number) => void = () => {},
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let header = false;
  let rows = 0;
  for await (const batch of batches) {
    let text = '';
    if (!header) {
      text = `${batch.columns.map(csvCell).join(',')}\n`;
      header = true;
    }
    for (const row of batch.rows) text += `${row.map(csvCell).join(',')}\n`;
    rows += batch.rows.length;
    onBatch(rows);
    if (text !== '') yield encoder.encode(text);
  }
}
