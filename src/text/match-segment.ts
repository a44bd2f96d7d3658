/**
 * The segment a `/segbot` command names (`describe <segment>`, `predict … segment=<segment>`), by
 * the shared segment-name matcher; what it cannot resolve becomes an error that lists the segments.
 */
import type { Segment } from '../analytics/types.js';
import { BadInputError, NotFoundError } from '../errors.js';
import { didYouMean, matchSegmentName } from './match-segment-name.js';

function listing(segments: readonly Segment[]): string {
  return segments.map((s, i) => `${i + 1}. ${s.name}`).join(', ');
}

/** Resolves `query` to one of `segments`, or throws an error that lists the segments. */
export function matchSegment(segments: readonly Segment[], query: string): Segment {
  const raw = query.trim();
  const match = matchSegmentName(segments, raw);
  switch (match.kind) {
    case 'found':
      return match.segment;
    case 'no-such-number':
      throw new BadInputError(`There is no segment ${match.number}; this run has ${segments.length}.`, {
        hint: `Segments: ${listing(segments)}.`,
      });
    case 'ambiguous':
      throw new BadInputError(
        `“${raw}” matches more than one segment. ${didYouMean(match.candidates.map((s) => s.name))}`,
        {
          hint: `Use the full name or the number, e.g. /segbot describe ${segments.indexOf(match.candidates[0]!) + 1}.`,
        },
      );
    case 'none':
      throw new NotFoundError(
        `No segment is called “${raw}”.`,
        `Segments: ${listing(segments)}. Use a name or a number, e.g. /segbot describe 1.`,
      );
  }
}
