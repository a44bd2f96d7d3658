/**
 * The segment a `/segbot` command names (`describe <segment>`, `predict … segment=<segment>`), by
 * the shared segment-name matcher; what it cannot resolve becomes an error that lists the segments.
 */
import { RFM_RULES, type RfmSegmentName } from '../analytics/rfm/score-rfm.js';
import type { Segment } from '../analytics/types.js';
import { BadInputError, NotFoundError } from '../errors.js';
import { didYouMean, matchSegmentName } from './match-segment-name.js';

function listing(segments: readonly Segment[]): string {
  return segments.map((s, i) => `${i + 1}. ${s.name}`).join(', ');
}

/** Resolves `query` to one of the named RFM segments (Champions … Lost), or an error that lists them. */
export function matchRfmSegment(query: string): { index: number; name: RfmSegmentName } {
  const raw = query.trim();
  const named = RFM_RULES.map((rule, index) => ({ index, name: rule.name }));
  const match = /^#?\d+$/.test(raw) ? ({ kind: 'none' } as const) : matchSegmentName(named, raw);
  const names = RFM_RULES.map((rule) => rule.name).join(', ');
  if (match.kind === 'found') return match.segment;
  if (match.kind === 'ambiguous') {
    throw new BadInputError(
      `“${raw}” matches more than one RFM segment. ${didYouMean(match.candidates.map((s) => s.name))}`,
      { hint: `RFM segments: ${names}.` },
    );
  }
  throw new BadInputError(`No RFM segment is called “${raw}”.`, {
    hint: `RFM segments: ${names}. For example rfm="At risk,Can't lose them".`,
  });
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
