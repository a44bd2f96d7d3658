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
const MIN_REASONS = 3;
/** How much more common than overall an extreme must be among them to explain them. */
const OVER_REPRESENTED = 2;

function percent(share: number): string {
  return share >= 0.1 || share === 0 ? `${Math.round(share * 100)}%` : `${(share * 100).toFixed(1)}%`;
}

/**
 * Per-feature tallies: extremes among them and among everyone, extremes above the mean among them,
 * and the sums of their |z| and z.
 */
function featureTallies(
  d: number,
): Record<'inGroup' | 'overall' | 'high' | 'absSum' | 'signedSum', Float64Array> {
  const tally = () => new Float64Array(d);
  return { inGroup: tally(), overall: tally(), high: tally(), absSum: tally(), signedSum: tally() };
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
  const { inGroup, overall, high, absSum, signedSum } = featureTallies(d);
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
  const traitOf = (j: number, text: string, direction: 'high' | 'low'): Trait => ({
    feature: transform.features[j]!.name,
    direction,
    z: signedSum[j]! / size,
    text,
  });
  const label = (j: number) => capitalize(readableLabel(transform.features[j]!.name));
  // 1. Extremes clearly more common among them than among all customers, most common first.
  const extremes = transform.features
    .map((_, j) => ({ j, share: inGroup[j]! / size, overall: overall[j]! / n }))
    .filter((c) => c.share > 0 && c.share >= OVER_REPRESENTED * c.overall)
    .sort((a, b) => b.share - a.share || a.j - b.j)
    .map(({ j, share, overall: all }) => {
      const direction: 'high' | 'low' = high[j]! * 2 >= inGroup[j]! ? 'high' : 'low';
      const word = direction === 'high' ? 'very high' : 'very low';
      return traitOf(
        j,
        `${label(j)} ${word} for ${percent(share)} of them (vs ${percent(all)} of all customers)`,
        direction,
      );
    });
  // 2. Then the features they sit furthest out on, on average: outliers are often unusual in a
  // combination of values rather than in one.
  const used = new Set(extremes.map((t) => t.feature));
  const distant = transform.features
    .map((spec, j) => ({ j, spec, distance: absSum[j]! / size }))
    .filter((c) => !used.has(c.spec.name))
    .sort((a, b) => b.distance - a.distance || a.j - b.j)
    .map(({ j, distance }) =>
      traitOf(
        j,
        `${label(j)} ${distance.toFixed(1)} standard deviations from the average, on average`,
        signedSum[j]! >= 0 ? 'high' : 'low',
      ),
    );
  return [...extremes, ...distant.slice(0, Math.max(0, MIN_REASONS - extremes.length))].slice(0, MAX_REASONS);
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
