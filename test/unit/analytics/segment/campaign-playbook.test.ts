import { describe, expect, it } from 'vitest';
import { CC_GENERAL_COLUMNS } from '../../../../src/analytics/generate-customers.js';
import { suggestActions } from '../../../../src/analytics/segment/campaign-playbook.js';
import type { PersonaKey, Trait } from '../../../../src/analytics/types.js';

const MEANS: Record<string, [number, number]> = {
  BALANCE: [4120, 1564],
  PRC_FULL_PAYMENT: [0.02, 0.15],
  MINIMUM_PAYMENTS: [1830, 864],
  CASH_ADVANCE: [4522, 979],
  CASH_ADVANCE_TRX: [14.3, 3.25],
  PURCHASES: [7682, 1003],
  TENURE: [7, 11.5],
};

function input(
  persona: PersonaKey,
  features: readonly string[] = CC_GENERAL_COLUMNS,
  means: Record<string, [number, number]> = MEANS,
) {
  return {
    persona,
    size: 1200,
    share: 0.134,
    profile: features.map((feature) => {
      const [mean, populationMean] = means[feature] ?? [1, 1];
      // The z-score points the way the means do, as it does in a real profile.
      return { feature, mean, median: mean, populationMean, z: Math.sign(mean - populationMean) };
    }),
    traits: [
      {
        feature: features[0]!,
        direction: 'high' as const,
        z: 2,
        text: `${features[0]} 3.0x the average (3 vs 1)`,
      },
    ],
  };
}

const PERSONAS: PersonaKey[] = [
  'vip',
  'revolver',
  'transactor',
  'installment',
  'cash_advance',
  'dormant',
  'new',
  'credit_seeker',
  'everyday',
  'low_value',
];

describe('suggestActions', () => {
  it('gives every persona one to three actions, each with a reason', () => {
    for (const persona of PERSONAS) {
      const actions = suggestActions(input(persona));
      expect(actions.length, persona).toBeGreaterThanOrEqual(1);
      expect(actions.length, persona).toBeLessThanOrEqual(3);
      for (const action of actions) {
        expect(action.title.length).toBeGreaterThan(5);
        expect(action.reason).toMatch(/\d/);
      }
    }
  });

  it('offers revolvers a balance transfer, quoting their balance and full-payment rate', () => {
    const [first] = suggestActions(input('revolver'));
    expect(first!.title).toMatch(/balance-transfer/i);
    expect(first!.reason).toContain('Balance 4,120 vs 1,564 on average');
    expect(first!.reason).toContain('share of months paid in full 0.02 vs 0.15 on average');
  });

  it('quotes no trait whose two quoted numbers are level, however far apart its medians are', () => {
    const dormant = input('dormant', CC_GENERAL_COLUMNS, { PURCHASES: [13.8, 1275] });
    const frequency = dormant.profile.find((p) => p.feature === 'PURCHASES_FREQUENCY')!;
    // Meaningful on its medians and log scale, but "0.4 vs 0.41 on average" is no reason.
    Object.assign(frequency, { mean: 0.4, populationMean: 0.41, median: 0.08, z: -0.9 });
    const [first] = suggestActions(dormant);
    expect(first!.title).toMatch(/Reactivation/);
    expect(first!.reason).toContain('Purchases 13.8 vs 1,275 on average');
    expect(first!.reason).not.toMatch(/purchase frequency/i);
  });

  it('withholds an action whose reason would be false of the segment', () => {
    // "They pay in full" is false when the segment's full-payment share is below average.
    const titles = suggestActions(input('transactor')).map((a) => a.title);
    expect(titles.join(' ')).not.toMatch(/rewards/i);
    expect(titles.length).toBeGreaterThanOrEqual(1);
  });

  it('offers the persona-specific actions a marketer expects', () => {
    expect(suggestActions(input('cash_advance'))[0]!.title).toMatch(/personal loan/i);
    expect(suggestActions(input('cash_advance'))[0]!.reason).toContain('Cash advances 4,522 vs 979');
    const payInFull = { ...MEANS, PRC_FULL_PAYMENT: [0.6, 0.15] as [number, number] };
    expect(suggestActions(input('transactor', CC_GENERAL_COLUMNS, payInFull))[0]!.title).toMatch(
      /rewards|cashback/i,
    );
    const idle = { ...MEANS, PURCHASES: [40, 1003] as [number, number] };
    expect(suggestActions(input('dormant', CC_GENERAL_COLUMNS, idle))[0]!.title).toMatch(/reactivation/i);
    expect(
      suggestActions(input('vip', CC_GENERAL_COLUMNS, { ...MEANS, PAYMENTS: [5200, 1733] }))
        .map((a) => a.title)
        .join(' '),
    ).toMatch(/premium.*wealth/i);
    const splitters = { ...MEANS, INSTALLMENTS_PURCHASES: [2100, 411] as [number, number] };
    expect(suggestActions(input('installment', CC_GENERAL_COLUMNS, splitters))[0]!.title).toMatch(
      /buy-now-pay-later/i,
    );
    expect(suggestActions(input('new'))[0]!.reason).toContain('Tenure 7 vs 11.5');
  });

  it('falls back to the strongest trait when no column is recognised', () => {
    const actions = suggestActions(input('revolver', ['x1', 'x2']));
    expect(actions).toHaveLength(1);
    expect(actions[0]!.reason).toContain('X1 3.0x the average');
  });

  describe('on a deposit bank table (products held, an outcome)', () => {
    const CHURN_COLUMNS = ['CreditScore', 'Age', 'Tenure', 'Balance', 'NumOfProducts'];
    const churn = (means: Record<string, [number, number]>, flags: Trait[] = []) => {
      const base = input('everyday', CHURN_COLUMNS, means);
      return { ...base, traits: [...base.traits, ...flags] };
    };
    const left = (share: number, overall: number, positive?: string, feature = 'Exited'): Trait => ({
      feature,
      direction: share >= overall ? 'high' : 'low',
      z: (share - overall) / Math.sqrt(overall * (1 - overall)),
      text: `${positive === undefined ? 'Left the bank' : `${positive} (attrition flag)`}: ${Math.round(share * 100)}% vs ${Math.round(overall * 100)}% overall`,
      flag: positive === undefined ? { share, overall } : { share, overall, positive },
    });

    it('puts retention first for a group that left at well above the overall rate, quoting both rates', () => {
      const [first] = suggestActions(churn({ Age: [60.3, 38.9] }, [left(0.42, 0.2)]));
      expect(first!.title).toBe('Retention contact before they leave');
      expect(first!.reason).toContain('Left the bank: 42% vs 20% overall');
      expect(first!.reason).toContain('2.1x the overall rate');
    });

    it('offers no retention where the group leaves at about the overall rate, or the flag means staying', () => {
      const near = suggestActions(churn({ Age: [40, 38.9] }, [left(0.23, 0.2)]));
      expect(near.map((a) => a.title)).not.toContain('Retention contact before they leave');
      const stayed = suggestActions(churn({}, [left(0.95, 0.84, 'Existing Customer', 'Attrition_Flag')]));
      expect(stayed.map((a) => a.title)).not.toContain('Retention contact before they leave');
      const attrited = suggestActions(churn({}, [left(0.3, 0.16, 'Attrited Customer', 'Attrition_Flag')]));
      expect(attrited[0]!.title).toBe('Retention contact before they leave');
    });

    it('offers savings for large balances in few products, a reward for many, and no broad cross-sell then', () => {
      const few = suggestActions(churn({ NumOfProducts: [1.01, 1.53], Balance: [118702, 76486] }));
      expect(few[0]!.title).toMatch(/savings or investment/i);
      expect(few[0]!.reason).toContain('Balance 118,702 vs 76,486 on average');
      expect(few.map((a) => a.title)).not.toContain('Offer a second product');
      expect(few.map((a) => a.title).join(' ')).not.toMatch(/cross-sell a savings account/i);
      const fewLowBalance = suggestActions(churn({ NumOfProducts: [1.01, 1.53], Balance: [1576, 76486] }));
      expect(fewLowBalance[0]!.title).toBe('Offer a second product');
      const many = suggestActions(churn({ NumOfProducts: [2.13, 1.53] }));
      expect(many[0]!.title).toMatch(/reward the whole relationship/i);
      expect(many[0]!.reason).toContain('Number of products 2.13 vs 1.53 on average');
    });

    it('offers no savings play on a large balance when the table counts no products (a card balance is debt)', () => {
      const withoutCount = CHURN_COLUMNS.filter((c) => c !== 'NumOfProducts');
      const card = suggestActions(input('everyday', withoutCount, { Balance: [118702, 76486] }));
      expect(card.map((a) => a.title).join(' ')).not.toMatch(/savings or investment/i);
      const cashAdvance = suggestActions(input('cash_advance'));
      expect(cashAdvance.map((a) => a.title).join(' ')).not.toMatch(/savings or investment/i);
    });

    it('still falls back to the broad actions when nothing sets the group apart', () => {
      const [first] = suggestActions(churn({}));
      expect(first!.title).toMatch(/cross-sell a savings account/i);
    });
  });
});
