/**
 * What a column means to a marketer, guessed from its name (case-insensitive), so the persona namer
 * and the playbook work on CC GENERAL-style files and degrade gracefully on others (a Santander-style
 * table has income, age and tenure but no card behaviour).
 */

export type Semantic =
  | 'balance'
  | 'balanceFrequency'
  | 'purchases'
  | 'oneoff'
  | 'installments'
  | 'cashAdvance'
  | 'purchaseFrequency'
  | 'oneoffFrequency'
  | 'installmentFrequency'
  | 'cashFrequency'
  | 'cashTrx'
  | 'purchaseTrx'
  | 'creditLimit'
  | 'payments'
  | 'minPayments'
  | 'fullPayment'
  | 'tenure'
  | 'income'
  | 'age'
  | 'activity'
  | 'productCount';

/** Checked in order: the more specific patterns (frequencies, counts) come before the amounts. */
const PATTERNS: readonly [Semantic, RegExp][] = [
  // How many of the bank's products a customer holds (NumOfProducts, n_productos), before 'purchase'.
  ['productCount', /num.?(of.?)?prod|prod.*(count|held|number)|^n.?prod|^products$|productos/i],
  ['balanceFrequency', /balance.*freq/i],
  ['oneoffFrequency', /one.?off.*freq/i],
  ['installmentFrequency', /install.*freq/i],
  ['cashFrequency', /cash.*freq/i],
  ['purchaseFrequency', /(purchase|spend).*freq/i],
  ['cashTrx', /cash.*(trx|count|transactions|number)/i],
  ['purchaseTrx', /(purchase|spend).*(trx|count|transactions|number)/i],
  ['oneoff', /one.?off/i],
  ['installments', /install/i],
  ['cashAdvance', /cash.?adv|withdrawal/i],
  ['purchases', /purchase|spend/i],
  ['minPayments', /min(imum)?.?pay/i],
  ['fullPayment', /full.?pay|prc.?full/i],
  ['payments', /payment|repay/i],
  ['creditLimit', /credit.?limit|^limit$|_limit$/i],
  ['balance', /balance|saldo/i],
  ['tenure', /tenure|antig[uü]edad|months.?on.?book|seniority/i],
  ['income', /income|renta|salary|salario|wage/i],
  ['age', /^age$|^edad$|_age$|^age_|customer.?age/i],
  ['activity', /activ/i],
];

/** The semantic of one column name, if any. */
export function semanticOf(name: string): Semantic | undefined {
  for (const [semantic, pattern] of PATTERNS) if (pattern.test(name)) return semantic;
  return undefined;
}

/** For each semantic, the first feature (in the given order) that carries it. */
export function mapSemantics(features: readonly string[]): Partial<Record<Semantic, string>> {
  const out: Partial<Record<Semantic, string>> = {};
  for (const name of features) {
    const semantic = semanticOf(name);
    if (semantic !== undefined && out[semantic] === undefined) out[semantic] = name;
  }
  return out;
}

const FAMILIES: Record<Semantic, string> = {
  purchases: 'purchases',
  oneoff: 'purchases',
  installments: 'purchases',
  purchaseFrequency: 'purchases',
  oneoffFrequency: 'purchases',
  installmentFrequency: 'purchases',
  purchaseTrx: 'purchases',
  cashAdvance: 'cash',
  cashFrequency: 'cash',
  cashTrx: 'cash',
  balance: 'balance',
  balanceFrequency: 'balance',
  payments: 'payments',
  minPayments: 'payments',
  fullPayment: 'payments',
  creditLimit: 'creditLimit',
  tenure: 'tenure',
  income: 'income',
  age: 'age',
  activity: 'activity',
  productCount: 'productCount',
};

/**
 * The group of closely related columns a column belongs to (all purchase measures, all cash-advance
 * measures, ...), so a description can avoid saying the same thing three ways. A column with no
 * known meaning is its own family.
 */
export function familyOf(name: string): string {
  const semantic = name.includes('=') ? undefined : semanticOf(name);
  return semantic === undefined ? `column:${name}` : FAMILIES[semantic];
}
