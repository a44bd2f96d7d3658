/**
 * The buffers behind a table's numeric columns, for moving a table to or from a worker thread: a
 * million rows of 17 columns is 136 MB that a structured clone would copy while the event loop waits.
 */
import { Buffer } from 'node:buffer';
import type { Table } from './analytics/types.js';

/** Each distinct ArrayBuffer under the table's numeric columns once (a transfer list refuses repeats). */
export function tableBuffers(table: Table): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of table.columns) {
    if (column.kind !== 'numeric') continue;
    const buffer = column.values.buffer;
    // A SharedArrayBuffer is shared already; only plain buffers are moved.
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) buffers.add(buffer);
  }
  return [...buffers];
}

/**
 * The bytes as a view over a buffer of their own, which can be moved to a worker: the view itself
 * when it spans its whole buffer, else a copy (a slice of Node's shared pool must never be moved).
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  if (
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  )
    return bytes;
  return new Uint8Array(bytes);
}

/**
 * A text column's cells as UTF-8 bytes end to end, with the byte offset where each cell ends: two
 * buffers that move to another thread. A million customer ids as strings would be cloned on the
 * sending thread and rebuilt on the receiving one, each a stop of hundreds of milliseconds.
 */
export interface PackedTexts {
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Every byte is ASCII, so the cells decode as Latin-1, a plain copy. */
  ascii: boolean;
}

/**
 * A table ready to cross to another thread: its text columns' values are empty here and travel in
 * `texts` (by column index) instead; numeric columns are as in the table.
 */
export interface TableMessage {
  table: Table;
  texts: Record<number, PackedTexts>;
}

/** Cells packed or unpacked between two waits of the caller (a few milliseconds' work). */
const CELLS_PER_SLICE = 65_536;

/** Runs `step(from, to)` over 0..n in slices, awaiting `pause` between them when given. */
async function inSlices(
  n: number,
  step: (from: number, to: number) => void,
  pause: (() => Promise<void>) | undefined,
): Promise<void> {
  for (let from = 0; from < n; from += CELLS_PER_SLICE) {
    if (pause && from > 0) await pause();
    step(from, Math.min(n, from + CELLS_PER_SLICE));
  }
}

function packTexts(
  values: readonly string[],
  pause?: () => Promise<void>,
): Promise<PackedTexts> | PackedTexts {
  const ends = new Uint32Array(values.length);
  // Never from Node's shared pool: the buffer is moved to another thread.
  let bytes = Buffer.allocUnsafeSlow(Math.max(64, values.length * 8));
  let pos = 0;
  let ascii = true;
  const room = (need: number): void => {
    if (pos + need <= bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, pos + need));
    bytes.copy(grown, 0, 0, pos);
    bytes = grown;
  };
  const step = (from: number, to: number): void => {
    // A slice of ASCII cells (ids, codes) is one joined string written at once, each cell's length
    // its byte count; calling into Buffer per cell costs more than the copying.
    const joined = values.slice(from, to).join('');
    room(3 * joined.length);
    const written = bytes.write(joined, pos, 'utf8');
    if (written === joined.length) {
      for (let i = from; i < to; i++) {
        pos += values[i]!.length;
        ends[i] = pos;
      }
      return;
    }
    ascii = false;
    for (let i = from; i < to; i++) {
      pos += bytes.write(values[i]!, pos, 'utf8');
      ends[i] = pos;
    }
  };
  const packed = (): PackedTexts => ({ bytes: new Uint8Array(bytes.buffer, 0, pos), ends, ascii });
  if (!pause) {
    step(0, values.length);
    return packed();
  }
  return inSlices(values.length, step, pause).then(packed);
}

/**
 * The table as a message for another thread, text columns packed (see PackedTexts). With `pause`,
 * the packing yields between slices of cells, so a thread that must keep answering never stops
 * for long; without it, it runs straight through (on a worker). With `copy`, numeric columns are
 * copied one per slice, so the caller keeps its table when the message's buffers are moved.
 */
export async function toTableMessage(
  table: Table,
  pause?: () => Promise<void>,
  options: { copy?: boolean } = {},
): Promise<TableMessage> {
  const texts: Record<number, PackedTexts> = {};
  const columns = [];
  for (const [index, column] of table.columns.entries()) {
    if (column.kind === 'numeric') {
      if (!options.copy) {
        columns.push(column);
        continue;
      }
      if (pause && index > 0) await pause();
      columns.push({ ...column, values: column.values.slice() });
      continue;
    }
    texts[index] = await packTexts(column.values, pause);
    columns.push({ ...column, values: [] });
  }
  return { table: { ...table, columns }, texts };
}

/** The buffers a TableMessage moves: numeric columns and packed texts. */
export function tableMessageBuffers(message: TableMessage): ArrayBuffer[] {
  const buffers = new Set(tableBuffers(message.table));
  for (const packed of Object.values(message.texts)) {
    buffers.add(packed.bytes.buffer as ArrayBuffer);
    buffers.add(packed.ends.buffer as ArrayBuffer);
  }
  return [...buffers];
}

/** The table back from a TableMessage, text cells as strings again (sliced like toTableMessage). */
export async function fromTableMessage(message: TableMessage, pause?: () => Promise<void>): Promise<Table> {
  const columns = [];
  for (const [index, column] of message.table.columns.entries()) {
    const packed = message.texts[index];
    if (column.kind !== 'text' || packed === undefined) {
      columns.push(column);
      continue;
    }
    const bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
    const { ends, ascii } = packed;
    const values = new Array<string>(ends.length);
    await inSlices(
      values.length,
      (from, to) => {
        const first = from === 0 ? 0 : ends[from - 1]!;
        if (ascii) {
          // One string for the slice, cut into cells: byte offsets are character offsets in ASCII.
          const text = bytes.toString('latin1', first, ends[to - 1]!);
          let start = 0;
          for (let i = from; i < to; i++) {
            const end = ends[i]! - first;
            values[i] = text.substring(start, end);
            start = end;
          }
          return;
        }
        let start = first;
        for (let i = from; i < to; i++) {
          values[i] = bytes.toString('utf8', start, ends[i]!);
          start = ends[i]!;
        }
      },
      pause,
    );
    columns.push({ ...column, values });
  }
  return { ...message.table, columns };
}
