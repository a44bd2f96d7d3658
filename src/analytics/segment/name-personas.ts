/**
 * Gives each segment a business name a marketer recognises (VIP high spenders, revolvers,
 * transactors, installment buyers, cash-advance users, dormant, new customers), from rules on the
 * segment's z-scores. Column meanings come from their names, so the namer also works, with coarser
 * names, on tables that only have income, age and tenure. No two segments get the same name.
 */
import type { FeatureProfile, PersonaKey } from '../types.js';
import { mapSemantics, type Semantic } from './column-semantics.js';

export interface NamedPersona {
  index: number;
  persona: PersonaKey;
  name: string;
  /** How well the segment fits its persona (higher is clearer); for reports and tests. */
  score: number;
}

export interface NamingInput {
  index: number;
  profile: FeatureProfile[];
}

type Lookup = (semantic: Semantic) => number | undefined;

interface PersonaRule {
  key: PersonaKey;
  /** The semantics this persona is about; a qualifier must say something else. */
  core: Semantic[];
  /** Score of the segment for this persona, or undefined when it does not qualify. */
  score: (z: Lookup, meanAbsZ: number) => number | undefined;
}

const v = (z: Lookup, s: Semantic): number => z(s) ?? 0;

const ACTIVITY: Semantic[] = [
  'purchases',
  'purchaseFrequency',
  'purchaseTrx',
  'cashAdvance',
  'balanceFrequency',
  'payments',
  'activity',
];

const RULES: PersonaRule[] = [
  {
    key: 'vip',
    core: ['purchases', 'oneoff', 'creditLimit', 'payments', 'income'],
    score: (z) => {
      const purchases = z('purchases');
      if (purchases !== undefined) {
        if (purchases < 0.8) return undefined;
        return purchases + 0.5 * v(z, 'oneoff') + 0.3 * v(z, 'creditLimit') + 0.3 * v(z, 'payments');
      }
      const income = z('income');
      return income !== undefined && income >= 0.8 ? income : undefined;
    },
  },
  {
    key: 'revolver',
    core: ['balance', 'minPayments', 'fullPayment'],
    score: (z) => {
      const balance = z('balance');
      if (balance === undefined || balance < 0.4 || v(z, 'fullPayment') > 0.1) return undefined;
      return (
        balance + 0.5 * v(z, 'minPayments') - 0.5 * v(z, 'fullPayment') - 0.3 * Math.max(0, v(z, 'purchases'))
      );
    },
  },
  {
    key: 'transactor',
    core: ['fullPayment', 'purchaseFrequency', 'oneoff', 'purchases'],
    score: (z) => {
      const full = z('fullPayment');
      if (full !== undefined) {
        if (full < 0.5) return undefined;
        return full + 0.4 * v(z, 'purchaseFrequency') + 0.3 * v(z, 'oneoff') - 0.3 * v(z, 'balance');
      }
      const frequency = z('purchaseFrequency');
      if (frequency === undefined || z('balance') === undefined) return undefined;
      const score = frequency - v(z, 'balance');
      return score >= 0.8 ? score : undefined;
    },
  },
  {
    key: 'installment',
    core: ['installments', 'installmentFrequency'],
    score: (z) => {
      const installments = z('installments');
      if (installments === undefined) return undefined;
      // Buying in installments often matters more than the amount: either may qualify.
      const habit = (installments + (z('installmentFrequency') ?? installments)) / 2;
      if (habit < 0.4) return undefined;
      return habit + 0.5 * installments - 0.3 * v(z, 'oneoff');
    },
  },
  {
    key: 'cash_advance',
    core: ['cashAdvance', 'cashFrequency', 'cashTrx'],
    score: (z) => {
      const cash = z('cashAdvance');
      if (cash === undefined || cash < 0.6) return undefined;
      return cash + 0.5 * v(z, 'cashFrequency') + 0.3 * v(z, 'cashTrx');
    },
  },
  {
    key: 'dormant',
    core: ACTIVITY,
    score: (z) => {
      const present = ACTIVITY.map((s) => z(s)).filter((x): x is number => x !== undefined);
      if (present.length === 0 || present.some((x) => x > 0.3)) return undefined;
      const score = -present.reduce((a, b) => a + b, 0) / present.length;
      return score >= 0.4 ? score : undefined;
    },
  },
  {
    key: 'new',
    core: ['tenure'],
    score: (z) => {
      const tenure = z('tenure');
      return tenure !== undefined && tenure <= -0.8 ? -tenure : undefined;
    },
  },
  {
    key: 'credit_seeker',
    core: ['balance', 'cashAdvance', 'creditLimit'],
    score: (z) => {
      if (z('balance') === undefined || z('cashAdvance') === undefined) return undefined;
      const score = Math.min(v(z, 'balance'), v(z, 'cashAdvance'));
      return score >= 0.5 ? score : undefined;
    },
  },
  {
    key: 'low_value',
    core: ['creditLimit', 'balance', 'income', 'purchases', 'payments'],
    score: (z) => {
      const present = (['creditLimit', 'balance', 'income', 'purchases', 'payments'] as Semantic[])
        .map((s) => z(s))
        .filter((x): x is number => x !== undefined);
      if (present.length === 0) return undefined;
      const score = -present.reduce((a, b) => a + b, 0) / present.length;
      return score >= 0.3 ? score : undefined;
    },
  },
  {
    key: 'everyday',
    core: [],
    // The segment closest to the average customer; always possible, so every segment gets a name.
    score: (_z, meanAbsZ) => 0.5 - meanAbsZ,
  },
];

const BASE_NAMES: Record<PersonaKey, string> = {
  vip: 'VIP high spenders',
  revolver: 'Revolvers',
  transactor: 'Transactors',
  installment: 'Installment buyers',
  cash_advance: 'Cash-advance users',
  dormant: 'Dormant / low activity',
  new: 'New customers',
  credit_seeker: 'Credit seekers',
  everyday: 'Everyday customers',
  low_value: 'Low-value accounts',
};

const QUALIFIER_LABELS: Partial<Record<Semantic, string>> = {
  balance: 'balance',
  creditLimit: 'limit',
  payments: 'payment',
  minPayments: 'minimum-payment',
  fullPayment: 'full-payment',
  purchases: 'spend',
  oneoff: 'one-off',
  installments: 'installment',
  cashAdvance: 'cash-advance',
  tenure: 'tenure',
  income: 'income',
  purchaseFrequency: 'frequency',
  balanceFrequency: 'activity',
  activity: 'activity',
};

function baseName(persona: PersonaKey, z: Lookup): string {
  // Without card behaviour the same persona reads better in plainer words.
  if (persona === 'vip' && z('purchases') === undefined) return 'Affluent customers';
  if (persona === 'dormant' && z('purchases') === undefined) return 'Inactive customers';
  if (persona === 'low_value' && z('income') !== undefined && z('purchases') === undefined) {
    return 'Lower-income customers';
  }
  if (persona === 'everyday' || persona === 'low_value') {
    const age = z('age');
    if (age !== undefined && age >= 0.8) return 'Senior customers';
    if (age !== undefined && age <= -0.8) return 'Young customers';
  }
  return BASE_NAMES[persona];
}

function lowerFirst(name: string): string {
  return name.startsWith('VIP') ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * Candidate qualified names for a segment whose persona is already taken: the features that most
 * separate it from the segment holding the plain name (or from the population when there is none),
 * outside the persona's own features ("High-limit revolvers", "Everyday customers (canal_entrada KAT)").
 */
function qualifiedNames(
  base: string,
  rule: PersonaRule,
  input: NamingInput,
  holder: NamingInput | undefined,
  bySemantic: Map<string, Semantic>,
): string[] {
  const holderZ = new Map(holder?.profile.map((p) => [p.feature, p.z]) ?? []);
  const contrasts = input.profile
    .map((p) => ({ feature: p.feature, z: p.z, delta: p.z - (holderZ.get(p.feature) ?? 0) }))
    .filter((c) => Math.abs(c.delta) >= 0.25)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.feature.localeCompare(b.feature));
  const out: string[] = [];
  for (const { feature, delta } of contrasts) {
    const high = delta > 0;
    const category = feature.indexOf('=');
    if (category >= 0) {
      // "Less often in category X" makes a poor name; only a category the segment leans to names it.
      if (high) out.push(`${base} (${feature.slice(0, category)} ${feature.slice(category + 1)})`);
      continue;
    }
    const semantic = bySemantic.get(feature);
    if (semantic !== undefined && rule.core.includes(semantic)) continue;
    if (semantic === 'age') out.push(`${high ? 'Older' : 'Younger'} ${lowerFirst(base)}`);
    else if (semantic !== undefined && QUALIFIER_LABELS[semantic] !== undefined) {
      out.push(`${high ? 'High' : 'Low'}-${QUALIFIER_LABELS[semantic]} ${lowerFirst(base)}`);
    } else out.push(`${base} (${high ? 'high' : 'low'} ${feature})`);
  }
  return out;
}

/**
 * Names every segment. Personas go to the segments that fit them best (highest score first, each
 * persona once); a segment left over takes its best-fitting persona with a qualifier from its
 * strongest other trait ("High-limit revolvers"), so names stay unique.
 */
export function namePersonas(segments: readonly NamingInput[]): NamedPersona[] {
  const features = segments[0]?.profile.map((p) => p.feature).filter((name) => !name.includes('=')) ?? [];
  const semantics = mapSemantics(features);
  const bySemantic = new Map<string, Semantic>();
  for (const [semantic, name] of Object.entries(semantics)) bySemantic.set(name, semantic as Semantic);

  const lookups = segments.map((segment): Lookup => {
    const zByFeature = new Map(segment.profile.map((p) => [p.feature, p.z]));
    return (semantic) => {
      const name = semantics[semantic];
      return name === undefined ? undefined : zByFeature.get(name);
    };
  });
  const scores = segments.map((segment, s) => {
    const meanAbsZ =
      segment.profile.reduce((sum, p) => sum + Math.abs(p.z), 0) / Math.max(1, segment.profile.length);
    return RULES.map((rule) => rule.score(lookups[s]!, meanAbsZ));
  });

  // Pass 1: best-scoring (segment, persona) pairs first, each persona and segment once.
  const pairs: { s: number; r: number; score: number }[] = [];
  scores.forEach((row, s) => {
    row.forEach((score, r) => {
      if (score !== undefined) pairs.push({ s, r, score });
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.s - b.s || a.r - b.r);
  const ruleOf = new Array<number>(segments.length).fill(-1);
  const scoreOf = new Array<number>(segments.length).fill(Number.NEGATIVE_INFINITY);
  const usedRules = new Set<number>();
  for (const { s, r, score } of pairs) {
    if (ruleOf[s] !== -1 || usedRules.has(r)) continue;
    ruleOf[s] = r;
    scoreOf[s] = score;
    usedRules.add(r);
  }
  // Pass 2: leftovers share a persona with a clearer segment and get a qualifier below.
  for (let s = 0; s < segments.length; s++) {
    if (ruleOf[s] !== -1) continue;
    let best = RULES.length - 1;
    let bestScore = Number.NEGATIVE_INFINITY;
    scores[s]!.forEach((score, r) => {
      if (score !== undefined && score > bestScore) {
        best = r;
        bestScore = score;
      }
    });
    ruleOf[s] = best;
    scoreOf[s] = bestScore;
  }

  // Names: the clearest segment of a persona keeps the plain name.
  const order = segments.map((_, s) => s).sort((a, b) => scoreOf[b]! - scoreOf[a]! || a - b);
  const taken = new Set<string>();
  const holders = new Map<string, number>();
  const names = new Array<string>(segments.length);
  for (const s of order) {
    const rule = RULES[ruleOf[s]!]!;
    const base = baseName(rule.key, lookups[s]!);
    const holder = holders.get(base);
    if (holder === undefined) holders.set(base, s);
    const candidates = [
      base,
      ...qualifiedNames(
        base,
        rule,
        segments[s]!,
        holder === undefined ? undefined : segments[holder],
        bySemantic,
      ),
    ];
    let name = candidates.find((candidate) => !taken.has(candidate));
    for (let n = 2; name === undefined; n++) {
      if (!taken.has(`${base} ${n}`)) name = `${base} ${n}`;
    }
    taken.add(name);
    names[s] = name;
  }

  return segments.map((segment, s) => ({
    index: segment.index,
    persona: RULES[ruleOf[s]!]!.key,
    name: names[s]!,
    score: scoreOf[s]!,
  }));
}
