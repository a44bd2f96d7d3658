/**
 * The segmentation pipeline: ingested table -> fitted preprocessing -> PCA (for the chart and the
 * explained variance) -> k-means (fixed k, or k chosen from silhouette and the elbow) -> silhouette ->
 * profiles, persona names and campaign actions. Pure: the caller brings the parsed file and gets
 * plain data back.
 */
import { BadInputError } from '../../errors.js';
import { chooseK } from '../cluster/choose-k.js';
import { assignToCentroids, KMEANS_DEFAULTS, kmeans } from '../cluster/kmeans.js';
import { fitPca, projectPca } from '../cluster/pca.js';
import { silhouetteScore } from '../cluster/silhouette.js';
import type {
  FittedTransform,
  IngestResult,
  KMeansResult,
  KSelection,
  Matrix,
  Segment,
  SegmentationResult,
  SegmentOptions,
  Table,
} from '../types.js';
import { suggestActions } from './campaign-playbook.js';
import { normalizedMutualInformation } from './mutual-information.js';
import { namePersonas } from './name-personas.js';
import { applyTransform, cellText, fitTransform } from './preprocess.js';
import { profileSegments } from './profile-segments.js';

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

/** Renumbers segments by size, largest first (ties by k-means index), so reports read top-down. */
function relabelBySize(fit: KMeansResult): Int32Array {
  const sizes = new Int32Array(fit.k);
  for (const label of fit.labels) sizes[label]!++;
  const order = Array.from({ length: fit.k }, (_, s) => s).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const newIndex = new Int32Array(fit.k);
  order.forEach((old, position) => {
    newIndex[old] = position;
  });
  return fit.labels.map((label) => newIndex[label]!);
}

/**
 * Segments the customers of an ingested file. With `k: 'auto'` the k in 3..8 with the best
 * silhouette (ties settled by the inertia elbow) wins and `kSelection` says which k scored what.
 * The same input and seed give identical output.
 */
export function segmentCustomers(ingest: IngestResult, options: SegmentOptions): SegmentationResult {
  const { table, schema, quality } = ingest;
  const log = options.log ?? 'auto';
  const nInit = options.nInit ?? KMEANS_DEFAULTS.nInit;
  const stage = options.onStage ?? (() => {});
  validateK(options.k, table.rowCount, table.fileName);
  if (!Number.isInteger(nInit) || nInit < 1 || nInit > 100) {
    throw new BadInputError(`The number of restarts must be a whole number from 1 to 100; got ${nInit}.`);
  }

  stage('preprocess');
  const transform = fitTransform(table, schema, { features: options.features, log });
  const X = applyTransform(transform, table);
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

  let kSelection: KSelection | null = null;
  let fit: KMeansResult;
  let silhouetteSample: { exact: boolean; size: number };
  let silhouette: number;
  if (options.k === 'auto') {
    stage('choose-k');
    const chosen = chooseK(X, { seed: options.seed, nInit });
    kSelection = chosen.selection;
    stage('cluster');
    fit = chosen.fits.get(chosen.selection.k)!;
    stage('silhouette');
    silhouette = chosen.selection.scores.find((score) => score.k === chosen.selection.k)!.silhouette;
    silhouetteSample = chosen.selection.silhouetteSample;
  } else {
    stage('cluster');
    fit = kmeans(X, { k: options.k, seed: options.seed, nInit });
    stage('silhouette');
    const scored = silhouetteScore(X, fit.labels, fit.k, { seed: options.seed });
    silhouette = scored.score;
    silhouetteSample = { exact: scored.exact, size: scored.size };
  }

  stage('profile');
  const labels = relabelBySize(fit);
  const modelled = new Set(transform.features.map((f) => f.column));
  const binaryColumns = schema.columns
    .filter((c) => c.role === 'product' && !modelled.has(c.name))
    .map((c) => c.name);
  const profiles = profileSegments({ transform, table, matrix: X, labels, k: fit.k, binaryColumns });
  const names = namePersonas(profiles);
  const segments: Segment[] = profiles.map((profile, s) => {
    const named = names[s]!;
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

  const components: number[][] = [];
  for (let c = 0; c < pcaModel.components.rows; c++) {
    const start = c * pcaModel.components.cols;
    components.push(Array.from(pcaModel.components.data.subarray(start, start + pcaModel.components.cols)));
  }

  return {
    k: fit.k,
    silhouette,
    inertia: fit.inertia,
    params: {
      k: options.k,
      seed: options.seed,
      features: [...new Set(transform.features.map((f) => f.column))],
      log,
      nInit,
      categoryAgreement: categoryAgreement(transform, table, labels),
    },
    fingerprint: table.fingerprint,
    quality,
    transform,
    kSelection,
    silhouetteSample,
    pca: {
      explainedVarianceRatio: Array.from(pcaModel.explainedVarianceRatio),
      components,
      projection,
    },
    segments,
    labels,
    customerIds: customerIdsOf(table, schema.idColumn),
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
