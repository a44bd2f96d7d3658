/**
 * Which charts the commands post, built from a run with the spec builders in charts/specs.
 */
import { kSelectionSpec } from '../charts/specs/k-selection.js';
import { pcaScatterSpec } from '../charts/specs/pca-scatter.js';
import { profileHeatmapSpec } from '../charts/specs/profile-heatmap.js';
import { segmentSizesSpec } from '../charts/specs/segment-sizes.js';
import { colorSlots } from '../src/analytics/compare/color-slots.js';
import { capitalize, featureLabel } from '../src/analytics/segment/column-labels.js';
import type { KSelection, Segment } from '../src/analytics/types.js';
import type { ChartRequest } from '../src/slack/upload-chart.js';
import type { ChartBuilders, RunStore } from './deps.js';

/**
 * At most this many features in a heatmap: on a wide table a 47-row heatmap of mostly "0.0" hides
 * what matters, so only the most distinguishing features are shown.
 */
export const HEATMAP_FEATURES = 12;

/**
 * The features a heatmap shows, most distinguishing first: ranked by the share-weighted mean of the
 * segments' squared z-scores (how much of a feature's variance lies between the segments), or, for a
 * single segment, by its |z|.
 */
export function heatmapFeatures(segments: readonly Segment[], limit = HEATMAP_FEATURES): string[] {
  const strength = new Map<string, number>();
  const totalShare = segments.reduce((sum, s) => sum + s.share, 0) || 1;
  for (const segment of segments) {
    const weight = segments.length === 1 ? 1 : segment.share / totalShare;
    for (const p of segment.profile) {
      if (!Number.isFinite(p.z)) continue;
      strength.set(p.feature, (strength.get(p.feature) ?? 0) + weight * p.z * p.z);
    }
  }
  return [...strength.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([feature]) => feature);
}

/** Row labels in plain words, made unique if two features read the same. */
function featureRowLabels(features: readonly string[]): string[] {
  const labels = features.map((f) => capitalize(featureLabel(f)));
  return labels.map((label, i) => (labels.indexOf(label) === i ? label : `${label} (${features[i]})`));
}

function refs(segments: readonly Segment[], colors?: readonly number[]) {
  return segments.map((s, position) => ({
    index: s.index,
    name: s.name,
    ...(colors?.[position] !== undefined ? { color: colors[position] } : {}),
  }));
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
    segmentSizes: (segments, colors) =>
      segmentSizesSpec(refs(segments, colors).map((ref, i) => ({ ...ref, size: segments[i]!.size }))),
    pcaScatter: (input) =>
      pcaScatterSpec({
        projection: input.projection,
        labels: input.labels,
        segments: refs(input.segments, input.colors),
        explainedVarianceRatio: input.explainedVarianceRatio,
      }),
    profileHeatmap: (segments) => {
      const features = heatmapFeatures(segments);
      const all = new Set(segments.flatMap((s) => s.profile.map((p) => p.feature))).size;
      return profileHeatmapSpec(
        { segments: refs(segments), features: featureRowLabels(features), z: zMatrix(segments, features) },
        all > features.length
          ? {
              title: 'What sets each segment apart',
              subtitle: [
                `The ${features.length} of ${all} features that most set the segments apart, in standard deviations from all customers.`,
                'Orange: above average; blue: below; colours saturate at ±3.',
              ],
            }
          : undefined,
      );
    },
    kSelection: (selection: KSelection) => kSelectionSpec({ scores: selection.scores, chosenK: selection.k }),
    segmentProfile: (segment) => {
      const features = heatmapFeatures([segment]);
      return profileHeatmapSpec(
        {
          segments: [{ index: segment.index, name: segment.name }],
          features: featureRowLabels(features),
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
  /** Each segment's colour slot, kept across the channel's runs (see channelColorSlots). */
  colors: readonly number[];
  /** The run the charts belong to: file names carry it, so a run's charts are told apart from the next's. */
  runId: number;
}

/** How many earlier runs are walked to carry colours forward. */
const COLOR_HISTORY = 20;

/**
 * The colour slots of a run's segments, carried over from the channel's earlier runs, so a segment
 * keeps its colour across runs. Runs on another customer base start afresh.
 */
export async function channelColorSlots(runs: RunStore, channelId: string, runId: number): Promise<number[]> {
  const history = (await runs.listRuns(channelId, COLOR_HISTORY))
    .filter((r) => r.id <= runId && r.status === 'done' && r.transform !== null)
    .reverse()
    .map((r) => ({ transform: r.transform!, segments: r.segments }));
  return colorSlots(history);
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
      requests.push({ name: `${name}-run-${input.runId}`, title, altText, spec: build() });
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
      'Segments on a map of customer behaviour',
      'Scatter plot of customers on the first two principal components, coloured by segment.',
      () => builders.pcaScatter({ ...scatter, segments, colors: input.colors }),
    );
  }
  add(
    'profile-heatmap',
    'What sets each segment apart',
    'Heatmap of how far each segment’s average sits from all customers, per feature.',
    () => builders.profileHeatmap(segments),
  );
  const selection = input.kSelection;
  if (input.autoK && selection) {
    add(
      'k-selection',
      'Choosing the number of segments',
      `Silhouette and inertia for each k tried; k=${selection.k} was chosen.`,
      () => builders.kSelection(selection),
    );
  }
  return requests;
}
