/**
 * The grouping step of the segmentation, one function per method, each on the same prepared data
 * (standardized matrix and PCA) and each returning labels numbered for reports (largest segment
 * first; density's "Unusual customers" last). Profiling, naming and actions come after, the same for
 * every method.
 */
import { BadInputError } from '../../errors.js';
import { CHOOSE_K_DEFAULTS, chooseK } from '../cluster/choose-k.js';
import { densityCluster } from '../cluster/density.js';
import { assignGmm, chooseGmmK, GMM_DEFAULTS } from '../cluster/gmm.js';
import { computeInertia, kmeans } from '../cluster/kmeans.js';
import { projectPca } from '../cluster/pca.js';
import { silhouetteScore } from '../cluster/silhouette.js';
import type {
  ClusterMethod,
  CovarianceType,
  KSelection,
  Matrix,
  MethodFit,
  PcaModel,
  SegmentStage,
} from '../types.js';

/** What every method starts from. */
export interface PreparedData {
  /** Customers x features, standardized. */
  X: Matrix;
  pca: PcaModel;
}

export interface ClusterRequest {
  k: 'auto' | number;
  seed: number;
  nInit: number;
  covariance: CovarianceType;
  stage: (stage: SegmentStage) => void;
  /** False when a compare scores every method's silhouette on one shared sample itself. */
  scoreSilhouette: boolean;
}

/** The outcome of one method's grouping. */
export interface Clustering {
  method: ClusterMethod;
  k: number;
  /** 0..k-1, numbered for reports. */
  labels: Int32Array;
  inertia: number;
  silhouette: number;
  silhouetteSample: { exact: boolean; size: number };
  kSelection: KSelection | null;
  methodFit?: MethodFit;
  /** GMM: posterior of each customer's segment. */
  confidence?: Float32Array;
  /** Density: the segment holding the outliers. */
  unusualSegment?: number;
}

/**
 * Ridge on every mixture variance, in standardized units: no component narrower than 0.1 standard
 * deviation in any direction. Bank columns are full of exact zeros (no cash advance, no
 * installments); with scikit-learn's 1e-6 a component collapses onto them and every customer is
 * "100% sure", which tells a marketer nothing.
 */
const SEGMENT_GMM_RIDGE = 1e-2;

/** Components the density is measured on: few enough for a grid index to pay. */
const DENSITY_DIMS = 3;

/** Renumbers labels 0..k-1 by size, largest first (ties by old index); `keepLast` stays last. */
export function relabelBySize(labels: Int32Array, k: number, keepLast?: number): Int32Array {
  const sizes = new Int32Array(k);
  for (const label of labels) sizes[label]!++;
  const order = Array.from({ length: k }, (_, s) => s)
    .filter((s) => s !== keepLast)
    .sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  if (keepLast !== undefined) order.push(keepLast);
  const newIndex = new Int32Array(k);
  order.forEach((old, position) => {
    newIndex[old] = position;
  });
  return labels.map((label) => newIndex[label]!);
}

/** Within-segment sum of squares around each segment's mean, comparable across methods. */
function inertiaOf(X: Matrix, labels: Int32Array, k: number): number {
  const d = X.cols;
  const centroids: Matrix = { data: new Float64Array(k * d), rows: k, cols: d };
  const counts = new Float64Array(k);
  for (let i = 0; i < X.rows; i++) {
    const s = labels[i]!;
    counts[s]!++;
    for (let j = 0; j < d; j++) centroids.data[s * d + j]! += X.data[i * d + j]!;
  }
  for (let s = 0; s < k; s++)
    for (let j = 0; j < d; j++) centroids.data[s * d + j]! /= Math.max(1, counts[s]!);
  return computeInertia(X, centroids, labels);
}

function scored(
  X: Matrix,
  labels: Int32Array,
  k: number,
  request: ClusterRequest,
): Pick<Clustering, 'silhouette' | 'silhouetteSample'> {
  if (!request.scoreSilhouette)
    return { silhouette: Number.NaN, silhouetteSample: { exact: false, size: 0 } };
  request.stage('silhouette');
  const result = silhouetteScore(X, labels, k, { seed: request.seed });
  return { silhouette: result.score, silhouetteSample: { exact: result.exact, size: result.size } };
}

function clusterKMeans(data: PreparedData, request: ClusterRequest): Clustering {
  const { X } = data;
  if (request.k === 'auto') {
    request.stage('choose-k');
    const chosen = chooseK(X, { seed: request.seed, nInit: request.nInit });
    request.stage('cluster');
    const fit = chosen.fits.get(chosen.selection.k)!;
    // The k search already scored every k; the stage is still reported so progress reads the same.
    if (request.scoreSilhouette) request.stage('silhouette');
    const score = chosen.selection.scores.find((s) => s.k === chosen.selection.k)!;
    return {
      method: 'kmeans',
      k: fit.k,
      labels: relabelBySize(fit.labels, fit.k),
      inertia: fit.inertia,
      silhouette: score.silhouette,
      silhouetteSample: chosen.selection.silhouetteSample,
      kSelection: chosen.selection,
    };
  }
  request.stage('cluster');
  const fit = kmeans(X, { k: request.k, seed: request.seed, nInit: request.nInit });
  const labels = relabelBySize(fit.labels, fit.k);
  return {
    method: 'kmeans',
    k: fit.k,
    labels,
    inertia: fit.inertia,
    kSelection: null,
    ...scored(X, labels, fit.k, request),
  };
}

function clusterGmm(data: PreparedData, request: ClusterRequest): Clustering {
  const { X } = data;
  const ks =
    request.k === 'auto'
      ? Array.from(
          { length: CHOOSE_K_DEFAULTS.kMax - CHOOSE_K_DEFAULTS.kMin + 1 },
          (_, t) => CHOOSE_K_DEFAULTS.kMin + t,
        ).filter((k) => k < X.rows)
      : [request.k];
  request.stage(request.k === 'auto' ? 'choose-k' : 'cluster');
  const { model, scores } = chooseGmmK(X, ks.length > 0 ? ks : [2], {
    seed: request.seed,
    covariance: request.covariance,
    regularization: SEGMENT_GMM_RIDGE,
  });
  request.stage('cluster');
  const assigned = assignGmm(model, X);
  // A component can end up owning nobody once every customer takes its most likely one: drop it.
  const used = new Int32Array(model.k).fill(-1);
  let k = 0;
  for (const label of assigned.labels) if (used[label] === -1) used[label] = k++;
  const labels = relabelBySize(
    assigned.labels.map((label) => used[label]!),
    k,
  );
  return {
    method: 'gmm',
    k,
    labels,
    inertia: inertiaOf(X, labels, k),
    kSelection: null,
    confidence: assigned.confidence,
    methodFit: {
      method: 'gmm',
      covariance: request.covariance,
      bic: scores,
      logLikelihood: assigned.logLikelihood,
      fitRows: model.fitRows,
    },
    ...scored(X, labels, k, request),
  };
}

function clusterDensity(data: PreparedData, request: ClusterRequest): Clustering {
  const { X, pca } = data;
  request.stage('cluster');
  const dims = Math.min(DENSITY_DIMS, X.cols);
  const points = projectPca(pca, X, dims);
  const found = densityCluster(points, { seed: request.seed });
  if (found.clusters === 0) {
    throw new BadInputError('Density clustering found no dense group of customers in this file.', {
      hint: 'Customers are spread too evenly for density clustering; use method=kmeans or method=gmm.',
    });
  }
  const unusual = found.outliers > 0 ? found.clusters : undefined;
  const k = found.clusters + (unusual === undefined ? 0 : 1);
  // Dense clusters come largest first already; the outliers become the last segment.
  const labels = found.labels.map((label) => (label < 0 ? found.clusters : label));
  return {
    method: 'density',
    k,
    labels,
    inertia: inertiaOf(X, labels, k),
    kSelection: null,
    methodFit: {
      method: 'density',
      eps: found.eps,
      minPoints: found.minPoints,
      dims,
      fitRows: found.fitRows,
      outliers: found.outliers,
    },
    ...(unusual === undefined ? {} : { unusualSegment: unusual }),
    ...scored(X, labels, k, request),
  };
}

/** Groups the customers with one method. */
export function clusterWith(method: ClusterMethod, data: PreparedData, request: ClusterRequest): Clustering {
  switch (method) {
    case 'kmeans':
      return clusterKMeans(data, request);
    case 'gmm':
      return clusterGmm(data, request);
    case 'density':
      return clusterDensity(data, request);
    default:
      return assertNever(method);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unknown clustering method: ${String(value)}`);
}

/** Share of each segment's customers whose membership is at least `GMM_DEFAULTS.surePosterior` sure. */
export function sureShares(labels: Int32Array, confidence: Float32Array, k: number): number[] {
  const sizes = new Float64Array(k);
  const sure = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    sizes[labels[i]!]!++;
    if (confidence[i]! >= GMM_DEFAULTS.surePosterior) sure[labels[i]!]!++;
  }
  return Array.from(sizes, (size, s) => (size > 0 ? sure[s]! / size : 0));
}
