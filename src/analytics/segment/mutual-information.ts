/**
 * Normalized mutual information between segment labels and a categorical column: 0 when knowing a
 * customer's segment says nothing about the category, 1 when the segments are the categories. Used
 * to check that segments do not just reproduce one categorical column.
 */

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * NMI(labels, categories) = I / sqrt(H(labels) H(categories)) (the geometric normalization). Cells
 * with an empty category ('' = missing) are left out. When either side is constant the score is 0:
 * a constant column cannot be reproduced by anything.
 */
export function normalizedMutualInformation(
  labels: ArrayLike<number>,
  categories: readonly string[],
): number {
  if (labels.length !== categories.length) {
    throw new RangeError(`labels (${labels.length}) and categories (${categories.length}) differ in length`);
  }
  const joint = new Map<string, number>();
  const byLabel = new Map<number, number>();
  const byCategory = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const category = categories[i]!;
    if (category === '') continue;
    const label = labels[i]!;
    n++;
    const key = `${label}\u0000${category}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
    byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
  }
  if (n === 0) return 0;
  const hLabels = entropy(byLabel.values(), n);
  const hCategories = entropy(byCategory.values(), n);
  if (hLabels === 0 || hCategories === 0) return 0;
  let mi = 0;
  for (const [key, count] of joint) {
    const cut = key.indexOf('\u0000');
    const pLabel = byLabel.get(Number(key.slice(0, cut)))! / n;
    const pCategory = byCategory.get(key.slice(cut + 1))! / n;
    const p = count / n;
    mi += p * Math.log(p / (pLabel * pCategory));
  }
  // Rounding can push a perfect match a hair above 1.
  return Math.min(1, Math.max(0, mi / Math.sqrt(hLabels * hCategories)));
}
