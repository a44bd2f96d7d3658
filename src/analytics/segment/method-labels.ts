/** How each clustering method and a mixture's certainty read in reports (Slack and the CLI alike). */
import type { ClusterMethod, MethodComparison } from '../types.js';

export const METHOD_LABEL: Record<ClusterMethod, string> = {
  kmeans: 'k-means',
  gmm: 'Gaussian mixture',
  density: 'density (DBSCAN)',
};

/** "62% sure": the share of a segment's customers whose membership is at least 90% certain. */
export function formatSure(share: number): string {
  return `${Math.round(share * 100)}% sure`;
}

/** How k came about for a method: "k=5, chosen by BIC". */
export function describeMethodK(method: ClusterMethod, k: number, requested: 'auto' | number): string {
  if (method === 'density') return `${k} groups found by density`;
  if (requested !== 'auto') return `k=${k} as requested`;
  return method === 'gmm' ? `k=${k}, chosen by BIC` : `k=${k}, chosen automatically`;
}

/** "k-means vs Gaussian mixture 0.45" for each pair of a comparison. */
export function agreementText(comparison: Pick<MethodComparison, 'agreement'>): string {
  return comparison.agreement
    .map((pair) => `${METHOD_LABEL[pair.a]} vs ${METHOD_LABEL[pair.b]} ${pair.ari.toFixed(2)}`)
    .join(', ');
}

/** A segment's size list for a comparison row, with the mixture's certainty and the unusual group marked. */
export function segmentSizesText(
  row: MethodComparison['methods'][number],
  formatCount: (n: number) => string,
): string {
  return row.segments
    .map((s, i) => {
      const sure = row.sure?.[i];
      return `${formatCount(s.size)}${sure === undefined ? '' : ` (${formatSure(sure)})`}${i === row.unusualSegment ? ' unusual' : ''}`;
    })
    .join(' / ');
}
