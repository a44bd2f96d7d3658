/**
 * Finds the first repeated value of a column: the rows of its first and second occurrence, or null
 * if every value is distinct. Missing values ('' or NaN) are skipped. An open-addressing table of
 * row indexes keyed by a hash of the value is several times faster than a Map on million-row id
 * columns, whose strings are all fresh. Each slot also keeps its value's hash, so a probe past an
 * occupied slot compares two integers and reads the other row's string (a cache miss somewhere in
 * the heap) only when the hashes agree.
 */
export function findDuplicate(values: readonly string[] | Float64Array): [number, number] | null {
  const n = values.length;
  let size = 1024;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const hashes = new Int32Array(size);
  const numeric = values instanceof Float64Array;
  const bits = numeric ? new Uint32Array(values.buffer, values.byteOffset, n * 2) : null;
  for (let row = 0; row < n; row++) {
    let h: number;
    if (bits !== null) {
      const v = (values as Float64Array)[row]!;
      if (Number.isNaN(v)) continue;
      h = Math.imul(bits[2 * row]! ^ Math.imul(bits[2 * row + 1]!, 0x9e3779b1), 0x85ebca6b);
    } else {
      const s = (values as readonly string[])[row]!;
      if (s === '') continue;
      h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    }
    h ^= h >>> 15;
    let slot = h & mask;
    for (;;) {
      const other = slots[slot]!;
      if (other < 0) {
        slots[slot] = row;
        hashes[slot] = h;
        break;
      }
      if (hashes[slot] === h && values[other] === values[row]) return [other, row];
      slot = (slot + 1) & mask;
    }
  }
  return null;
}
