/**
 * Adjusted Rand index (Hubert and Arabie): how much two labellings of the same customers agree,
 * corrected for chance. 1 means the same partition whatever the label numbers, about 0 means no
 * more agreement than random labellings with the same sizes. Labels may be any integers (-1 too).
 */
export function adjustedRandIndex(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) throw new RangeError(`labellings have ${a.length} and ${b.length} rows`);
  const n = a.length;
  if (n < 2) return 1;
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const cells = new Map<string, number>();
  const rowSums = new Map<number, number>();
  const colSums = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rowSums.set(a[i]!, (rowSums.get(a[i]!) ?? 0) + 1);
    colSums.set(b[i]!, (colSums.get(b[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const count of cells.values()) index += pairs(count);
  let rows = 0;
  for (const count of rowSums.values()) rows += pairs(count);
  let cols = 0;
  for (const count of colSums.values()) cols += pairs(count);
  const expected = (rows * cols) / pairs(n);
  const max = (rows + cols) / 2;
  // Both labellings put everyone in one group (or each customer alone): they agree completely.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
