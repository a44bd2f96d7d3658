/**
 * Suggested campaign actions per persona, each with its reason taken from the segment's own numbers,
 * so a marketer sees why the action fits ("Balance 4,120 vs 1,564 on average and share of months paid
 * in full 0.01 vs 0.15: ...").
 */
import type { CampaignAction, FeatureProfile, PersonaKey, Trait } from '../types.js';
import { capitalize, readableLabel } from './column-labels.js';
import { mapSemantics, type Semantic } from './column-semantics.js';
import { formatNumber, isMeaningful, MIN_EFFECT_Z } from './profile-segments.js';

export interface PlaybookInput {
  persona: PersonaKey;
  size: number;
  share: number;
  profile: FeatureProfile[];
  traits: Trait[];
}

interface Play {
  title: string;
  /** Semantics whose numbers back the action, best first; at most two are quoted. */
  evidence: Semantic[];
  /**
   * What `why` says about the segment (a large balance is 'high' balance). The action is offered
   * only when every claim whose column the table has holds, and at least one such column exists.
   */
  claims: Partial<Record<Semantic, 'high' | 'low'>>;
  /**
   * Claims the reason cannot stand without: the play is not offered on a table that lacks their
   * column, however the other claims fare ("held in few products" needs a product count).
   */
  requires?: Semantic[];
  why: string;
}

const PLAYS: Record<PersonaKey, Play[]> = {
  revolver: [
    {
      title: 'Balance-transfer offer at a reduced rate',
      evidence: ['balance', 'fullPayment'],
      claims: { balance: 'high', fullPayment: 'low' },
      why: 'they carry a large balance month to month; a lower rate keeps it with us instead of a competitor',
    },
    {
      title: 'Convert the outstanding balance into fixed installments',
      evidence: ['minPayments', 'balance'],
      claims: { minPayments: 'high', balance: 'high' },
      why: 'high minimum payments on a revolving balance; a fixed plan makes the debt predictable and lowers default risk',
    },
  ],
  transactor: [
    {
      title: 'Rewards / cashback card upgrade',
      evidence: ['fullPayment', 'purchases'],
      claims: { fullPayment: 'high' },
      why: 'they pay in full, so interest income is small; rewarding their spending grows interchange and loyalty',
    },
    {
      title: 'Category spend bonus (travel, dining, groceries)',
      evidence: ['purchaseFrequency', 'oneoff'],
      claims: { purchaseFrequency: 'high' },
      why: 'frequent card use means a bonus is seen and acted on quickly',
    },
  ],
  installment: [
    {
      title: 'Buy-now-pay-later offers with partner merchants',
      evidence: ['installments', 'installmentFrequency'],
      claims: { installments: 'high' },
      why: 'they already prefer paying in installments; partner offers bring that spend to our card',
    },
    {
      title: '0% installment plan on bigger-ticket purchases',
      evidence: ['installmentFrequency', 'purchaseTrx'],
      claims: { installmentFrequency: 'high' },
      why: 'they split purchases into installments month after month; a 0% plan on bigger items grows that spend',
    },
  ],
  oneoff: [
    {
      title: 'Split big one-off purchases into installments after the fact',
      evidence: ['oneoff', 'installmentFrequency'],
      claims: { oneoff: 'high', installmentFrequency: 'low' },
      why: 'they pay for purchases in one go and rarely use installments; offering the split after checkout grows spend without a new credit line',
    },
    {
      title: 'Cashback in the categories they already buy in',
      evidence: ['oneoffFrequency', 'oneoff'],
      claims: { oneoff: 'high' },
      why: 'they already shop with the card; a bonus in their categories keeps that spend with us',
    },
  ],
  cash_advance: [
    {
      title: 'Lower-rate personal loan instead of cash advances',
      evidence: ['cashAdvance', 'cashTrx'],
      claims: { cashAdvance: 'high' },
      why: 'cash advances are their most expensive credit; a personal loan is cheaper for them and stickier for the bank',
    },
    {
      title: 'Financial health check-in and overdraft review',
      evidence: ['cashFrequency', 'balance'],
      claims: { cashFrequency: 'high' },
      why: 'repeated cash withdrawals on credit signal cash-flow strain worth addressing early',
    },
  ],
  dormant: [
    {
      title: 'Reactivation incentive: bonus on the next three purchases',
      evidence: ['purchases', 'purchaseFrequency', 'activity'],
      claims: { purchases: 'low', activity: 'low' },
      why: 'the card is held but barely used; a small reward is cheaper than acquiring a new customer',
    },
    {
      title: 'Win-back survey and fee review before closure',
      evidence: ['balanceFrequency', 'payments', 'activity'],
      claims: { balanceFrequency: 'low', activity: 'low' },
      why: 'inactive accounts are the likeliest to close; asking why costs little',
    },
  ],
  vip: [
    {
      title: 'Premium card upgrade (lounge access, concierge, higher limit)',
      evidence: ['purchases', 'creditLimit', 'income'],
      claims: { purchases: 'high', income: 'high' },
      why: 'high spenders and earners are the most valuable customers and the most courted by competitors',
    },
    {
      title: 'Introduce wealth management / private banking',
      evidence: ['payments', 'income', 'creditLimit'],
      claims: { payments: 'high', income: 'high' },
      why: 'large payments or a high income point to assets worth managing with us',
    },
  ],
  new: [
    {
      title: 'Onboarding journey: activation, app set-up, autopay',
      evidence: ['tenure', 'purchases'],
      claims: { tenure: 'low' },
      why: 'the first months decide whether the product becomes a habit',
    },
    {
      title: 'Early-spend bonus in the first 90 days',
      evidence: ['purchaseFrequency', 'purchases'],
      claims: { tenure: 'low' },
      why: 'builds the usage pattern early while the customer is still choosing a main card',
    },
  ],
  credit_seeker: [
    {
      title: 'Debt-consolidation loan with a credit-limit review',
      evidence: ['balance', 'cashAdvance'],
      claims: { balance: 'high', cashAdvance: 'high' },
      why: 'high balances plus cash advances mean expensive, scattered borrowing that one loan can replace',
    },
  ],
  everyday: [
    {
      title: 'Cross-sell a savings account or debit bundle',
      evidence: ['payments', 'income', 'purchases'],
      claims: {},
      why: 'no product in the playbook targets this group, so a broad cross-sell fits it best',
    },
    {
      title: 'Spend-based cashback promotion',
      evidence: ['purchases', 'purchaseFrequency'],
      claims: {},
      why: 'a simple, broad incentive to make the card the default payment method',
    },
  ],
  low_value: [
    {
      title: 'Low-cost digital engagement (app nudges, e-statements)',
      evidence: ['creditLimit', 'balance', 'income'],
      claims: { creditLimit: 'low', balance: 'low', income: 'low' },
      why: 'small accounts: keep the cost to serve low and look for signs of growth',
    },
  ],
};

/**
 * Plays that follow from how many of the bank's products a segment holds rather than from its
 * persona (deposit-bank tables such as a churn table name no card behaviour): few products leave
 * room for one more; many deserve a reward for the whole relationship.
 */
const SIGNAL_PLAYS: Play[] = [
  {
    title: 'Savings or investment products for large balances',
    evidence: ['balance', 'productCount'],
    claims: { productCount: 'low', balance: 'high' },
    // Without a product count the balance alone may be card debt (CC GENERAL's BALANCE), not savings.
    requires: ['productCount'],
    why: 'large balances held in few products; a savings or investment product puts that money to work with us',
  },
  {
    title: 'Offer a second product',
    evidence: ['productCount'],
    claims: { productCount: 'low' },
    why: 'they hold fewer of our products than most customers, so there is room for one more',
  },
  {
    title: 'Reward the whole relationship (fee waivers, better rates)',
    evidence: ['productCount'],
    claims: { productCount: 'high' },
    why: 'they already hold several of our products; recognising that keeps them from moving any of them',
  },
];

const RETENTION_TITLE = 'Retention contact before they leave';
const REACTIVATION_TITLE = 'Re-engage inactive members';

/** An outcome that means the customer left: Exited, churn, Attrition_Flag, closed, baja, fuga. */
const LEFT_OUTCOME = /exit|churn|attrit|clos|cancel|left|leave|baja|abandon|fuga/i;
/** A value that says the customer stayed, so a high share of it is good news, not a risk. */
const STAYED_VALUE = /exist|current|stay|retain|activ|^no$|^n$|^0$/i;
/** A flag that says the customer is active (IsActiveMember, activo). */
const ACTIVE_FLAG = /activ/i;
/** A group leaves "more" when its rate is at least this many times the overall one. */
const RETENTION_RATIO = 1.25;

function retentionAction(traits: readonly Trait[]): CampaignAction | undefined {
  for (const trait of traits) {
    const flag = trait.flag;
    if (flag === undefined || flag.overall <= 0) continue;
    if (!LEFT_OUTCOME.test(trait.feature) && !LEFT_OUTCOME.test(flag.positive ?? '')) continue;
    if (flag.positive !== undefined && STAYED_VALUE.test(flag.positive)) continue;
    const ratio = flag.share / flag.overall;
    if (ratio < RETENTION_RATIO) continue;
    return {
      title: RETENTION_TITLE,
      reason: capitalize(
        `${trait.text}: customers like these left at ${ratio.toFixed(1)}x the overall rate; reaching the ones still with us about their fees, rates and service costs less than replacing them.`,
      ),
    };
  }
  return undefined;
}

function reactivationAction(traits: readonly Trait[]): CampaignAction | undefined {
  const trait = traits.find(
    (t) =>
      t.flag !== undefined &&
      t.direction === 'low' &&
      ACTIVE_FLAG.test(t.feature) &&
      !/inactiv/i.test(t.feature) &&
      (t.flag.positive === undefined || !/inactiv|^no$|^n$/i.test(t.flag.positive)),
  );
  if (trait === undefined) return undefined;
  return {
    title: REACTIVATION_TITLE,
    reason: capitalize(
      `${trait.text}: fewer of them use their accounts actively; a nudge towards a product they already hold is the cheapest way back.`,
    ),
  };
}

/** A number worth quoting: far enough from the average to matter (see isMeaningful). */
function quotable(profile: FeatureProfile | undefined): profile is FeatureProfile {
  return profile !== undefined && isMeaningful(profile);
}

function quote(profile: FeatureProfile): string {
  return `${readableLabel(profile.feature)} ${formatNumber(profile.mean)} vs ${formatNumber(profile.populationMean)} on average`;
}

/**
 * Whether a play's claims are true of a segment (see Play.claims): each checked column must sit at
 * least MIN_EFFECT_Z on the claimed side of the average, so "high" never means "level with it".
 */
function claimsHold(
  claims: Partial<Record<Semantic, 'high' | 'low'>>,
  zOf: (semantic: Semantic) => number | undefined,
): boolean {
  const entries = Object.entries(claims) as [Semantic, 'high' | 'low'][];
  if (entries.length === 0) return true;
  let checked = 0;
  for (const [semantic, direction] of entries) {
    const z = zOf(semantic);
    if (z === undefined) continue;
    checked++;
    if (direction === 'high' ? z < MIN_EFFECT_Z : z > -MIN_EFFECT_Z) return false;
  }
  return checked > 0;
}

/** The claims behind an action title, for checking that a reason is true of its segment. */
export function claimsOf(title: string): Partial<Record<Semantic, 'high' | 'low'>> | undefined {
  // These two rest on a yes/no outcome or flag, not on a numeric column: their reason quotes it.
  if (title === RETENTION_TITLE || title === REACTIVATION_TITLE) return {};
  for (const plays of [SIGNAL_PLAYS, ...Object.values(PLAYS)]) {
    const play = plays.find((p) => p.title === title);
    if (play !== undefined) return play.claims;
  }
  return undefined;
}

/**
 * One to three campaign actions for a segment, each with a reason that quotes the segment's numbers
 * (or, for columns the namer does not recognise, its strongest trait).
 */
export function suggestActions(input: PlaybookInput): CampaignAction[] {
  // Retention comes first: a group that leaves more than others needs that before any offer.
  const signals = [retentionAction(input.traits), reactivationAction(input.traits)].filter(
    (a): a is CampaignAction => a !== undefined,
  );
  // The everyday plays claim nothing, so they are only the last resort below.
  const persona =
    input.persona === 'everyday' ? [] : playActions(input, PLAYS[input.persona], signals.length);
  const held = playActions(input, SIGNAL_PLAYS, signals.length + persona.length);
  // Savings for large balances is the sharper form of "a second product": never offer both.
  const sharper = held.some((a) => a.title === SIGNAL_PLAYS[0]!.title);
  const holdings = held.filter((a) => !sharper || a.title !== SIGNAL_PLAYS[1]!.title);
  const actions = [...signals, ...persona, ...holdings];
  // No claim holds: offer the broad actions, whose reasons claim nothing.
  if (actions.length === 0) return playActions(input, PLAYS.everyday, 0).slice(0, 3);
  return actions.slice(0, 3);
}

/** The plays whose claims hold for the segment, with reasons quoting its numbers. */
function playActions(input: PlaybookInput, plays: readonly Play[], before: number): CampaignAction[] {
  const numeric = input.profile.filter((p) => !p.feature.includes('='));
  const semantics = mapSemantics(numeric.map((p) => p.feature));
  const byName = new Map(input.profile.map((p) => [p.feature, p]));
  const actions: CampaignAction[] = [];
  const zOf = (semantic: Semantic): number | undefined => {
    const name = semantics[semantic];
    return name === undefined ? undefined : byName.get(name)?.z;
  };
  for (const play of plays) {
    if (play.requires?.some((semantic) => zOf(semantic) === undefined)) continue;
    if (!claimsHold(play.claims, zOf)) continue;
    const quoted = play.evidence
      .map((s) => semantics[s])
      .filter((name): name is string => name !== undefined)
      .map((name) => byName.get(name))
      .filter(quotable)
      .slice(0, 2)
      .map(quote);
    // An action with no number of its own behind it would be a guess: only the first one may lean on
    // the segment's strongest trait instead.
    if (quoted.length === 0 && actions.length + before > 0) continue;
    const evidence = quoted.length > 0 ? quoted.join(' and ') : input.traits[0]?.text;
    const sizeNote = `${input.size.toLocaleString('en-US')} customers (${Math.round(input.share * 100)}%)`;
    const reason = capitalize(evidence ? `${evidence}: ${play.why}.` : `${sizeNote}: ${play.why}.`);
    actions.push({ title: play.title, reason });
  }
  return actions;
}
