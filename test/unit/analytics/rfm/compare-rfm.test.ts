import { describe, expect, it } from 'vitest';
import { compareRfm } from '../../../../src/analytics/rfm/compare-rfm.js';

describe('compareRfm', () => {
  it('counts sizes, share changes and moves between RFM segments by customer id', () => {
    const before = {
      customerIds: ['a', 'b', 'c', 'd'],
      names: ['Champions', 'Champions', 'At risk', 'Lost'] as const,
    };
    // d left, e arrived; b slipped to At risk, c came back as Champions.
    const after = {
      customerIds: ['a', 'c', 'b', 'e'],
      names: ['Champions', 'Champions', 'At risk', 'New customers'] as const,
    };
    const change = compareRfm(
      { customerIds: before.customerIds, names: [...before.names] },
      { customerIds: after.customerIds, names: [...after.names] },
    );
    expect(change.common).toBe(3);
    expect(change.movers).toBe(2);
    expect(change.moves).toEqual([
      { from: 'At risk', to: 'Champions', customers: 1 },
      { from: 'Champions', to: 'At risk', customers: 1 },
    ]);
    // In the rule table's order; Lost emptied, New customers appeared.
    expect(change.sizes.map((s) => [s.name, s.before, s.after, s.shareChangePp])).toEqual([
      ['Champions', 2, 2, 0],
      ['New customers', 0, 1, 25],
      ['At risk', 1, 1, 0],
      ['Lost', 1, 0, -25],
    ]);
    expect(change.maxShareChangePp).toBe(25);
  });
});
