/**
 * Gives each segment a business name a marketer recognises (VIP high spenders, revolvers,
 * transactors, installment buyers, cash-advance users, dormant, new customers), from rules on the
 * segment's z-scores. Column meanings come from their names, so the namer also works, with coarser
 * names, on tables that only have income, age and tenure. No two segments get the same name.
 */
import type { FeatureProfile, PersonaKey } from '../types.js';
import { capitalize, readableLabel } from './column-labels.js';
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
  /**
   * The persona is about a credit line: it fires only on a table with credit-card columns (a limit,
   * purchases, cash advances or card payments), so a deposit `Balance` in a churn table never makes
   * "Revolvers".
   */
  needsCredit?: true;
}

/** Semantics that show a table is about a revolving credit line, not deposits. */
const CREDIT_CONTEXT: Semantic[] = ['creditLimit', 'purchases', 'cashAdvance', 'minPayments', 'fullPayment'];

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
    needsCredit: true,
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
    needsCredit: true,
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
    key: 'oneoff',
    needsCredit: true,
    core: ['oneoff', 'installmentFrequency', 'installments'],
    // Card spend paid in one go rather than in installments: the segment that shops, but not on
    // instalment plans (VIP high spenders, who score higher, are matched first).
    score: (z) => {
      const oneoff = z('oneoff');
      const installments = z('installmentFrequency') ?? z('installments');
      if (oneoff === undefined || installments === undefined) return undefined;
      if (oneoff < 0.3 || installments > -0.4) return undefined;
      return 0.5 * oneoff - 0.5 * installments - 0.3 * Math.max(0, v(z, 'cashAdvance'));
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
    needsCredit: true,
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
  oneoff: 'One-off shoppers',
  cash_advance: 'Cash-advance users',
  dormant: 'Dormant / low activity',
  new: 'New customers',
  credit_seeker: 'Credit seekers',
  everyday: 'Everyday customers',
  low_value: 'Low-value accounts',
};

/** A feature this far (in population std) from the average makes a segment more than "everyday". */
const STRONG_Z = 0.5;

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
  if (persona === 'low_value' && (z('income') ?? 0) <= -STRONG_Z && z('purchases') === undefined) {
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

/** Where a trait goes in a name: before the noun, after "with", or as a place after the noun. */
interface Phrase {
  text: string;
  place: 'before' | 'with' | 'after';
}

const PLACE_LABEL = /country|province|region|city|residence|geograph/;

/**
 * One strong trait in plain words: "older", "recently joined", "high-balance", "with a low credit
 * score", "in Germany"; undefined for a category the segment avoids (a poor name).
 */
function traitPhrase(feature: string, z: number, semantic: Semantic | undefined): Phrase | undefined {
  const high = z > 0;
  const category = feature.indexOf('=');
  if (category >= 0) {
    if (!high) return undefined;
    const value = feature.slice(category + 1);
    const label = readableLabel(feature.slice(0, category));
    return PLACE_LABEL.test(label)
      ? { text: `in ${value}`, place: 'after' }
      : { text: `mostly ${value} (${label})`, place: 'after' };
  }
  if (semantic === 'age') return { text: high ? 'older' : 'young', place: 'before' };
  if (semantic === 'tenure') return { text: high ? 'long-standing' : 'recently joined', place: 'before' };
  const label = (semantic === undefined ? undefined : QUALIFIER_LABELS[semantic]) ?? readableLabel(feature);
  // "number of products" reads better as "many products" / "few products".
  if (label.startsWith('number of ')) {
    return { text: `${high ? 'many' : 'few'} ${label.slice('number of '.length)}`, place: 'with' };
  }
  return label.includes(' ')
    ? { text: `${high ? 'high' : 'low'} ${label}`, place: 'with' }
    : { text: `${high ? 'high' : 'low'}-${label}`, place: 'before' };
}

/** "Older, high-balance customers with low credit score in Germany" from its phrases. */
function composeName(noun: string, phrases: readonly Phrase[]): string {
  const before = phrases.filter((p) => p.place === 'before').map((p) => p.text);
  const withs = phrases.filter((p) => p.place === 'with').map((p) => p.text);
  const after = phrases.filter((p) => p.place === 'after').map((p) => p.text);
  let name = before.length > 0 ? `${before.join(', ')} ${lowerFirst(noun)}` : noun;
  if (withs.length > 0) name += ` with ${withs.join(' and ')}`;
  if (after.length > 0) name += ` ${after.join(', ')}`;
  return capitalize(name);
}

/**
 * Candidate names built from a segment's strongest traits, in plain words, shortest first: the
 * features that most separate it from the segment already holding `base` (or from the population),
 * outside the persona's own features. With `alone`, the traits name the segment on their own
 * ("Young, recently joined customers"); otherwise they qualify the persona ("High-limit revolvers").
 */
function traitNames(
  base: string,
  rule: PersonaRule,
  input: NamingInput,
  holder: NamingInput | undefined,
  bySemantic: Map<string, Semantic>,
  alone: boolean,
): string[] {
  const holderZ = new Map(holder?.profile.map((p) => [p.feature, p.z]) ?? []);
  const phrases = input.profile
    .map((p) => ({ feature: p.feature, delta: p.z - (holderZ.get(p.feature) ?? 0) }))
    .filter((c) => Math.abs(c.delta) >= 0.25)
    .filter((c) => {
      const semantic = bySemantic.get(c.feature);
      return alone || semantic === undefined || !rule.core.includes(semantic);
    })
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.feature.localeCompare(b.feature))
    .map((c) => traitPhrase(c.feature, c.delta, bySemantic.get(c.feature)))
    .filter((p): p is Phrase => p !== undefined)
    .slice(0, 4);
  const noun = alone ? 'customers' : base;
  const out = phrases.map((p) => composeName(noun, [p]));
  for (let n = 2; n <= phrases.length; n++) out.push(composeName(noun, phrases.slice(0, n)));
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

  const credit = CREDIT_CONTEXT.some((semantic) => semantics[semantic] !== undefined);
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
    return RULES.map((rule) => (rule.needsCredit && !credit ? undefined : rule.score(lookups[s]!, meanAbsZ)));
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
    // "Everyday customers" is true only of a segment close to the average, and "Low-value accounts"
    // only of card accounts; any other such segment is named by its strongest traits alone.
    const average = segments[s]!.profile.every((p) => Math.abs(p.z) < STRONG_Z);
    const generic =
      (rule.key === 'everyday' && !average) ||
      (rule.key === 'low_value' && base === BASE_NAMES.low_value && !credit);
    const described = traitNames(
      base,
      rule,
      segments[s]!,
      holder === undefined ? undefined : segments[holder],
      bySemantic,
      generic,
    );
    const candidates = generic ? [...described, base] : [base, ...described];
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
