/**
 * RFM segmentation: recency, frequency and monetary scores 1–5 by quintile, and the widely used
 * named RFM segments read off the R × F grid (the rule table is in RFM_RULES and the README).
 */
/** One named RFM segment: the R and F scores it covers (inclusive) and what to do with it. */
export interface RfmRule {
  name: RfmSegmentName;
  r: [number, number];
  f: [number, number];
  action: { title: string; reason: string };
}

export type RfmSegmentName =
  | 'Champions'
  | 'Loyal'
  | 'Potential loyalists'
  | 'New customers'
  | 'Promising'
  | 'Need attention'
  | 'About to sleep'
  | 'At risk'
  | "Can't lose them"
  | 'Hibernating'
  | 'Lost';

/**
 * The rules, first match wins (Lost takes R 1 × F 1 before Hibernating takes the rest of R 1–2 ×
 * F 1–2); together they cover all 25 cells of the R × F grid. M does not pick
 * the name (as in the common R × F map); it sets the revenue share and the order of the playbook.
 */
export const RFM_RULES: readonly RfmRule[] = [
  {
    name: 'Champions',
    r: [5, 5],
    f: [4, 5],
    action: {
      title: 'Reward and ask for referrals',
      reason:
        'They bought lately and often: early access, a premium card upgrade or a referral bonus keeps them close.',
    },
  },
  {
    name: 'Loyal',
    r: [3, 4],
    f: [4, 5],
    action: {
      title: 'Cross-sell and loyalty points',
      reason:
        'Frequent buyers who are not the very latest: offer the next product and points that reward the habit.',
    },
  },
  {
    name: 'Potential loyalists',
    r: [4, 5],
    f: [2, 3],
    action: {
      title: 'Membership or a second product',
      reason:
        'Recent with a few purchases: a loyalty programme or a bundled second product turns them into regulars.',
    },
  },
  {
    name: 'New customers',
    r: [5, 5],
    f: [1, 1],
    action: {
      title: 'Onboarding journey',
      reason:
        'One recent purchase: a welcome series, app set-up help and a first-month offer build the habit.',
    },
  },
  {
    name: 'Promising',
    r: [4, 4],
    f: [1, 1],
    action: {
      title: 'Build awareness with a trial offer',
      reason: 'Recent but only once: a free trial or fee waiver invites a second purchase.',
    },
  },
  {
    name: 'Need attention',
    r: [3, 3],
    f: [3, 3],
    action: {
      title: 'Limited-time, personalised offer',
      reason: 'Middle of the road on both: a recommendation based on past purchases, valid for a short time.',
    },
  },
  {
    name: 'About to sleep',
    r: [3, 3],
    f: [1, 2],
    action: {
      title: 'Reactivate before they lapse',
      reason: 'Few purchases and fading: share popular products and a small discount now.',
    },
  },
  {
    name: 'At risk',
    r: [1, 2],
    f: [3, 4],
    action: {
      title: 'Win-back with a personal message',
      reason: 'They bought often but not for a long time: personal outreach and a renewal offer.',
    },
  },
  {
    name: "Can't lose them",
    r: [1, 2],
    f: [5, 5],
    action: {
      title: 'Call them: relationship manager outreach',
      reason: 'Among the most frequent buyers ever, now silent: find out why before a competitor does.',
    },
  },
  {
    name: 'Lost',
    r: [1, 1],
    f: [1, 1],
    action: {
      title: 'Leave out, or one last win-back',
      reason: 'Bought once long ago: keep them out of costly campaigns; one inexpensive win-back at most.',
    },
  },
  {
    name: 'Hibernating',
    r: [1, 2],
    f: [1, 2],
    action: {
      title: 'Low-cost reminder of what is new',
      reason:
        'Long inactive with few purchases: cheap channels only, with relevant products and a special rate.',
    },
  },
];

/** The named segment for an R and an F score (1–5). */
export function rfmSegmentName(r: number, f: number): RfmSegmentName {
  const rule = RFM_RULES.find((x) => r >= x.r[0] && r <= x.r[1] && f >= x.f[0] && f <= x.f[1]);
  if (rule === undefined) throw new RangeError(`RFM scores out of range: r=${r}, f=${f}`);
  return rule.name;
}

/**
 * Quintile scores 1–5: score = 1 + ⌊5 × (customers with a strictly worse value) / customers⌋, so
 * tied customers share a score and the best fifth gets 5. `better` says which direction is better
 * (recency: lower; frequency and monetary: higher).
 */
export function quintileScores(values: ArrayLike<number>, better: 'higher' | 'lower'): Uint8Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const scores = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // Worse = strictly below (higher is better) or strictly above (lower is better).
    const worse = better === 'higher' ? lowerBound(sorted, v) : n - upperBound(sorted, v);
    scores[i] = 1 + Math.min(4, Math.floor((5 * worse) / n));
  }
  return scores;
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface RfmInput {
  customerIds: readonly string[];
  recencyDays: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

export interface RfmSegment {
  name: RfmSegmentName;
  size: number;
  share: number;
  revenue: number;
  /** Share of all customers' monetary value (0 when the total is not positive). */
  revenueShare: number;
  /** Lowest and highest score held by a customer of the segment. */
  r: { min: number; max: number };
  f: { min: number; max: number };
  m: { min: number; max: number };
  medianRecencyDays: number;
  action: { title: string; reason: string };
}

export interface RfmResult {
  customers: number;
  /** Segments with customers, largest revenue first. */
  segments: RfmSegment[];
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Segment name of each customer, in input order. */
  names: RfmSegmentName[];
  /** Customers per cell: grid[(r - 1) * 5 + (f - 1)]. */
  grid: Int32Array;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** Scores every customer and groups them into the named RFM segments. */
export function scoreRfm(input: RfmInput): RfmResult {
  const n = input.customerIds.length;
  const r = quintileScores(input.recencyDays, 'lower');
  const f = quintileScores(input.frequency, 'higher');
  const m = quintileScores(input.monetary, 'higher');
  const names: RfmSegmentName[] = new Array(n);
  const grid = new Int32Array(25);
  let total = 0;
  const groups = new Map<RfmSegmentName, { members: number[]; revenue: number }>();
  for (let i = 0; i < n; i++) {
    const name = rfmSegmentName(r[i]!, f[i]!);
    names[i] = name;
    grid[(r[i]! - 1) * 5 + (f[i]! - 1)]!++;
    const group = groups.get(name) ?? { members: [], revenue: 0 };
    group.members.push(i);
    group.revenue += input.monetary[i]!;
    groups.set(name, group);
    total += input.monetary[i]!;
  }
  const range = (scores: Uint8Array, members: number[]) => {
    let min = 5;
    let max = 1;
    for (const i of members) {
      min = Math.min(min, scores[i]!);
      max = Math.max(max, scores[i]!);
    }
    return { min, max };
  };
  const segments: RfmSegment[] = [];
  for (const rule of RFM_RULES) {
    const group = groups.get(rule.name);
    if (group === undefined) continue;
    segments.push({
      name: rule.name,
      size: group.members.length,
      share: group.members.length / n,
      revenue: group.revenue,
      revenueShare: total > 0 ? group.revenue / total : 0,
      r: range(r, group.members),
      f: range(f, group.members),
      m: range(m, group.members),
      medianRecencyDays: median(group.members.map((i) => input.recencyDays[i]!)),
      action: rule.action,
    });
  }
  segments.sort((a, b) => b.revenue - a.revenue || b.size - a.size);
  return { customers: n, segments, r, f, m, names, grid };
}
