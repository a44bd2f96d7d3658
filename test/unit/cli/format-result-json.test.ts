import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../../src/analytics/segment/segment-customers.js';
import { formatResultJson, formatResultJsonPieces } from '../../../src/cli/format-summary.js';

describe('formatResultJsonPieces', () => {
  it('streams the JSON in pieces that join to one document with every assignment in order', async () => {
    const ingest = await ingestCsv(new TextEncoder().encode(generateCustomersCsv({ rows: 200, seed: 3 })), {
      fileName: 'c.csv',
    });
    const small = segmentCustomers(ingest, { k: 3, seed: 42 });
    // More customers than one piece holds, with an id that needs escaping.
    const n = 120_001;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    const customerIds = Array.from({ length: n }, (_, i) =>
      i === 70_000 ? 'C"7\\0' : i === 90_000 ? 'Ünal\t€' : `C${i}`,
    );
    const result = { ...small, labels, customerIds };

    const pieces = Array.from(formatResultJsonPieces(result));
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    const text = Buffer.concat(pieces).toString('utf8');
    expect(text).toBe(formatResultJson(result));
    expect(text.endsWith('}\n')).toBe(true);
    const json = JSON.parse(text) as {
      k: number;
      assignments: { customerId: string; segment: number; number: number }[];
    };
    expect(json.k).toBe(3);
    expect(json.assignments).toHaveLength(n);
    // `number` counts from 1, as marketers do; `segment` is the 0-based index.
    expect(json.assignments[70_000]).toEqual({
      customerId: 'C"7\\0',
      segment: 70_000 % 3,
      number: (70_000 % 3) + 1,
    });
    // Each line is the row as JSON.stringify writes it, non-ASCII and control characters included.
    expect(json.assignments[90_000]!.customerId).toBe('Ünal\t€');
    expect(text).toContain(`    ${JSON.stringify({ customerId: 'Ünal\t€', segment: 0, number: 1 })},\n`);
    expect(text).toContain(`    ${JSON.stringify({ customerId: 'C"7\\0', segment: 1, number: 2 })},\n`);
    expect(
      json.assignments.every(
        (a, i) =>
          a.segment === i % 3 &&
          a.number === a.segment + 1 &&
          (i === 70_000 || i === 90_000 || a.customerId === `C${i}`),
      ),
    ).toBe(true);
  });

  it('writes an empty assignment list as []', async () => {
    const ingest = await ingestCsv(new TextEncoder().encode(generateCustomersCsv({ rows: 50, seed: 4 })), {
      fileName: 'c.csv',
    });
    const result = {
      ...segmentCustomers(ingest, { k: 2, seed: 1 }),
      labels: new Int32Array(0),
      customerIds: [],
    };
    expect(
      (
        JSON.parse(Buffer.concat(Array.from(formatResultJsonPieces(result))).toString('utf8')) as {
          assignments: unknown[];
        }
      ).assignments,
    ).toEqual([]);
  });
});
