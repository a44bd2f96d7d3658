import { describe, expect, it } from 'vitest';
import { capitalize, readableLabel } from '../../../../src/analytics/segment/column-labels.js';

describe('readableLabel', () => {
  // Known bank schemas come from the dictionary, whatever the spelling.
  const known: [string, string][] = [
    ['CASH_ADVANCE_FREQUENCY', 'cash-advance frequency'],
    ['NumOfProducts', 'number of products'],
    ['num_of_products', 'number of products'],
    ['PRC_FULL_PAYMENT', 'share of months paid in full'],
    ['renta', 'gross income'],
    ['antiguedad', 'seniority (months)'],
    ['edad', 'age'],
    ['pdays', 'days since last contact'],
    ['poutcome', 'previous campaign outcome'],
    ['Geography', 'country'],
  ];
  // Any other name is split into words, lower-cased and has its abbreviations spelled out.
  const general: [string, string][] = [
    ['AvgMonthlyTrxCnt', 'average monthly transactions count'],
    ['total_bal_amt', 'total balance amount'],
    ['HTTPStatusCode', 'http status code'],
    ['Loans12Mon', 'loans 12 months'],
    ['x1', 'x1'],
    ['%', '%'],
  ];
  it.each([...known, ...general])('reads %s as "%s"', (name, label) => {
    expect(readableLabel(name)).toBe(label);
  });
});

describe('capitalize', () => {
  it('starts a sentence with a capital letter', () => {
    expect(capitalize('cash-advance frequency')).toBe('Cash-advance frequency');
    expect(capitalize('')).toBe('');
  });
});
