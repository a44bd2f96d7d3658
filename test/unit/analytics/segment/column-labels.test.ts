import { describe, expect, it } from 'vitest';
import { capitalize, readableLabel } from '../../../../src/analytics/segment/column-labels.js';

describe('readableLabel', () => {
  it('uses the dictionary for known bank schemas, whatever the spelling', () => {
    expect(readableLabel('CASH_ADVANCE_FREQUENCY')).toBe('cash-advance frequency');
    expect(readableLabel('NumOfProducts')).toBe('number of products');
    expect(readableLabel('num_of_products')).toBe('number of products');
    expect(readableLabel('PRC_FULL_PAYMENT')).toBe('share of months paid in full');
    expect(readableLabel('renta')).toBe('gross income');
    expect(readableLabel('antiguedad')).toBe('seniority (months)');
    expect(readableLabel('edad')).toBe('age');
    expect(readableLabel('pdays')).toBe('days since last contact');
    expect(readableLabel('poutcome')).toBe('previous campaign outcome');
    expect(readableLabel('Geography')).toBe('country');
  });

  it('splits camelCase, snake_case and digits and spells out abbreviations for other names', () => {
    expect(readableLabel('AvgMonthlyTrxCnt')).toBe('average monthly transactions count');
    expect(readableLabel('total_bal_amt')).toBe('total balance amount');
    expect(readableLabel('HTTPStatusCode')).toBe('http status code');
    expect(readableLabel('Loans12Mon')).toBe('loans 12 months');
    expect(readableLabel('SavingsRate')).toBe('savings rate');
  });

  it('keeps a name made only of symbols as it is', () => {
    expect(readableLabel('%')).toBe('%');
  });
});

describe('capitalize', () => {
  it('starts a sentence with a capital letter', () => {
    expect(capitalize('cash-advance frequency')).toBe('Cash-advance frequency');
    expect(capitalize('')).toBe('');
  });
});
