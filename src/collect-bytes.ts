import { yieldToEventLoop } from './event-loop.js';

/**
 * An async stream of byte chunks as one buffer. Callers bound the stream first (a download's or a
 * source's byte ceiling), so holding it whole is safe, and a whole buffer lets ingest take its
 * byte-level fast path and move the table to a worker without copies.
 *
 * Chunks are copied as they arrive into a buffer that doubles when full, and every larger copy is
 * made in 8 MB slices with a turn of the event loop between them: one copy of a 90 MB file would
 * hold up acknowledgements for a second on a busy machine. The result owns its whole buffer, so it
 * can be moved to the ingest worker.
 */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  let buffer = new Uint8Array(1 << 20);
  let length = 0;
  for await (const chunk of chunks) {
    if (length + chunk.length > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, length + chunk.length));
      await copyInSlices(buffer, grown, length);
      buffer = grown;
    }
    buffer.set(chunk, length);
    length += chunk.length;
  }
  if (length === buffer.length) return buffer;
  const exact = new Uint8Array(length);
  await copyInSlices(buffer, exact, length);
  return exact;
}

const COPY_SLICE_BYTES = 8 << 20;

/** Copies the first `length` bytes of `from` into `to`, 8 MB at a time with a turn of the event loop after each. */
async function copyInSlices(from: Uint8Array, to: Uint8Array, length: number): Promise<void> {
  for (let start = 0; start < length; start += COPY_SLICE_BYTES) {
    to.set(from.subarray(start, Math.min(length, start + COPY_SLICE_BYTES)), start);
    await yieldToEventLoop();
  }
}
