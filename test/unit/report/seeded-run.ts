/** A seeded segmentation of generated customers, as the report tests' shared input. */
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../../src/analytics/segment/segment-customers.js';
import type { SegmentationResult } from '../../../src/analytics/types.js';

let cached: Promise<SegmentationResult> | undefined;

/** 600 generated customers (seed 3) in 3 segments (seed 1), computed once per test file. */
export function seededRun(): Promise<SegmentationResult> {
  cached ??= (async () => {
    const csv = generateCustomersCsv({ rows: 600, seed: 3, products: true });
    const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: 'customers.csv' });
    return segmentCustomers(ingest, { k: 3, seed: 1 });
  })();
  return cached;
}

export const REPORT_DATE = new Date('2026-12-05T09:30:00Z');
