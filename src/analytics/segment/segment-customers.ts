/**
 * The segmentation pipeline: ingested table -> fitted preprocessing -> PCA (for the chart and the
 * explained variance) -> k-means (fixed k, or k chosen from silhouette and the elbow) -> silhouette ->
 * profiles, persona names and campaign actions. Pure: the caller brings the parsed file and gets
 * plain data back.
 */
import { BadInputError } from '../../errors.js';
import { assignToCentroids, KMEANS_DEFAULTS } from '../cluster/kmeans.js';
import { fitPca, projectPca } from '../cluster/pca.js';
import { silhouetteScores } from '../cluster/silhouette.js';
import { adjustedRandIndex } from '../cluster/stability.js';
import {
  CLUSTER_METHODS,
  type ClusterMethod,
  type FittedTransform,
  type IngestResult,
  type Matrix,
  type MethodComparison,
  type Segment,
  type SegmentationResult,
  type SegmentOptions,
  type Table,
} from '../types.js';
import { suggestActions } from './campaign-playbook.js';
import { type Clustering, type ClusterRequest, clusterWith, sureShares } from './cluster-methods.js';
import { normalizedMutualInformation } from './mutual-information.js';
import { namePersonas } from './name-personas.js';
import { applyTransform, cellText, fitAndApplyTransform } from './preprocess.js';
import { profileSegments } from './profile-segments.js';
import { reviewAction, UNUSUAL_NAME, unusualTraits } from './unusual-traits.js';

/** Largest fixed k accepted: beyond this, segments stop being something a campaign can target. */
export const MAX_K = 20;

function validateK(k: 'auto' | number, rows: number, fileName: string): void {
  if (k === 'auto') return;
  if (!Number.isInteger(k) || k < 2 || k > MAX_K) {
    throw new BadInputError(`k must be a whole number from 2 to ${MAX_K}, or auto; got ${k}.`, {
      hint: 'Use --k auto to let segbot choose, or a number such as --k 4.',
    });
  }
  if (k > rows) {
    throw new BadInputError(`Cannot make ${k} segments from ${rows} customers.`, {
      hint: 'Use a smaller k or upload more customers.',
      location: { file: fileName },
    });
  }
}

/** Customer ids in input order; 1-based row numbers when the file has no id column. */
export function customerIdsOf(table: Table, idColumn: string | null): string[] {
  const column = idColumn === null ? undefined : table.columns.find((c) => c.name === idColumn);
  if (column === undefined) return Array.from({ length: table.rowCount }, (_, i) => String(i + 1));
  if (column.kind === 'text') return column.values.slice();
  return Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
}

/** NMI between the labels and each categorical column of the model (one-hot features). */
function categoryAgreement(
  transform: FittedTransform,
  table: Table,
  labels: Int32Array,
): { column: string; nmi: number }[] {
  const columns = [...new Set(transform.features.filter((f) => f.kind === 'onehot').map((f) => f.column))];
  return columns.map((name) => {
    const column = table.columns.find((c) => c.name === name)!;
    const categories = Array.from({ length: table.rowCount }, (_, i) => cellText(column, i));
    return { column: name, nmi: normalizedMutualInformation(labels, categories) };
  });
}

/** Profiles, names and actions for one method's labels: the same for every method. */
function describeSegments(
  context: { transform: FittedTransform; table: Table; X: Matrix; binaryColumns: string[] },
  clustering: Clustering,
): Segment[] {
  const { transform, table, X, binaryColumns } = context;
  const { labels, k, unusualSegment } = clustering;
  const profiles = profileSegments({ transform, table, matrix: X, labels, k, binaryColumns });
  // The unusual group is named apart, so it takes no persona name from a real segment.
  const dense = profiles.filter((p) => p.index !== unusualSegment);
  const names = new Map(namePersonas(dense).map((named) => [named.index, named]));
  return profiles.map((profile) => {
    if (profile.index === unusualSegment) {
      const [persona] = namePersonas([profile]);
      const traits = unusualTraits(transform, X, labels, profile.index);
      return {
        index: profile.index,
        name: UNUSUAL_NAME,
        persona: persona!.persona,
        size: profile.size,
        share: profile.share,
        profile: profile.profile,
        traits,
        actions: [reviewAction(traits), ...suggestActions({ ...profile, persona: persona!.persona })],
        centroid: profile.centroid,
      };
    }
    const named = names.get(profile.index)!;
    return {
      index: profile.index,
      name: named.name,
      persona: named.persona,
      size: profile.size,
      share: profile.share,
      profile: profile.profile,
      traits: profile.traits,
      actions: suggestActions({ ...profile, persona: named.persona }),
      centroid: profile.centroid,
    };
  });
}

/**
 * Segments the customers of an ingested file. With `k: 'auto'` the k in 3..8 with the best
 * silhouette (ties settled by the inertia elbow) wins and `kSelection` says which k scored what;
 * a Gaussian mixture picks its k by BIC instead, and density clustering finds its own number.
 * With `method: 'compare'` all three run on the same data and `comparison` reports them side by
 * side; the result itself is the one named by `keep` (k-means unless asked). The same input and
 * seed give identical output.
 */
export function segmentCustomers(ingest: IngestResult, options: SegmentOptions): SegmentationResult {
  const { table, schema, quality } = ingest;
  const log = options.log ?? 'auto';
  const nInit = options.nInit ?? KMEANS_DEFAULTS.nInit;
  const method = options.method ?? 'kmeans';
  const covariance = options.covariance ?? 'full';
  const stage = options.onStage ?? (() => {});
  validateK(options.k, table.rowCount, table.fileName);
  if (method === 'density' && options.k !== 'auto') {
    throw new BadInputError('Density clustering finds its own number of segments, so it takes no fixed k.', {
      hint: 'Leave k out (or k=auto) with method=density, or use method=gmm or method=kmeans for a fixed k.',
    });
  }
  if (!Number.isInteger(nInit) || nInit < 1 || nInit > 100) {
    throw new BadInputError(`The number of restarts must be a whole number from 1 to 100; got ${nInit}.`);
  }

  stage('preprocess');
  const { transform, X } = fitAndApplyTransform(table, schema, { features: options.features, log });
  if (X.rows < 3) {
    throw new BadInputError(`Segmentation needs at least 3 customers; the file has ${X.rows}.`, {
      hint: 'Upload a file with more customers.',
      location: { file: table.fileName },
    });
  }

  stage('pca');
  const pcaModel = fitPca(X);
  const dims = Math.min(2, X.cols);
  const projected = projectPca(pcaModel, X, dims);
  const projection = new Float32Array(X.rows * 2);
  for (let i = 0; i < X.rows; i++) {
    projection[2 * i] = projected.data[i * dims]!;
    projection[2 * i + 1] = dims > 1 ? projected.data[i * dims + 1]! : 0;
  }

  const request: ClusterRequest = {
    k: options.k,
    seed: options.seed,
    nInit,
    covariance,
    stage,
    scoreSilhouette: method !== 'compare',
  };
  const prepared = { X, pca: pcaModel };
  const clock = options.clock ?? (() => performance.now());
  const runs = (method === 'compare' ? CLUSTER_METHODS : [method]).map((m) => {
    const started = clock();
    const clustering = clusterWith(m, prepared, m === 'density' ? { ...request, k: 'auto' } : request);
    return { clustering, seconds: (clock() - started) / 1000 };
  });
  if (method === 'compare') {
    // One shared sample, so the silhouettes compare like with like.
    stage('silhouette');
    const scores = silhouetteScores(
      X,
      runs.map((r) => r.clustering),
      { seed: options.seed },
    );
    runs.forEach((r, t) => {
      r.clustering.silhouette = scores[t]!.score;
      r.clustering.silhouetteSample = { exact: scores[t]!.exact, size: scores[t]!.size };
    });
  }

  stage('profile');
  const modelled = new Set(transform.features.map((f) => f.column));
  const binaryColumns = schema.columns
    .filter((c) => c.role === 'product' && !modelled.has(c.name))
    .map((c) => c.name);
  const described = runs.map((r) => ({
    ...r,
    segments: describeSegments({ transform, table, X, binaryColumns }, r.clustering),
  }));
  const keep = method === 'compare' ? (options.keep ?? 'kmeans') : method;
  const kept = described.find((d) => d.clustering.method === keep) ?? described[0]!;
  const fit = kept.clustering;
  const labels = fit.labels;

  const components: number[][] = [];
  for (let c = 0; c < pcaModel.components.rows; c++) {
    const start = c * pcaModel.components.cols;
    components.push(Array.from(pcaModel.components.data.subarray(start, start + pcaModel.components.cols)));
  }

  return {
    k: fit.k,
    silhouette: fit.silhouette,
    inertia: fit.inertia,
    params: {
      k: options.k,
      seed: options.seed,
      features: [...new Set(transform.features.map((f) => f.column))],
      log,
      nInit,
      categoryAgreement: categoryAgreement(transform, table, labels),
      ...methodParams(fit),
    },
    fingerprint: table.fingerprint,
    quality,
    transform,
    kSelection: fit.kSelection,
    silhouetteSample: fit.silhouetteSample,
    pca: {
      explainedVarianceRatio: Array.from(pcaModel.explainedVarianceRatio),
      components,
      projection,
    },
    segments: kept.segments,
    labels,
    customerIds: customerIdsOf(table, schema.idColumn),
    ...(fit.methodFit ? { methodFit: fit.methodFit } : {}),
    ...(method === 'compare' ? { comparison: compareSummary(described, fit.method) } : {}),
  };
}

/** What a stored run records about its method. */
function methodParams(
  fit: Clustering,
): Pick<SegmentationResult['params'], 'method' | 'covariance' | 'sure' | 'unusualSegment'> {
  return {
    method: fit.method,
    ...(fit.methodFit?.method === 'gmm' ? { covariance: fit.methodFit.covariance } : {}),
    ...(fit.confidence ? { sure: sureShares(fit.labels, fit.confidence, fit.k) } : {}),
    ...(fit.unusualSegment === undefined ? {} : { unusualSegment: fit.unusualSegment }),
  };
}

function compareSummary(
  described: { clustering: Clustering; seconds: number; segments: Segment[] }[],
  kept: ClusterMethod,
): MethodComparison {
  const agreement: MethodComparison['agreement'] = [];
  for (let a = 0; a < described.length; a++) {
    for (let b = a + 1; b < described.length; b++) {
      agreement.push({
        a: described[a]!.clustering.method,
        b: described[b]!.clustering.method,
        ari: adjustedRandIndex(described[a]!.clustering.labels, described[b]!.clustering.labels),
      });
    }
  }
  return {
    methods: described.map(({ clustering, seconds, segments }) => {
      const params = methodParams(clustering);
      return {
        method: clustering.method,
        k: clustering.k,
        silhouette: clustering.silhouette,
        seconds,
        segments: segments.map((s) => ({ name: s.name, size: s.size, share: s.share })),
        ...(params.sure ? { sure: params.sure } : {}),
        ...(params.unusualSegment === undefined ? {} : { unusualSegment: params.unusualSegment }),
      };
    }),
    agreement,
    kept,
    silhouetteSample: described[0]!.clustering.silhouetteSample,
  };
}

/**
 * Assigns customers (new ones, or a later version of the file) to the segments of an earlier run:
 * the run's fitted preprocessing, then the nearest segment centre. A missing column is a
 * BadInputError naming it.
 */
export function assignToSegments(
  result: Pick<SegmentationResult, 'transform' | 'segments'>,
  table: Table,
): Int32Array {
  const X = applyTransform(result.transform, table);
  const cols = result.transform.features.length;
  const centroids: Matrix = {
    data: new Float64Array(result.segments.length * cols),
    rows: result.segments.length,
    cols,
  };
  for (const segment of result.segments)
    centroids.data.set(segment.centroid.standardized, segment.index * cols);
  return assignToCentroids(X, centroids);
}
