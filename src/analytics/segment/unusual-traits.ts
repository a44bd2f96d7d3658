/**
 * Why density clustering's outliers are unusual: for each feature, how many of them sit at an
 * extreme (3 or more standard deviations from the mean) against how many customers overall do.
 * Outliers are extreme in different directions, so their average can look ordinary; counting
 * extremes does not cancel out.
 */
import type { CampaignAction, FittedTransform, Matrix, Trait } from '../types.js';
import { capitalize, readableLabel } from './column-labels.js';

/** The segment's name in every report. */
export const UNUSUAL_NAME = 'Unusual customers';
/** A value this many standard deviations from the mean is extreme. */
const EXTREME_Z = 3;
const MAX_REASONS = 5;

function percent(share: number): string {
  return share >= 0.1 || share === 0 ? `${Math.round(share * 100)}%` : `${(share * 100).toFixed(1)}%`;
}

/**
 * The extreme traits of the customers labelled `segment`, strongest first (at least one: when no
 * feature is extreme on its own, the features they sit furthest out on).
 */
export function unusualTraits(
  transform: FittedTransform,
  matrix: Matrix,
  labels: Int32Array,
  segment: number,
): Trait[] {
  const { rows: n, cols: d, data } = matrix;
  const inGroup = new Float64Array(d);
  const overall = new Float64Array(d);
  const high = new Float64Array(d);
  const absSum = new Float64Array(d);
  const signedSum = new Float64Array(d);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const member = labels[i] === segment;
    if (member) size++;
    for (let j = 0; j < d; j++) {
      const z = data[i * d + j]!;
      const extreme = Math.abs(z) >= EXTREME_Z;
      if (extreme) overall[j]!++;
      if (!member) continue;
      absSum[j]! += Math.abs(z);
      signedSum[j]! += z;
      if (extreme) {
        inGroup[j]!++;
        if (z > 0) high[j]!++;
      }
    }
  }
  if (size === 0) return [];
  const candidates = transform.features.map((spec, j) => {
    const share = inGroup[j]! / size;
    const label = capitalize(readableLabel(spec.name));
    const direction: 'high' | 'low' =
      share > 0 ? (high[j]! * 2 >= inGroup[j]! ? 'high' : 'low') : signedSum[j]! >= 0 ? 'high' : 'low';
    const z = signedSum[j]! / size;
    if (share > 0) {
      const word = direction === 'high' ? 'very high' : 'very low';
      return {
        rank: share,
        trait: {
          feature: spec.name,
          direction,
          z,
          text: `${label} ${word} for ${percent(share)} of them (vs ${percent(overall[j]! / n)} of all customers)`,
        },
      };
    }
    return {
      // Below every feature that has extremes: ranked by how far out they sit on average.
      rank: -1 / (1 + absSum[j]! / size),
      trait: {
        feature: spec.name,
        direction,
        z,
        text: `${label}: ${(absSum[j]! / size).toFixed(1)} standard deviations from the average, on average`,
      },
    };
  });
  candidates.sort((a, b) => b.rank - a.rank);
  const extreme = candidates.filter((c) => c.rank > 0);
  return (extreme.length > 0 ? extreme : candidates).slice(0, MAX_REASONS).map((c) => c.trait);
}

/** The first action for the unusual group: look before targeting, because no persona fits them. */
export function reviewAction(traits: readonly Trait[]): CampaignAction {
  const why = traits
    .slice(0, 2)
    .map((t) => t.text)
    .join('; ');
  return {
    title: 'Review these customers before any campaign',
    reason: `They sit outside every dense group of customers${why ? `. Why: ${why}` : ''}. Check for data errors, fraud or VIP handling before a mass message.`,
  };
}
