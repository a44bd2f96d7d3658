/**
 * A campaign's audience, from a dataset's rows: the chosen segments, cut by propensity (the top N
 * or a range of score deciles), minus suppressed and excluded customers, then split into treatment
 * and control. Pure: the caller loads segments, scores and the suppression list.
 */
import { decileOf } from '../predict/evaluate.js';
import { splitAudience } from './split.js';
import { countSuppressed, type Suppression, type SuppressionReason } from './suppress.js';

/** How the audience is cut by score. */
export type ScoreCut = { kind: 'top'; count: number } | { kind: 'deciles'; from: number; to: number };

export interface AudienceInput {
  /** Customer ids in row order. */
  ids: readonly string[];
  /** Segment index per row, or null when no segmentation is used. */
  labels: ArrayLike<number> | null;
  /** Segments to keep (indexes); null keeps every row. */
  segments: ReadonlySet<number> | null;
  /**
   * Propensity per row for the rows that may be targeted (non-holders); rows absent from the map
   * are not in the audience when a cut is given. Null when no product is involved.
   */
  scores: ReadonlyMap<number, number> | null;
  cut: ScoreCut | null;
  suppression: Suppression;
  /** Ids the person excluded for this campaign. */
  exclude: ReadonlySet<string>;
  holdout: number;
  seed: number;
}

export interface AudienceMember {
  row: number;
  customerId: string;
  segment: number;
  /** Propensity at assignment, or null without a product. */
  score: number | null;
  decile: number;
  group: 'treatment' | 'control';
}

export interface Audience {
  members: AudienceMember[];
  /** Customers the segments and cut picked before anyone was taken out. */
  eligible: number;
  suppressed: Record<SuppressionReason, number>;
  excluded: number;
  treatment: number;
  control: number;
}

/** Builds and splits the audience. */
export function buildAudience(input: AudienceInput): Audience {
  const { ids, labels, segments, scores, cut } = input;
  let rows: number[] = [];
  for (let row = 0; row < ids.length; row++) {
    if (segments && labels && !segments.has(labels[row]!)) continue;
    if (scores && !scores.has(row)) continue;
    rows.push(row);
  }
  // Deciles rank the segment's scored customers among themselves, before anyone is taken out, so a
  // decile means the same whether or not a suppressed customer sat in it.
  const decileByRow = new Map<number, number>();
  if (scores) {
    const d = decileOf(rows.map((row) => scores.get(row)!));
    rows.forEach((row, k) => {
      decileByRow.set(row, d[k]!);
    });
    if (cut?.kind === 'deciles') rows = rows.filter((row) => between(decileByRow.get(row)!, cut));
  }
  const suppressedRows = rows.filter((row) => input.suppression.reasonOf[row]! > 0);
  const suppressed = countSuppressed(input.suppression, suppressedRows);
  let kept = rows.filter((row) => input.suppression.reasonOf[row] === 0);
  const beforeExclude = kept.length;
  kept = kept.filter((row) => !input.exclude.has(ids[row]!));
  const excluded = beforeExclude - kept.length;
  if (scores && cut?.kind === 'top') {
    // The top N of those who may be contacted, so suppression does not shrink the campaign.
    kept.sort((a, b) => scores.get(b)! - scores.get(a)! || a - b);
    kept = kept.slice(0, cut.count);
  }
  const candidates = kept.map((row) => ({
    row,
    segment: labels ? labels[row]! : 0,
    decile: decileByRow.get(row) ?? 0,
  }));
  const split = splitAudience(candidates, { holdout: input.holdout, seed: input.seed });
  const members = candidates.map(
    (c, k): AudienceMember => ({
      row: c.row,
      customerId: ids[c.row]!,
      segment: c.segment,
      score: scores ? scores.get(c.row)! : null,
      decile: c.decile,
      group: split.control[k] === 1 ? 'control' : 'treatment',
    }),
  );
  return {
    members,
    eligible: rows.length,
    suppressed,
    excluded,
    treatment: members.length - split.controlCount,
    control: split.controlCount,
  };
}

function between(decile: number, cut: { from: number; to: number }): boolean {
  return decile >= cut.from && decile <= cut.to;
}
