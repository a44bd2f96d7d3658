/**
 * Seeded builders of ingest results and segmentation results for the storage tests, so they do not
 * depend on the ingest or segmentation code.
 */
import { createRng } from '../../../src/analytics/rng.js';
import type {
  Column,
  IngestResult,
  QualityReport,
  Segment,
  SegmentationResult,
} from '../../../src/analytics/types.js';

export interface BuildIngestOptions {
  rows: number;
  seed?: number;
  fileName?: string;
  /** Leave out the CUST_ID column (and idColumn) to exercise row-number ids. */
  withoutIds?: boolean;
}

/** A table with a text id, numeric columns with NaN gaps, a categorical and free text. */
export function buildIngest(options: BuildIngestOptions): IngestResult {
  const { rows } = options;
  const rng = createRng(options.seed ?? 1);
  const columns: Column[] = [];
  if (!options.withoutIds) {
    columns.push({
      name: 'CUST_ID',
      kind: 'text',
      values: Array.from({ length: rows }, (_, i) => `C${10001 + i}`),
      missing: 0,
    });
  }
  for (const name of ['BALANCE', 'PURCHASES', 'CREDIT_LIMIT']) {
    const values = new Float64Array(rows);
    let missing = 0;
    for (let i = 0; i < rows; i++) {
      if (rng.next() < 0.05) {
        values[i] = Number.NaN;
        missing++;
      } else values[i] = Math.round(rng.next() * 1e6) / 100;
    }
    columns.push({ name, kind: 'numeric', values, missing });
  }
  const segments = ['01 - TOP', '02 - PARTICULARES', '03 - UNIVERSITARIO', ''];
  const segmento = Array.from({ length: rows }, () => segments[rng.int(segments.length)]!);
  columns.push({
    name: 'segmento',
    kind: 'text',
    values: segmento,
    missing: segmento.filter((v) => v === '').length,
  });
  const notes = Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? '' : `nota «${i}» ✓ ${rng.int(1000)}`));
  columns.push({ name: 'notes', kind: 'text', values: notes, missing: notes.filter((v) => v === '').length });
  const fileName = options.fileName ?? 'customers.csv';
  const quality: QualityReport = {
    fileName,
    rows,
    columnCount: columns.length,
    byRole: {
      id: ['CUST_ID'],
      numeric: ['BALANCE', 'PURCHASES', 'CREDIT_LIMIT'],
      categorical: ['segmento'],
      product: [],
      date: [],
      ignored: ['notes'],
    },
    columns: [],
    dropped: [{ name: 'notes', reason: 'free text' }],
    notes: [],
  };
  return {
    table: {
      fileName,
      rowCount: rows,
      columns,
      delimiter: ';',
      fingerprint: `${(options.seed ?? 1).toString(16).padStart(8, '0')}${'ab'.repeat(28)}`,
    },
    schema: {
      idColumn: options.withoutIds ? null : 'CUST_ID',
      columns: columns.map((c) => ({
        name: c.name,
        role: c.kind === 'numeric' ? 'numeric' : 'categorical',
        reason: 'test',
      })),
    },
    quality,
  };
}

/** A segmentation result over `rows` customers with `k` segments. */
export function buildSegmentation(rows: number, k: number, seed = 1): SegmentationResult {
  const rng = createRng(seed);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) labels[i] = rng.int(k);
  const projection = new Float32Array(rows * 2);
  for (let i = 0; i < projection.length; i++) projection[i] = rng.normal();
  const segments: Segment[] = Array.from({ length: k }, (_, index) => {
    const size = labels.filter((l) => l === index).length;
    return {
      index,
      name: `Segment ${index + 1}`,
      persona: 'transactor',
      size,
      share: size / rows,
      profile: [{ feature: 'BALANCE', mean: 100 + index, median: 90, populationMean: 100, z: 0.1 * index }],
      traits: [{ feature: 'BALANCE', direction: 'high', z: 1.2, text: 'BALANCE 1.2x the average' }],
      actions: [{ title: 'Offer cashback', reason: 'they pay in full' }],
      centroid: { standardized: [0.1 * index, -0.2], original: { BALANCE: 100 + index } },
    };
  });
  return {
    k,
    silhouette: 0.31,
    inertia: 1234.5,
    params: {
      k: 'auto',
      seed,
      features: ['BALANCE', 'PURCHASES'],
      log: 'auto',
      nInit: 4,
      categoryAgreement: [],
    },
    fingerprint: 'f'.repeat(64),
    quality: buildIngest({ rows: 1 }).quality,
    transform: { version: 1, features: [] },
    kSelection: {
      k,
      scores: [{ k, inertia: 1234.5, silhouette: 0.31 }],
      silhouetteSample: { exact: true, size: rows },
      reason: `k=${k}: best silhouette`,
    },
    silhouetteSample: { exact: true, size: rows },
    pca: {
      explainedVarianceRatio: [0.6, 0.3],
      components: [
        [1, 0],
        [0, 1],
      ],
      projection,
    },
    segments,
    labels,
    customerIds: Array.from({ length: rows }, (_, i) => `C${10001 + i}`),
  };
}
