/**
 * An async stream of byte chunks as one buffer. Callers bound the stream first (a download's or a
 * source's byte ceiling), so holding it whole is safe, and a whole buffer lets ingest take its
 * byte-level fast path and move the table to a worker without copies.
 */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}
