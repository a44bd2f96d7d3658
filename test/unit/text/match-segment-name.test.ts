import { describe, expect, it } from 'vitest';
import { didYouMean, matchSegmentName, normalizeSegmentName } from '../../../src/text/match-segment-name.js';

const segments = [
  { name: 'Revolvers', persona: 'revolver' },
  { name: 'VIP high spenders', persona: 'vip' },
  { name: 'Cash-advance users', persona: 'cash_advance' },
  { name: 'Transactors', persona: 'transactor' },
];

function nameOf(
  query: string,
  items: readonly { name: string; persona?: string }[] = segments,
): string | null {
  const match = matchSegmentName(items, query);
  return match.kind === 'found' ? match.segment.name : null;
}

describe('normalizeSegmentName', () => {
  it('ignores case, punctuation, accents and plurals', () => {
    expect(normalizeSegmentName('Cash-advance users')).toBe('cash advance user');
    expect(normalizeSegmentName('  CASH_ADVANCE   USERS! ')).toBe('cash advance user');
    expect(normalizeSegmentName('Clientes Dormidos Único')).toBe('cliente dormido unico');
    expect(normalizeSegmentName('bus')).toBe('bus');
  });
});

describe('matchSegmentName', () => {
  it('finds by number as listed, with or without #, and says when the number is out of range', () => {
    expect(nameOf('2')).toBe('VIP high spenders');
    expect(nameOf(' #4 ')).toBe('Transactors');
    expect(matchSegmentName(segments, '9')).toEqual({ kind: 'no-such-number', number: 9 });
    expect(matchSegmentName(segments, '0')).toEqual({ kind: 'no-such-number', number: 0 });
  });

  it('finds the exact name, then the name ignoring case, punctuation and plural, then the persona', () => {
    expect(nameOf('Revolvers')).toBe('Revolvers');
    expect(nameOf('revolver')).toBe('Revolvers');
    expect(nameOf('CASH ADVANCE USERS')).toBe('Cash-advance users');
    expect(nameOf('cash_advance')).toBe('Cash-advance users');
    expect(nameOf('vip')).toBe('VIP high spenders');
  });

  it('prefers the exact name over one that only reads the same', () => {
    const near = [{ name: 'Revolver' }, { name: 'Revolvers' }];
    expect(nameOf('Revolvers', near)).toBe('Revolvers');
    expect(matchSegmentName(near, 'revolvers')).toMatchObject({ kind: 'ambiguous' });
  });

  it('finds by an unambiguous start of the name, then by a part of it', () => {
    expect(nameOf('revolv')).toBe('Revolvers');
    expect(nameOf('trans')).toBe('Transactors');
    expect(nameOf('high spend')).toBe('VIP high spenders');
    // Two letters are too few to stand for a name.
    expect(nameOf('re')).toBeNull();
  });

  it('forgives a close typo, but not a different word', () => {
    expect(nameOf('revolvr')).toBe('Revolvers');
    expect(nameOf('revolvrs')).toBe('Revolvers');
    expect(nameOf('tranzactors')).toBe('Transactors');
    expect(nameOf('dormant')).toBeNull();
    expect(matchSegmentName(segments, '   ')).toEqual({ kind: 'none' });
  });

  it('asks instead of guessing when a rule fits several segments', () => {
    const twins = [{ name: 'High spenders A' }, { name: 'High spenders B' }, { name: 'Savers' }];
    const match = matchSegmentName(twins, 'high spenders');
    expect(match).toEqual({ kind: 'ambiguous', candidates: [twins[0], twins[1]] });
    // Equally close typos are ambiguous too.
    expect(matchSegmentName([{ name: 'Cat' }, { name: 'Car' }], 'caz')).toMatchObject({ kind: 'ambiguous' });
  });
});

describe('didYouMean', () => {
  it('lists the candidates as a question', () => {
    expect(didYouMean(['Revolvers'])).toBe('Did you mean “Revolvers”?');
    expect(didYouMean(['A', 'B'])).toBe('Did you mean “A” or “B”?');
    expect(didYouMean(['A', 'B', 'C'])).toBe('Did you mean “A”, “B” or “C”?');
  });
});
