import { describe, expect, it } from 'vitest';
import { normalizedMutualInformation } from '../../../../src/analytics/segment/mutual-information.js';

describe('normalizedMutualInformation', () => {
  it('is 1 when the segments are exactly the categories, whatever the label numbering', () => {
    const labels = Int32Array.from([2, 2, 0, 0, 1, 1]);
    expect(normalizedMutualInformation(labels, ['fr', 'fr', 'de', 'de', 'es', 'es'])).toBeCloseTo(1, 12);
  });

  it('is 0 when every segment has the same category mix', () => {
    const labels = Int32Array.from([0, 0, 1, 1]);
    expect(normalizedMutualInformation(labels, ['a', 'b', 'a', 'b'])).toBeCloseTo(0, 12);
  });

  it('matches a hand-computed value for a partial overlap', () => {
    // Labels 0,0,1,1 vs categories a,a,a,b, straight from the definition.
    const labels = Int32Array.from([0, 0, 1, 1]);
    const mi =
      0.5 * Math.log(0.5 / (0.5 * 0.75)) +
      0.25 * Math.log(0.25 / (0.5 * 0.75)) +
      0.25 * Math.log(0.25 / (0.5 * 0.25));
    const hLabels = Math.log(2);
    const hCategories = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(normalizedMutualInformation(labels, ['a', 'a', 'a', 'b'])).toBeCloseTo(
      mi / Math.sqrt(hLabels * hCategories),
      12,
    );
  });

  it('leaves out missing categories and scores a constant column 0', () => {
    const labels = Int32Array.from([0, 1, 0, 1]);
    expect(normalizedMutualInformation(labels, ['a', 'b', '', ''])).toBeCloseTo(1, 12);
    expect(normalizedMutualInformation(labels, ['a', 'a', 'a', 'a'])).toBe(0);
  });

  it('refuses inputs of different lengths', () => {
    expect(() => normalizedMutualInformation(Int32Array.from([0]), ['a', 'b'])).toThrow(RangeError);
  });
});
