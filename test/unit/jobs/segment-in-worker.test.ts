import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../../src/analytics/segment/segment-customers.js';
import type { SegmentStage } from '../../../src/analytics/types.js';
import { BadInputError, userMessage } from '../../../src/errors.js';
import { createWorkerSegmenter } from '../../../src/jobs/segment-in-worker.js';

describe('createWorkerSegmenter', () => {
  it('gives the same result as the engine in-process, reporting stages on the way', async () => {
    const ingest = await ingestCsv(new TextEncoder().encode(generateCustomersCsv({ rows: 150, seed: 4 })), {
      fileName: 'c.csv',
    });
    const stages: SegmentStage[] = [];
    const segment = createWorkerSegmenter();
    const direct = segmentCustomers(ingest, { k: 3, seed: 5 });
    const viaWorker = await segment(ingest, { k: 3, seed: 5, onStage: (s) => stages.push(s) });
    // The numeric columns were moved to the worker, not copied.
    expect(ingest.table.columns.find((c) => c.kind === 'numeric')!.values.length).toBe(0);
    expect(stages).toEqual(['preprocess', 'pca', 'cluster', 'silhouette', 'profile']);
    expect(viaWorker.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(viaWorker.labels)).toEqual(Array.from(direct.labels));
    expect(viaWorker.segments).toEqual(direct.segments);
    expect(viaWorker.pca.projection).toBeInstanceOf(Float32Array);
  });

  it('brings a coded error back as the same class with its hint', async () => {
    const ingest = await ingestCsv(new TextEncoder().encode(generateCustomersCsv({ rows: 12, seed: 4 })), {
      fileName: 'tiny.csv',
    });
    const error = await createWorkerSegmenter()(ingest, { k: 15, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect(userMessage(error)).toMatch(/^tiny.csv: Cannot make 15 segments from 12 customers\./);
  });
});
