/**
 * Which charts the commands post, built from a run with the spec builders in charts/specs.
 */
import { kSelectionSpec } from '../charts/specs/k-selection.js';
import { pcaScatterSpec } from '../charts/specs/pca-scatter.js';
import { profileHeatmapSpec } from '../charts/specs/profile-heatmap.js';
import { segmentSizesSpec } from '../charts/specs/segment-sizes.js';
import type { KSelection, Segment } from '../src/analytics/types.js';
import type { ChartRequest } from '../src/slack/upload-chart.js';
import type { ChartBuilders } from './deps.js';

/** Features in the order the heatmap shows them: strongest deviation anywhere first. */
function heatmapFeatures(segments: readonly Segment[]): string[] {
  const strength = new Map<string, number>();
  for (const segment of segments) {
    for (const p of segment.profile) {
      strength.set(p.feature, Math.max(strength.get(p.feature) ?? 0, Math.abs(p.z)));
    }
  }
  return [...strength.entries()].sort((a, b) => b[1] - a[1]).map(([feature]) => feature);
}

function zMatrix(segments: readonly Segment[], features: readonly string[]): number[][] {
  return segments.map((segment) => {
    const byFeature = new Map(segment.profile.map((p) => [p.feature, p.z]));
    return features.map((f) => byFeature.get(f) ?? Number.NaN);
  });
}

/** The project's chart builders (charts/specs), behind the interface the commands use. */
export function createChartBuilders(): ChartBuilders {
  return {
    segmentSizes: (segments) =>
      segmentSizesSpec(segments.map((s) => ({ index: s.index, name: s.name, size: s.size }))),
    pcaScatter: (input) =>
      pcaScatterSpec({
        projection: input.projection,
        labels: input.labels,
        segments: input.segments.map((s) => ({ index: s.index, name: s.name })),
        explainedVarianceRatio: input.explainedVarianceRatio,
      }),
    profileHeatmap: (segments) => {
      const features = heatmapFeatures(segments);
      return profileHeatmapSpec({
        segments: segments.map((s) => ({ index: s.index, name: s.name })),
        features,
        z: zMatrix(segments, features),
      });
    },
    kSelection: (selection: KSelection) => kSelectionSpec({ scores: selection.scores, chosenK: selection.k }),
    segmentProfile: (segment) => {
      const features = heatmapFeatures([segment]);
      return profileHeatmapSpec(
        {
          segments: [{ index: segment.index, name: segment.name }],
          features,
          z: zMatrix([segment], features),
        },
        {
          title: `${segment.name}: how they differ from all customers`,
          subtitle: 'Segment average vs all customers, in standard deviations (orange: above, blue: below).',
        },
      );
    },
  };
}

/** What a run's charts are drawn from. */
export interface RunChartInput {
  segments: Segment[];
  kSelection: KSelection | null;
  /** Present when the projection is available (always right after a run; when stored, later). */
  scatter: { projection: Float32Array; labels: Int32Array; explainedVarianceRatio: number[] } | null;
  /** Whether k was chosen automatically: only then is the k-selection chart relevant. */
  autoK: boolean;
}

/**
 * The charts of a run: sizes, the PCA scatter, the profile heatmap, and the silhouette/elbow chart
 * when k was automatic. A builder that throws costs only its own chart.
 */
export function runChartRequests(
  builders: ChartBuilders,
  input: RunChartInput,
  onError: (title: string, error: unknown) => void,
): ChartRequest[] {
  const requests: ChartRequest[] = [];
  const add = (name: string, title: string, altText: string, build: () => ChartRequest['spec']) => {
    try {
      requests.push({ name, title, altText, spec: build() });
    } catch (error) {
      onError(title, error);
    }
  };
  const { segments } = input;
  add(
    'segment-sizes',
    'Segment sizes',
    `Bar chart of the number of customers in each of ${segments.length} segments.`,
    () => builders.segmentSizes(segments),
  );
  const scatter = input.scatter;
  if (scatter) {
    add(
      'pca-scatter',
      'Segments on the PCA map',
      'Scatter plot of customers on the first two principal components, coloured by segment.',
      () => builders.pcaScatter({ ...scatter, segments }),
    );
  }
  add(
    'profile-heatmap',
    'Segment profiles',
    'Heatmap of how far each segment’s average sits from all customers, per feature.',
    () => builders.profileHeatmap(segments),
  );
  const selection = input.kSelection;
  if (input.autoK && selection) {
    add(
      'k-selection',
      'Choosing k: silhouette and elbow',
      `Silhouette and inertia for each k tried; k=${selection.k} was chosen.`,
      () => builders.kSelection(selection),
    );
  }
  return requests;
}
