import type { Segment } from '../types.js';
import { moverCount, type RunComparison } from './compare-runs.js';

export interface DigestRow {
  name: string;
  size: number;
  share: number;
  /** Change since the previous run; null when there is no previous run or the segment is new. */
  sizeChange: number | null;
  shareChangePp: number | null;
  status: 'matched' | 'new' | 'first';
  topAction: string | null;
}

export interface DigestSummary {
  headline: string;
  rows: DigestRow[];
  /** Segments of the previous run with no partner now. */
  dissolved: { name: string; size: number }[];
  /** Customers who changed segment among those present in both runs. */
  movers: number;
  commonCustomers: number;
}

/**
 * The weekly digest's content, independent of how it is shown: one row per current segment with
 * its week-over-week change and top campaign action, the dissolved segments, and one sentence on
 * the biggest movement.
 */
export function summarizeDigest(
  segments: readonly Segment[],
  comparison: RunComparison | null,
): DigestSummary {
  const byCurrentIndex = new Map(
    (comparison?.changes ?? []).filter((c) => c.current).map((c) => [c.current!.index, c] as const),
  );
  const rows = segments.map((segment): DigestRow => {
    const change = byCurrentIndex.get(segment.index);
    // Always the current run's own name: one name per segment everywhere.
    const matched = change?.status === 'matched';
    return {
      name: segment.name,
      size: segment.size,
      share: segment.share,
      sizeChange: matched ? change.sizeChange : null,
      shareChangePp: matched ? change.shareChangePp : null,
      status: comparison === null ? 'first' : matched ? 'matched' : 'new',
      topAction: segment.actions[0]?.title ?? null,
    };
  });
  const dissolved = (comparison?.changes ?? [])
    .filter((c) => c.status === 'dissolved')
    .map((c) => ({ name: c.previous!.name, size: c.previous!.size }));

  const movers = comparison ? moverCount(comparison.migration) : 0;

  return {
    headline: comparison
      ? comparison.headline
      : 'First digest for this channel: sizes below are the baseline for next week.',
    rows,
    dissolved,
    movers,
    commonCustomers: comparison?.commonCustomers ?? 0,
  };
}
