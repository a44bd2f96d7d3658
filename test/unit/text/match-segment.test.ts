import { describe, expect, it } from 'vitest';
import type { PersonaKey, Segment } from '../../../src/analytics/types.js';
import { BadInputError, NotFoundError, userMessage } from '../../../src/errors.js';
import { matchSegment } from '../../../src/text/match-segment.js';

function seg(index: number, name: string, persona: PersonaKey): Segment {
  return {
    index,
    name,
    persona,
    size: 10,
    share: 0.25,
    profile: [],
    traits: [],
    actions: [],
    centroid: { standardized: [], original: {} },
  };
}

const segments = [
  seg(0, 'Revolvers', 'revolver'),
  seg(1, 'VIP high spenders', 'vip'),
  seg(2, 'Cash-advance users', 'cash_advance'),
  seg(3, 'Low-value accounts', 'low_value'),
];

describe('matchSegment', () => {
  it('finds by number as listed', () => {
    expect(matchSegment(segments, '2').name).toBe('VIP high spenders');
    expect(matchSegment(segments, '#4').name).toBe('Low-value accounts');
  });

  it('finds by name regardless of case, punctuation and plural', () => {
    expect(matchSegment(segments, 'revolver').name).toBe('Revolvers');
    expect(matchSegment(segments, 'CASH ADVANCE USERS').name).toBe('Cash-advance users');
    expect(matchSegment(segments, 'vip').name).toBe('VIP high spenders');
    expect(matchSegment(segments, 'cash_advance').name).toBe('Cash-advance users');
  });

  it('finds by a unique part of the name and forgives a typo', () => {
    expect(matchSegment(segments, 'high spend').name).toBe('VIP high spenders');
    expect(matchSegment(segments, 'revolvrs').name).toBe('Revolvers');
    expect(matchSegment(segments, 'revolvr').name).toBe('Revolvers');
  });

  it('refuses an ambiguous part and an out-of-range number', () => {
    const both = [seg(0, 'High spenders A', 'vip'), seg(1, 'High spenders B', 'vip')];
    expect(() => matchSegment(both, 'high spenders')).toThrow(BadInputError);
    expect(() => matchSegment(both, 'high spenders')).toThrow(
      '“high spenders” matches more than one segment. Did you mean “High spenders A” or “High spenders B”?',
    );
    const error = (() => {
      try {
        matchSegment(segments, '9');
      } catch (e) {
        return e;
      }
    })();
    expect(userMessage(error)).toBe(
      'There is no segment 9; this run has 4.\nSegments: 1. Revolvers, 2. VIP high spenders, 3. Cash-advance users, 4. Low-value accounts.',
    );
  });

  it('lists the names when nothing matches', () => {
    expect(() => matchSegment(segments, 'dormant')).toThrow(NotFoundError);
    expect(() => matchSegment(segments, 'dormant')).toThrow(/No segment is called “dormant”/);
  });
});
