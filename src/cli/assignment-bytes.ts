import { Buffer } from 'node:buffer';

/**
 * The `assignments` lines of the result JSON for rows start..end-1, as UTF-8 bytes: one
 * `    {"customerId":"…","segment":s,"number":s+1}` per row, joined by ",\n" (and preceded by one
 * when `start` is not the first row). A million of them as template strings cost more than the
 * clustering, in building, garbage and encoding; here a plain printable id is copied byte by byte
 * and each segment's tail is encoded once. Ids that need escaping go through JSON.stringify, so
 * the text is exactly what JSON.stringify of each row would give.
 */
export function assignmentBytes(
  customerIds: readonly (string | undefined)[],
  labels: Int32Array,
  start: number,
  end: number,
): Uint8Array {
  const tails = new Map<number, Buffer>();
  let out = Buffer.allocUnsafe(Math.max(64, (end - start) * 56));
  let pos = 0;
  for (let i = start; i < end; i++) {
    const id = customerIds[i] ?? String(i + 1);
    const label = labels[i]!;
    let tail = tails.get(label);
    if (tail === undefined) {
      tail = Buffer.from(`,"segment":${label},"number":${label + 1}}`);
      tails.set(label, tail);
    }
    // Room for the separator, the head, the id at its longest (3 bytes a UTF-16 unit, or an escape) and the tail.
    const need = 2 + HEAD.length + 2 + 6 * id.length + tail.length;
    if (pos + need > out.length) {
      const grown = Buffer.allocUnsafe(Math.max(out.length * 2, pos + need));
      out.copy(grown, 0, 0, pos);
      out = grown;
    }
    if (i > 0) {
      out[pos++] = 44; // ,
      out[pos++] = 10; // \n
    }
    pos += HEAD.copy(out, pos);
    pos = writeIdString(out, pos, id);
    pos += tail.copy(out, pos);
  }
  return out.subarray(0, pos);
}

const HEAD = Buffer.from('    {"customerId":');

/** Writes `id` as a JSON string: printable ASCII without quote or backslash directly, anything else escaped. */
function writeIdString(out: Buffer, at: number, id: string): number {
  let pos = at;
  out[pos++] = 34; // "
  for (let c = 0; c < id.length; c++) {
    const code = id.charCodeAt(c);
    if (code < 32 || code > 126 || code === 34 || code === 92) {
      return at + out.write(JSON.stringify(id), at, 'utf8');
    }
    out[pos++] = code;
  }
  out[pos++] = 34;
  return pos;
}
