/**
 * The buffers behind a table's numeric columns, for moving a table to or from a worker thread: a
 * million rows of 17 columns is 136 MB that a structured clone would copy while the event loop waits.
 */
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
