/**
 * How a channel's named RFM segments changed between two uploads of its transactions: each
 * segment's size and share before and after, and how many customers (matched by id) moved from
 * one RFM segment to another. Pure: the caller scores both tables.
 */
import { RFM_RULES, type RfmSegmentName } from './score-rfm.js';

/** Each customer's RFM segment in one upload. */
export interface RfmSnapshot {
  customerIds: readonly string[];
  names: readonly RfmSegmentName[];
}

export interface RfmSizeChange {
  name: RfmSegmentName;
  before: number;
  after: number;
  shareBefore: number;
  shareAfter: number;
  /** Share after minus share before, in percentage points. */
  shareChangePp: number;
}

export interface RfmMove {
  from: RfmSegmentName;
  to: RfmSegmentName;
  customers: number;
}

export interface RfmChange {
  /** Segments present in either upload, in the rule table's order. */
  sizes: RfmSizeChange[];
  /** Moves between different segments, largest first. */
  moves: RfmMove[];
  /** Customers in both uploads, and those of them whose segment changed. */
  common: number;
  movers: number;
  /** The largest absolute share change of any segment, in percentage points. */
  maxShareChangePp: number;
}

function counts(snapshot: RfmSnapshot): Map<RfmSegmentName, number> {
  const out = new Map<RfmSegmentName, number>();
  for (const name of snapshot.names) out.set(name, (out.get(name) ?? 0) + 1);
  return out;
}

/** Compares the RFM segments of two uploads. */
export function compareRfm(before: RfmSnapshot, after: RfmSnapshot): RfmChange {
  const was = counts(before);
  const now = counts(after);
  const total = { before: Math.max(1, before.names.length), after: Math.max(1, after.names.length) };
  const sizes = RFM_RULES.map((rule) => rule.name)
    .filter((name) => was.has(name) || now.has(name))
    .map((name) => {
      const b = was.get(name) ?? 0;
      const a = now.get(name) ?? 0;
      const shareBefore = b / total.before;
      const shareAfter = a / total.after;
      return {
        name,
        before: b,
        after: a,
        shareBefore,
        shareAfter,
        shareChangePp: (shareAfter - shareBefore) * 100,
      };
    });
  const previous = new Map<string, RfmSegmentName>();
  before.customerIds.forEach((id, i) => {
    previous.set(id, before.names[i]!);
  });
  const moveCounts = new Map<string, RfmMove>();
  let common = 0;
  let movers = 0;
  after.customerIds.forEach((id, i) => {
    const from = previous.get(id);
    if (from === undefined) return;
    common++;
    const to = after.names[i]!;
    if (from === to) return;
    movers++;
    const key = `${from}\u0000${to}`;
    const move = moveCounts.get(key) ?? { from, to, customers: 0 };
    move.customers++;
    moveCounts.set(key, move);
  });
  const moves = [...moveCounts.values()].sort(
    (a, b) => b.customers - a.customers || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
  const maxShareChangePp = Math.max(0, ...sizes.map((s) => Math.abs(s.shareChangePp)));
  return { sizes, moves, common, movers, maxShareChangePp };
}
