/**
 * Finds the segment a person means: by number as listed ("2", "#2"), by name with some slack
 * (case, punctuation, plural, a typo, a unique part of the name), or by persona key ("vip").
 */
import type { Segment } from '../src/analytics/types.js';
import { BadInputError, NotFoundError } from '../src/errors.js';
import { editDistance } from './parse-args.js';

function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word))
    .join(' ');
}

function listing(segments: readonly Segment[]): string {
  return segments.map((s, i) => `${i + 1}. ${s.name}`).join(', ');
}

/** Resolves `query` to one of `segments`, or throws an error that lists the segments. */
export function matchSegment(segments: readonly Segment[], query: string): Segment {
  const raw = query.trim();
  const number = /^#?(\d+)$/.exec(raw);
  if (number) {
    const n = Number(number[1]);
    const segment = segments[n - 1];
    if (!segment) {
      throw new BadInputError(`There is no segment ${n}; this run has ${segments.length}.`, {
        hint: `Segments: ${listing(segments)}.`,
      });
    }
    return segment;
  }
  const q = normalize(raw);
  const names = segments.map((s) => normalize(s.name));
  const unique = (candidates: Segment[]): Segment | null => {
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1) {
      throw new BadInputError(
        `“${raw}” matches more than one segment: ${candidates.map((s) => s.name).join(', ')}.`,
        {
          hint: `Use the number instead, e.g. /segbot describe ${segments.indexOf(candidates[0]!) + 1}.`,
        },
      );
    }
    return null;
  };
  if (q !== '') {
    const exact = unique(segments.filter((_, i) => names[i] === q));
    if (exact) return exact;
    const persona = unique(segments.filter((s) => normalize(s.persona) === q));
    if (persona) return persona;
    if (q.length >= 3) {
      const partial = unique(segments.filter((_, i) => names[i]!.includes(q)));
      if (partial) return partial;
    }
    const distances = names.map((name) => editDistance(q, name));
    const best = Math.min(...distances);
    if (best <= Math.max(1, Math.floor(q.length / 4))) {
      const typo = unique(segments.filter((_, i) => distances[i] === best));
      if (typo) return typo;
    }
  }
  throw new NotFoundError(
    `No segment is called “${raw}”.`,
    `Segments: ${listing(segments)}. Use a name or a number, e.g. /segbot describe 1.`,
  );
}
