import { describe, expect, it } from 'vitest';
import type { QualityReport } from '../../../../src/analytics/types.js';
import { qualityReportMessage } from '../../../../src/slack/blocks/quality-report-blocks.js';

const quality: QualityReport = {
  fileName: 'customers.csv',
  rows: 8950,
  columnCount: 5,
  byRole: {
    id: ['CUST_ID'],
    numeric: ['BALANCE', 'MINIMUM_PAYMENTS'],
    categorical: [],
    product: ['HAS_LOAN'],
    date: [],
    ignored: ['NOTES'],
  },
  columns: [
    { name: 'BALANCE', role: 'numeric', missing: 0, notes: [] },
    {
      name: 'MINIMUM_PAYMENTS',
      role: 'numeric',
      missing: 313,
      notes: ['3 negative values', 'MINIMUM_PAYMENTS has 313 missing values (3.5%).'],
    },
    { name: 'NOTES', role: 'ignored', missing: 12, notes: [] },
  ],
  dropped: [{ name: 'NOTES', reason: 'free text' }],
  notes: ['227 customers have BALANCE above CREDIT_LIMIT'],
};

describe('qualityReportMessage', () => {
  it('reports rows, columns by role, missing counts, dropped columns and notes', () => {
    const message = qualityReportMessage({ version: 3, fileName: 'customers.csv', rows: 8950 }, quality);
    expect(message.text).toBe('Imported customers.csv as dataset v3: 8,950 rows, 5 columns.');
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('*8,950 customers*, 5 columns');
    expect(body).toContain('• Customer id (1): CUST_ID');
    expect(body).toContain('• Numeric (used for segments) (2): BALANCE, MINIMUM_PAYMENTS');
    expect(body).toContain('• Product flags (prediction targets) (1): HAS_LOAN');
    expect(body).not.toContain('Categorical');
    expect(body).toContain('• MINIMUM_PAYMENTS: 313 (3.5%)');
    expect(body.indexOf('MINIMUM_PAYMENTS: 313')).toBeLessThan(body.indexOf('NOTES: 12'));
    expect(body).toContain('• NOTES: free text');
    expect(body).toContain('• 227 customers have BALANCE above CREDIT_LIMIT');
    expect(body).toContain('• 3 negative values');
    expect(body).not.toContain('has 313 missing values');
    expect(body).toContain('/segbot segment k=auto');
  });

  it('says so when nothing is missing', () => {
    const clean = {
      ...quality,
      columns: [{ name: 'BALANCE', role: 'numeric' as const, missing: 0, notes: [] }],
      dropped: [],
      notes: [],
    };
    const body = JSON.stringify(
      qualityReportMessage({ version: 1, fileName: 'a.csv', rows: 10 }, clean).blocks,
    );
    expect(body).toContain('None: every cell has a value.');
    expect(body).not.toContain('Dropped');
  });
});
