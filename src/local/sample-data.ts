import { generateCustomersCsv } from '../analytics/generate-customers.js';

/** The sample file local mode shares at start, so the first `/segbot segment` or `predict` has data. */
export const SAMPLE_FILE_NAME = 'sample-customers.csv';
export const SAMPLE_ROWS = 5000;
export const SAMPLE_SEED = 42;

/**
 * Seeded synthetic customers in the CC GENERAL layout with three product-holding flags (credit-card
 * upgrade, personal loan, savings account), as CSV bytes: enough for `/segbot segment` and
 * `/segbot predict` from the first minute.
 */
export function sampleCustomersCsv(rows = SAMPLE_ROWS, seed = SAMPLE_SEED): Uint8Array {
  return new TextEncoder().encode(generateCustomersCsv({ rows, seed, products: true }));
}
