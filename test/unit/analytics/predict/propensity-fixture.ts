import { ingestCsv } from '../../../../src/analytics/ingest/ingest-csv.js';
import { generateUptake, uptakeCsv } from '../../../../src/analytics/predict/generate-uptake.js';
import type { IngestResult } from '../../../../src/analytics/types.js';

/**
 * Planted customers as CSV: CUST_ID, X01..X06, REGION1, HAS_LOAN (the planted product) and
 * HAS_CARD (a second product that no feature predicts, held by every 7th customer).
 */
export function plantedCsv(rows: number, seed = 3, baseRate = 0.2): string {
  const data = generateUptake({ rows, numeric: 6, categorical: 1, seed, baseRate });
  const lines = uptakeCsv(data, { productColumn: 'HAS_LOAN' }).trim().split('\n');
  return `${lines.map((line, i) => `${line},${i === 0 ? 'HAS_CARD' : i % 7 === 0 ? 1 : 0}`).join('\n')}\n`;
}

export async function ingestText(text: string, fileName = 'customers.csv'): Promise<IngestResult> {
  return ingestCsv(new TextEncoder().encode(text), { fileName });
}
