/**
 * The one matcher from what a person typed to the segment they mean, for `/segbot describe`,
 * `predict … segment=` and questions in threads alike. Pure: callers turn the outcome into an
 * error or an answer in their own words.
 */
import { editDistance } from './edit-distance.js';

/** What the matcher reads of a segment. */
export interface NamedSegment {
  name: string;
  /** The persona key ("vip", "cash_advance"), which people may type too. */
  persona?: string;
}

export type SegmentNameMatch<T> =
  | { kind: 'found'; segment: T }
  /** More than one segment fits equally well; ask which (see `didYouMean`). */
  | { kind: 'ambiguous'; candidates: T[] }
  /** A number ("4", "#4") with no segment at that place in the list. */
  | { kind: 'no-such-number'; number: number }
  | { kind: 'none' };

/**
 * Lower case, accents and punctuation gone, words singular: "Cash-advance users", "cash_advance
 * user" and "CASH ADVANCE USERS" all read "cash advance user".
 */
export function normalizeSegmentName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word))
    .join(' ');
}

/** Shortest typed text that may stand for a longer name (by its start or a part of it). */
const MIN_PART = 3;

/**
 * Resolves `query` among `segments`, trying in turn, and stopping at the first rule that finds
 * anything:
 * 1. a number as listed, from 1 ("2", "#2");
 * 2. the exact name;
 * 3. the name ignoring case, punctuation, accents and plurals; then the persona key ("vip");
 * 4. an unambiguous start of the name ("revolv"), then a part of it ("high spend");
 * 5. a close typo ("revolvr": at most one edit per four letters).
 * A rule that fits several segments equally well gives `ambiguous` rather than a guess.
 */
export function matchSegmentName<T extends NamedSegment>(
  segments: readonly T[],
  query: string,
): SegmentNameMatch<T> {
  const raw = query.trim();
  const number = /^#?(\d+)$/.exec(raw);
  if (number) {
    const n = Number(number[1]);
    const segment = n >= 1 ? segments[n - 1] : undefined;
    return segment ? { kind: 'found', segment } : { kind: 'no-such-number', number: n };
  }
  const q = normalizeSegmentName(raw);
  if (q === '') return { kind: 'none' };
  const names = segments.map((s) => normalizeSegmentName(s.name));
  const personas = segments.map((s) => (s.persona === undefined ? '' : normalizeSegmentName(s.persona)));
  const rules: ((i: number) => boolean)[] = [
    (i) => segments[i]!.name === raw,
    (i) => names[i] === q,
    (i) => personas[i] === q,
    (i) => q.length >= MIN_PART && names[i]!.startsWith(q),
    (i) => q.length >= MIN_PART && names[i]!.includes(q),
  ];
  for (const rule of rules) {
    const hits = segments.filter((_, i) => rule(i));
    if (hits.length > 0) return outcome(hits);
  }
  const distances = names.map((name) => editDistance(q, name));
  const best = Math.min(...distances);
  if (best <= Math.max(1, Math.floor(q.length / 4))) {
    return outcome(segments.filter((_, i) => distances[i] === best));
  }
  return { kind: 'none' };
}

function outcome<T>(hits: T[]): SegmentNameMatch<T> {
  return hits.length === 1 ? { kind: 'found', segment: hits[0]! } : { kind: 'ambiguous', candidates: hits };
}

/** "Did you mean Revolvers or Transactors?" (with commas before the last "or" for three or more). */
export function didYouMean(names: readonly string[]): string {
  const quoted = names.map((name) => `“${name}”`);
  const last = quoted.pop();
  return quoted.length === 0 ? `Did you mean ${last}?` : `Did you mean ${quoted.join(', ')} or ${last}?`;
}
