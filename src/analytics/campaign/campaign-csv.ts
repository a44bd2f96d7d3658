/**
 * The CSV files a campaign hands to the campaign tool. Only treatment members are ever written:
 * the function takes the members and drops anyone not in treatment, so a caller that passes the
 * whole assignment by mistake still cannot leak a held-back customer. Cells are formula-safe.
 */
import { toCsv } from '../predict/csv-export.js';

export interface ExportedMember {
  customerId: string;
  group: 'treatment' | 'control';
  segment: string;
  score: number | null;
}

/** customer_id, segment, score, group=treatment; held-back members are never written. */
export function treatmentCsv(members: readonly ExportedMember[]): string {
  const rows = members
    .filter((m) => m.group === 'treatment')
    .map((m) => [m.customerId, m.segment, roundScore(m.score), 'treatment']);
  return toCsv(['customer_id', 'segment', 'score', 'group'], rows);
}

/** A segment's customer list: customer_id, segment and, with a product, its propensity score. */
export function customerListCsv(
  rows: readonly { customerId: string; segment: string; score: number | null }[],
  withScore: boolean,
): string {
  const header = withScore ? ['customer_id', 'segment', 'score'] : ['customer_id', 'segment'];
  return toCsv(
    header,
    rows.map((r) => (withScore ? [r.customerId, r.segment, roundScore(r.score)] : [r.customerId, r.segment])),
  );
}

function roundScore(score: number | null): number | null {
  return score === null ? null : Math.round(score * 10_000) / 10_000;
}
