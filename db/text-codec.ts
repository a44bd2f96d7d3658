/**
 * A compact binary encoding for a text column (an array of strings), built so a million values
 * encode and decode in tens of milliseconds: one UTF-8 decode of the whole column plus slicing,
 * instead of a JSON parse or a decode per value.
 *
 * Layout (little-endian), chosen per column by the encoder:
 * - PLAIN (1): [1, 0, 0, 0][u32 count][u32 length × count][UTF-8 of all values joined]. Lengths are
 *   in UTF-16 code units so the decoder slices the decoded string directly.
 * - DICTIONARY (2), for repetitive columns (categories, flags): [2, width, 0, 0][u32 count]
 *   [u32 byteLength of the dictionary][the dictionary as a PLAIN block, padded to 4 bytes]
 *   [codes: count × width bytes, width 1, 2 or 4].
 * - JSON (3): [3, 0, 0, 0][UTF-8 JSON array]. Only for text holding lone surrogates, which UTF-8
 *   cannot carry but JSON escapes exactly.
 */

const PLAIN = 1;
const DICTIONARY = 2;
const JSON_ARRAY = 3;
const MAX_DICTIONARY = 65_536;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Encodes `values` so `decodeText` returns an identical array. */
export function encodeText(values: readonly string[]): Buffer {
  const dictionary = buildDictionary(values);
  if (dictionary) {
    const [distinct, codes] = dictionary;
    const dict = encodePlain(distinct);
    if (!dict) return encodeJson(values);
    const width = distinct.length <= 256 ? 1 : distinct.length <= 65_536 ? 2 : 4;
    const dictPadded = align4(dict.length);
    const out = Buffer.alloc(12 + dictPadded + values.length * width);
    out[0] = DICTIONARY;
    out[1] = width;
    out.writeUInt32LE(values.length, 4);
    out.writeUInt32LE(dict.length, 8);
    dict.copy(out, 12);
    const narrowed = width === 1 ? Uint8Array.from(codes) : width === 2 ? Uint16Array.from(codes) : codes;
    out.set(new Uint8Array(narrowed.buffer, narrowed.byteOffset, narrowed.byteLength), 12 + dictPadded);
    return out;
  }
  return encodePlain(values) ?? encodeJson(values);
}

/** Decodes a buffer made by `encodeText`. */
export function decodeText(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (buf[0]) {
    case PLAIN:
      return decodePlain(buf);
    case DICTIONARY: {
      const width = buf[1]!;
      const count = buf.readUInt32LE(4);
      const dictLength = buf.readUInt32LE(8);
      const distinct = decodePlain(buf.subarray(12, 12 + dictLength));
      const codeStart = buf.byteOffset + 12 + align4(dictLength);
      const codeBytes = new Uint8Array(buf.buffer.slice(codeStart, codeStart + count * width));
      const codes =
        width === 1
          ? codeBytes
          : width === 2
            ? new Uint16Array(codeBytes.buffer)
            : new Uint32Array(codeBytes.buffer);
      const out = new Array<string>(count);
      for (let i = 0; i < count; i++) out[i] = distinct[codes[i]!]!;
      return out;
    }
    case JSON_ARRAY:
      return JSON.parse(buf.toString('utf8', 4)) as string[];
    default:
      throw new Error(`unknown text column encoding ${buf[0]}`);
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Distinct values and per-row codes, or null when the column is not repetitive enough to gain. */
function buildDictionary(values: readonly string[]): [string[], Uint32Array] | null {
  if (values.length < 16) return null;
  const index = new Map<string, number>();
  const distinct: string[] = [];
  const codes = new Uint32Array(values.length);
  const limit = Math.min(MAX_DICTIONARY, values.length >>> 1);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let code = index.get(value);
    if (code === undefined) {
      if (distinct.length >= limit) return null;
      code = distinct.length;
      index.set(value, code);
      distinct.push(value);
    }
    codes[i] = code;
  }
  return [distinct, codes];
}

function encodePlain(values: readonly string[]): Buffer | null {
  const joined = values.join('');
  if (LONE_SURROGATE.test(joined)) return null;
  const textBytes = Buffer.byteLength(joined, 'utf8');
  const start = 8 + values.length * 4;
  const out = Buffer.allocUnsafe(start + textBytes);
  out.writeUInt32LE(PLAIN, 0);
  out.writeUInt32LE(values.length, 4);
  // A typed array fills the lengths far faster than a Buffer write per value; the byte copy keeps
  // the layout little-endian on the little-endian hosts Node runs on.
  const lengths = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) lengths[i] = values[i]!.length;
  out.set(new Uint8Array(lengths.buffer), 8);
  out.write(joined, start, 'utf8');
  return out;
}

function decodePlain(buf: Buffer): string[] {
  const count = buf.readUInt32LE(4);
  const start = 8 + count * 4;
  const joined = buf.toString('utf8', start);
  const lengths = uint32View(buf, 8, count);
  const out = new Array<string>(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const length = lengths[i]!;
    out[i] = joined.slice(offset, offset + length);
    offset += length;
  }
  if (offset !== joined.length) throw new Error('corrupt text column: lengths do not match the text');
  return out;
}

/** `count` u32 values at `offset`, as a view when aligned, else as a copy. */
function uint32View(buf: Buffer, offset: number, count: number): Uint32Array {
  const at = buf.byteOffset + offset;
  if (at % 4 === 0) return new Uint32Array(buf.buffer, at, count);
  return new Uint32Array(new Uint8Array(buf.buffer.slice(at, at + count * 4)).buffer);
}

function encodeJson(values: readonly string[]): Buffer {
  const json = Buffer.from(JSON.stringify(values), 'utf8');
  const out = Buffer.alloc(4 + json.length);
  out[0] = JSON_ARRAY;
  json.copy(out, 4);
  return out;
}
