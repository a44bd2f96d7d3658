import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CC_GENERAL_COLUMNS } from '../../../../src/analytics/generate-customers.js';
import { mapSemantics, semanticOf } from '../../../../src/analytics/segment/column-semantics.js';
import { type NamingInput, namePersonas } from '../../../../src/analytics/segment/name-personas.js';

/** A segment whose z-scores are 0 except the ones given. */
function segment(
  index: number,
  zs: Record<string, number>,
  features: readonly string[] = CC_GENERAL_COLUMNS,
) {
  return {
    index,
    profile: features.map((feature) => ({
      feature,
      mean: 1,
      median: 1,
      populationMean: 1,
      z: zs[feature] ?? 0,
    })),
  };
}

const REVOLVER = { BALANCE: 1.5, MINIMUM_PAYMENTS: 1.2, PRC_FULL_PAYMENT: -0.6, PURCHASES_FREQUENCY: -0.7 };
const CC_SEGMENTS: NamingInput[] = [
  segment(0, { PURCHASES: 3, ONEOFF_PURCHASES: 2.7, CREDIT_LIMIT: 1.9, PAYMENTS: 1.9 }),
  segment(1, REVOLVER),
  segment(2, {
    PRC_FULL_PAYMENT: 2,
    ONEOFF_PURCHASES_FREQUENCY: 1.6,
    PURCHASES_FREQUENCY: 0.9,
    BALANCE: -0.6,
  }),
  segment(3, { INSTALLMENTS_PURCHASES: 1.4, PURCHASES_INSTALLMENTS_FREQUENCY: 1.8, ONEOFF_PURCHASES: -0.4 }),
  segment(4, {
    CASH_ADVANCE: 2,
    CASH_ADVANCE_FREQUENCY: 2.2,
    CASH_ADVANCE_TRX: 2.1,
    PURCHASES_FREQUENCY: -0.9,
  }),
  segment(5, {
    PURCHASES: -1,
    PURCHASES_FREQUENCY: -1.2,
    BALANCE_FREQUENCY: -1.8,
    PAYMENTS: -1.4,
    CASH_ADVANCE: -0.5,
  }),
  segment(6, { TENURE: -3.3, CREDIT_LIMIT: -1.4 }),
];

describe('namePersonas on CC GENERAL columns', () => {
  it('recognises the seven marketing personas', () => {
    const named = namePersonas(CC_SEGMENTS);
    expect(named.map((n) => n.persona)).toEqual([
      'vip',
      'revolver',
      'transactor',
      'installment',
      'cash_advance',
      'dormant',
      'new',
    ]);
    expect(named.map((n) => n.name)).toEqual([
      'VIP high spenders',
      'Revolvers',
      'Transactors',
      'Installment buyers',
      'Cash-advance users',
      'Dormant / low activity',
      'New customers',
    ]);
  });

  it('keeps the plain name for the clearest of two revolver segments and qualifies the other', () => {
    const named = namePersonas([
      segment(0, { ...REVOLVER, BALANCE: 1.0, CREDIT_LIMIT: 1.3 }),
      segment(1, REVOLVER),
      segment(2, {}),
    ]);
    expect(named[1]!.name).toBe('Revolvers');
    expect(named[0]!.persona).toBe('revolver');
    expect(named[0]!.name).toBe('High-limit revolvers');
    expect(named[2]!.name).toBe('Everyday customers');
  });

  it('names a segment close to the average as everyday customers', () => {
    const [named] = namePersonas([segment(0, { PURCHASES: 0.1, BALANCE: -0.1 })]);
    expect(named!.persona).toBe('everyday');
  });
});

describe('namePersonas on other schemas', () => {
  const SANTANDER = ['age', 'antiguedad', 'renta', 'ind_actividad_cliente'];

  it('uses income, age, tenure and activity for a Santander-style table', () => {
    const named = namePersonas([
      segment(0, { renta: 2.1 }, SANTANDER),
      segment(1, { antiguedad: -1.5 }, SANTANDER),
      segment(2, { ind_actividad_cliente: -1, age: 0.2 }, SANTANDER),
      segment(3, { age: -1.2, renta: 0.1 }, SANTANDER),
    ]);
    expect(named.map((n) => n.name)).toEqual([
      'Affluent customers',
      'New customers',
      'Inactive customers',
      'Young customers',
    ]);
  });

  it('still gives unique names when no column is recognised', () => {
    const features = ['x1', 'x2', 'x3'];
    const named = namePersonas([
      segment(0, { x1: 1 }, features),
      segment(1, { x1: -1 }, features),
      segment(2, { x2: 1 }, features),
      segment(3, { x2: 1.01 }, features),
    ]);
    expect(new Set(named.map((n) => n.name)).size).toBe(4);
    expect(named.find((n) => n.index === 1)!.name).toBe('Low-x1 customers');
  });

  it('never gives two segments the same name (any z-scores, any k)', () => {
    const zs = fc.array(fc.double({ min: -4, max: 4, noNaN: true }), {
      minLength: CC_GENERAL_COLUMNS.length,
      maxLength: CC_GENERAL_COLUMNS.length,
    });
    fc.assert(
      fc.property(fc.array(zs, { minLength: 1, maxLength: 12 }), (segments) => {
        const inputs = segments.map((row, index) =>
          segment(index, Object.fromEntries(CC_GENERAL_COLUMNS.map((name, j) => [name, row[j]!]))),
        );
        const names = namePersonas(inputs).map((n) => n.name);
        return new Set(names).size === names.length && names.every((name) => name.length > 0);
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});

describe('column semantics', () => {
  it('maps names case-insensitively, frequencies before amounts', () => {
    expect(semanticOf('cash_advance_frequency')).toBe('cashFrequency');
    expect(semanticOf('CASH_ADVANCE')).toBe('cashAdvance');
    expect(semanticOf('PURCHASES_TRX')).toBe('purchaseTrx');
    expect(semanticOf('MINIMUM_PAYMENTS')).toBe('minPayments');
    expect(semanticOf('PRC_FULL_PAYMENT')).toBe('fullPayment');
    expect(semanticOf('renta')).toBe('income');
    expect(semanticOf('antiguedad')).toBe('tenure');
    expect(semanticOf('favourite_colour')).toBeUndefined();
  });

  it('maps every CC GENERAL column to a distinct meaning', () => {
    const mapped = mapSemantics(CC_GENERAL_COLUMNS);
    expect(Object.keys(mapped)).toHaveLength(CC_GENERAL_COLUMNS.length);
  });
});

describe('one-off shoppers', () => {
  it('names card customers who buy in one go but rarely in installments, beside VIPs and installment buyers', () => {
    const named = namePersonas([
      segment(0, { PURCHASES: 3, ONEOFF_PURCHASES: 2.7, CREDIT_LIMIT: 1.9, PAYMENTS: 1.9 }),
      segment(1, { INSTALLMENTS_PURCHASES: 1.4, PURCHASES_INSTALLMENTS_FREQUENCY: 1.8 }),
      segment(2, { ONEOFF_PURCHASES: 0.8, PURCHASES_INSTALLMENTS_FREQUENCY: -1.1, CASH_ADVANCE_TRX: -0.6 }),
    ]);
    expect(named.map((n) => n.name)).toEqual(['VIP high spenders', 'Installment buyers', 'One-off shoppers']);
    expect(named[2]!.persona).toBe('oneoff');
  });

  it('needs a credit-card table: one-off and installment columns alone are not one', () => {
    const features = ['ONEOFF_PURCHASES', 'PURCHASES_INSTALLMENTS_FREQUENCY'];
    const named = namePersonas([
      segment(0, { ONEOFF_PURCHASES: 0.8, PURCHASES_INSTALLMENTS_FREQUENCY: -1.1 }, features),
    ]);
    expect(named[0]!.persona).not.toBe('oneoff');
  });
});
