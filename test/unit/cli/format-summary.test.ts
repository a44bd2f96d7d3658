import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../../src/analytics/segment/segment-customers.js';
import { formatSummary } from '../../../src/cli/format-summary.js';
import { churnLikeCsv, ingestFromCsv } from '../analytics/segment/helpers.js';

describe('formatSummary', () => {
  it('says where each inertia comes from when the k table and the final fit differ', async () => {
    const csv = generateCustomersCsv({ rows: 300, seed: 5 });
    const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: 'c.csv' });
    const result = segmentCustomers(ingest, { k: 'auto', seed: 1 });
    const selection = result.kSelection!;
    // The same fit on all rows: one inertia, nothing to explain.
    expect(formatSummary(result)).not.toContain("The table's inertias");
    // A k search on a sample of the rows gives the chosen k another inertia than its final fit.
    const sampled = {
      ...result,
      kSelection: {
        ...selection,
        fitSampleSize: 200,
        scores: selection.scores.map((s) => (s.k === result.k ? { ...s, inertia: s.inertia * 0.6 } : s)),
      },
    };
    expect(formatSummary(sampled)).toContain(
      `(The table's inertias are on the seeded sample of 200 customers the k search ran on; the inertia below is k=${result.k} refitted on all 300 customers.)`,
    );
  });

  it('gives a category or an outcome in the summary table as shares, never "high"/"low"', () => {
    const csv = churnLikeCsv(3, 1200);
    const ingest = ingestFromCsv(csv, { CustomerId: 'id', Exited: 'product' });
    const result = segmentCustomers(ingest, { k: 4, seed: 42 });
    const table = formatSummary(result)
      .split('\n\n')
      .find((block) => block.includes('Traits -> suggested action'))!;
    expect(table).toBeDefined();
    expect(table).not.toMatch(/\b(high|low) (country|geography|left the bank)/i);
    // Every category or outcome trait of the table's rows reads "<value or label> N% vs M%".
    let shares = 0;
    for (const segment of result.segments) {
      for (const trait of segment.traits.slice(0, 3)) {
        if (!trait.feature.includes('=') && trait.flag === undefined) continue;
        const share = trait.flag?.share ?? segment.profile.find((p) => p.feature === trait.feature)!.mean;
        expect(table).toContain(`${Math.round(share * 100)}% vs`);
        shares++;
      }
    }
    expect(shares).toBeGreaterThan(0);
  });
});
