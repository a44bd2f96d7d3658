/**
 * Seeded synthetic customers in the Kaggle "CC GENERAL" credit-card schema (CUST_ID plus 17
 * behaviour columns). Every customer is drawn from one planted persona, so tests can check that the
 * segmentation finds them, and, on request, carries product-holding flags whose uptake probability is
 * a known logistic function of behaviour, so the prediction benchmark knows the best achievable AUC.
 *
 * The ranges and skew follow the real file: long right tails on amounts, frequencies that are whole
 * months over the tenure, most tenures at 12, a few percent of MINIMUM_PAYMENTS missing (mostly where
 * nothing was paid), and the occasional balance above the credit limit.
 */

import { createRng, type Rng } from './rng.js';
import type { PersonaKey } from './types.js';

/** The 17 behaviour columns of CC GENERAL, in file order (after CUST_ID). */
export const CC_GENERAL_COLUMNS = [
  'BALANCE',
  'BALANCE_FREQUENCY',
  'PURCHASES',
  'ONEOFF_PURCHASES',
  'INSTALLMENTS_PURCHASES',
  'CASH_ADVANCE',
  'PURCHASES_FREQUENCY',
  'ONEOFF_PURCHASES_FREQUENCY',
  'PURCHASES_INSTALLMENTS_FREQUENCY',
  'CASH_ADVANCE_FREQUENCY',
  'CASH_ADVANCE_TRX',
  'PURCHASES_TRX',
  'CREDIT_LIMIT',
  'PAYMENTS',
  'MINIMUM_PAYMENTS',
  'PRC_FULL_PAYMENT',
  'TENURE',
] as const;

export type CcGeneralColumn = (typeof CC_GENERAL_COLUMNS)[number];

/** Optional planted product-holding flags (0/1 columns after the behaviour columns). */
export const PRODUCT_COLUMNS = [
  'has_credit_card_upgrade',
  'has_personal_loan',
  'has_savings_account',
] as const;

export type PlantedProduct = (typeof PRODUCT_COLUMNS)[number];

/** The personas the generator plants; a subset of the namer's persona keys. */
export type PlantedPersona = Extract<
  PersonaKey,
  'vip' | 'revolver' | 'transactor' | 'installment' | 'cash_advance' | 'dormant' | 'new'
>;

type Range = readonly [number, number];

interface Amount {
  /** Probability the amount is non-zero. */
  p: number;
  median: number;
  /** Sigma of the log-normal spread. */
  sigma: number;
}

interface PersonaParams {
  weight: number;
  description: string;
  limit: { median: number; sigma: number };
  /** BALANCE as a fraction of CREDIT_LIMIT. */
  balanceRatio: Range;
  oneoff: Amount;
  installments: Amount;
  cash: Amount;
  purchaseFrequency: Range;
  cashFrequency: Range;
  balanceFrequency: Range;
  fullPayment: Range;
  /** Purchases per active month (median of a log-normal). */
  purchasesPerMonth: number;
  tenure: Range;
  /** How the customer pays: in full, the minimum, or in between. */
  pays: 'full' | 'minimum' | 'mixed' | 'little';
}

/**
 * The planted personas with their mixing weights. Amounts are totals over the tenure, in the same
 * currency units as the real file.
 */
export const PLANTED_PERSONAS: Readonly<Record<PlantedPersona, PersonaParams>> = {
  vip: {
    weight: 0.06,
    description: 'high limit, large one-off and installment purchases, pays a good part in full',
    limit: { median: 14000, sigma: 0.3 },
    balanceRatio: [0.1, 0.4],
    oneoff: { p: 0.98, median: 7000, sigma: 0.5 },
    installments: { p: 0.85, median: 2000, sigma: 0.6 },
    cash: { p: 0.2, median: 600, sigma: 0.8 },
    purchaseFrequency: [0.85, 1],
    cashFrequency: [0.08, 0.2],
    balanceFrequency: [0.9, 1],
    fullPayment: [0.2, 0.8],
    purchasesPerMonth: 6,
    tenure: [12, 12],
    pays: 'full',
  },
  revolver: {
    weight: 0.18,
    description: 'high balance close to the limit, low full payment, high minimum payments',
    limit: { median: 5500, sigma: 0.4 },
    balanceRatio: [0.7, 1.0],
    oneoff: { p: 0.35, median: 250, sigma: 0.8 },
    installments: { p: 0.3, median: 200, sigma: 0.8 },
    cash: { p: 0.25, median: 400, sigma: 0.8 },
    purchaseFrequency: [0.08, 0.35],
    cashFrequency: [0.08, 0.2],
    balanceFrequency: [0.95, 1],
    fullPayment: [0, 0],
    purchasesPerMonth: 1.2,
    tenure: [11, 12],
    pays: 'minimum',
  },
  transactor: {
    weight: 0.17,
    description: 'frequent one-off purchases, low balance, pays in full',
    limit: { median: 5000, sigma: 0.35 },
    balanceRatio: [0.01, 0.1],
    oneoff: { p: 1, median: 1800, sigma: 0.5 },
    installments: { p: 0.3, median: 250, sigma: 0.7 },
    cash: { p: 0.03, median: 200, sigma: 0.8 },
    purchaseFrequency: [0.6, 1],
    cashFrequency: [0.08, 0.1],
    balanceFrequency: [0.5, 1],
    fullPayment: [0.75, 1],
    purchasesPerMonth: 3,
    tenure: [12, 12],
    pays: 'full',
  },
  installment: {
    weight: 0.18,
    description: 'regular installment purchases, few one-off purchases, moderate balance',
    limit: { median: 3000, sigma: 0.35 },
    balanceRatio: [0.1, 0.35],
    oneoff: { p: 0.15, median: 150, sigma: 0.7 },
    installments: { p: 1, median: 1100, sigma: 0.45 },
    cash: { p: 0.08, median: 300, sigma: 0.8 },
    purchaseFrequency: [0.75, 1],
    cashFrequency: [0.08, 0.12],
    balanceFrequency: [0.85, 1],
    fullPayment: [0, 0.3],
    purchasesPerMonth: 1.5,
    tenure: [12, 12],
    pays: 'mixed',
  },
  cash_advance: {
    weight: 0.14,
    description: 'frequent, large cash advances, few purchases, carries a balance',
    limit: { median: 4500, sigma: 0.4 },
    balanceRatio: [0.4, 0.85],
    oneoff: { p: 0.15, median: 200, sigma: 0.8 },
    installments: { p: 0.1, median: 150, sigma: 0.8 },
    cash: { p: 1, median: 3500, sigma: 0.5 },
    purchaseFrequency: [0.08, 0.25],
    cashFrequency: [0.3, 0.8],
    balanceFrequency: [0.9, 1],
    fullPayment: [0, 0.1],
    purchasesPerMonth: 1,
    tenure: [12, 12],
    pays: 'mixed',
  },
  dormant: {
    weight: 0.19,
    description: 'almost no purchases or cash advances, small balance, rarely updated',
    limit: { median: 2000, sigma: 0.45 },
    balanceRatio: [0, 0.06],
    oneoff: { p: 0.08, median: 60, sigma: 0.7 },
    installments: { p: 0.06, median: 60, sigma: 0.7 },
    cash: { p: 0.04, median: 150, sigma: 0.7 },
    purchaseFrequency: [0.08, 0.1],
    cashFrequency: [0.08, 0.1],
    balanceFrequency: [0.1, 0.5],
    fullPayment: [0, 0],
    purchasesPerMonth: 1,
    tenure: [12, 12],
    pays: 'little',
  },
  new: {
    weight: 0.08,
    description: 'six to eight months on book, low limit, moderate activity',
    limit: { median: 1500, sigma: 0.35 },
    balanceRatio: [0.15, 0.5],
    oneoff: { p: 0.5, median: 250, sigma: 0.7 },
    installments: { p: 0.5, median: 250, sigma: 0.7 },
    cash: { p: 0.3, median: 300, sigma: 0.7 },
    purchaseFrequency: [0.3, 0.8],
    cashFrequency: [0.15, 0.35],
    balanceFrequency: [0.6, 1],
    fullPayment: [0, 0.35],
    purchasesPerMonth: 1.5,
    tenure: [6, 8],
    pays: 'mixed',
  },
};

const PERSONA_ORDER = Object.keys(PLANTED_PERSONAS) as PlantedPersona[];

/**
 * The planted uptake model: logit(p) = intercept + Σ weight × feature, with features computed from a
 * customer's behaviour columns by `productFeatures`. Exported so the prediction benchmark can score
 * the true probabilities and know the ceiling a model can reach.
 */
export const PRODUCT_MODELS: Readonly<
  Record<PlantedProduct, { intercept: number; weights: Readonly<Record<ProductFeature, number>> }>
> = {
  has_credit_card_upgrade: {
    intercept: -2.2,
    weights: { logPurchases: 1.1, fullPayment: 1.4, logLimit: 0.6, cashShare: -0.8, utilization: -0.5 },
  },
  has_personal_loan: {
    intercept: -2.4,
    weights: { logPurchases: -0.3, fullPayment: -1.5, logLimit: 0.2, cashShare: 1.6, utilization: 1.4 },
  },
  has_savings_account: {
    intercept: -1.2,
    weights: { logPurchases: 0.3, fullPayment: 1.8, logLimit: 0.7, cashShare: -1.2, utilization: -0.9 },
  },
};

export type ProductFeature = 'logPurchases' | 'fullPayment' | 'logLimit' | 'cashShare' | 'utilization';

/** The behaviour features the planted uptake model uses, on fixed scales (not fitted to the data). */
export function productFeatures(
  values: Readonly<Record<CcGeneralColumn, number>>,
): Record<ProductFeature, number> {
  const purchases = values.PURCHASES;
  const cash = values.CASH_ADVANCE;
  const limit = Number.isFinite(values.CREDIT_LIMIT) && values.CREDIT_LIMIT > 0 ? values.CREDIT_LIMIT : 3000;
  return {
    // Centred and scaled so each feature moves over about ±2 across the population.
    logPurchases: (Math.log1p(purchases) - 5) / 2.5,
    fullPayment: values.PRC_FULL_PAYMENT,
    logLimit: (Math.log(limit) - 8.1) / 0.7,
    cashShare: cash / (cash + purchases + 1),
    utilization: Math.min(values.BALANCE / limit, 1.5),
  };
}

/** The planted probability that a customer with these behaviour values holds `product`. */
export function productProbability(
  product: PlantedProduct,
  values: Readonly<Record<CcGeneralColumn, number>>,
): number {
  const model = PRODUCT_MODELS[product];
  const features = productFeatures(values);
  let logit = model.intercept;
  for (const key of Object.keys(model.weights) as ProductFeature[])
    logit += model.weights[key] * features[key];
  return 1 / (1 + Math.exp(-logit));
}

/**
 * The expected AUC of a scorer that knows the true probabilities: over all pairs, the chance that
 * the positive one scores higher (ties count half). It is the best any model can do on average.
 */
export function oracleAuc(probabilities: ArrayLike<number>): number {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (probabilities[a] ?? 0) - (probabilities[b] ?? 0),
  );
  // Each pair (i positive, j negative) weighs p_i (1 - p_j); accumulate negatives' weight below i.
  let negativeBelow = 0;
  let numerator = 0;
  let totalPositive = 0;
  let totalNegative = 0;
  let selfPairs = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const value = probabilities[order[i]!] ?? 0;
    while (j < n && (probabilities[order[j]!] ?? 0) === value) j++;
    let groupPositive = 0;
    let groupNegative = 0;
    let groupSelf = 0;
    for (let t = i; t < j; t++) {
      const p = probabilities[order[t]!] ?? 0;
      groupPositive += p;
      groupNegative += 1 - p;
      groupSelf += p * (1 - p);
    }
    // A customer is never paired with itself.
    const tiePairs = groupPositive * groupNegative - groupSelf;
    selfPairs += groupSelf;
    numerator += groupPositive * negativeBelow + 0.5 * tiePairs;
    negativeBelow += groupNegative;
    totalPositive += groupPositive;
    totalNegative += groupNegative;
    i = j;
  }
  const denominator = totalPositive * totalNegative - selfPairs;
  return denominator > 0 ? numerator / denominator : 0.5;
}

export interface GenerateCustomersOptions {
  rows: number;
  seed: number;
  /** Add the planted product-holding flags as 0/1 columns. */
  products?: boolean;
  /**
   * Share of customers whose behaviour borrows one activity (purchases, installments or cash
   * advances) from another persona, so the segments overlap as real ones do. Default 0.08.
   */
  mixing?: number;
  /** Rows per chunk for `generateCustomerCsvChunks` (default 10,000). */
  chunkRows?: number;
  /**
   * Which week of the same customers (default 1). Each later week starts from the one before: a
   * few customers change behaviour (see WEEKLY_MOVES), everyone's amounts drift a little, and some
   * take up a product. The same seed and week always give the same file.
   */
  week?: number;
}

/** One generated customer with the persona it was drawn from. */
export interface GeneratedCustomer {
  id: string;
  persona: PlantedPersona;
  /** Behaviour values by column; MINIMUM_PAYMENTS may be NaN (missing), as in the real file. */
  values: Record<CcGeneralColumn, number>;
  products?: Record<PlantedProduct, 0 | 1>;
  /** The planted uptake probability behind each flag. */
  productProbabilities?: Record<PlantedProduct, number>;
}

function uniform(rng: Rng, range: Range): number {
  return range[0] + (range[1] - range[0]) * rng.next();
}

function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

function drawAmount(rng: Rng, amount: Amount): number {
  return rng.next() < amount.p ? logNormal(rng, amount.median, amount.sigma) : 0;
}

/** A frequency as whole active months over the tenure, at least one month when `active`. */
function monthFrequency(rng: Rng, range: Range, tenure: number, active: boolean): number {
  if (!active) return 0;
  const months = Math.min(tenure, Math.max(1, Math.round(uniform(rng, range) * tenure)));
  return months / tenure;
}

function pickPersona(rng: Rng): PlantedPersona {
  let u = rng.next();
  for (const key of PERSONA_ORDER) {
    u -= PLANTED_PERSONAS[key].weight;
    if (u < 0) return key;
  }
  return PERSONA_ORDER[PERSONA_ORDER.length - 1]!;
}

function drawCustomer(
  rng: Rng,
  index: number,
  mixing: number,
  productRng: Rng | null,
  as: PlantedPersona = pickPersona(rng),
): GeneratedCustomer {
  const persona = as;
  const params = PLANTED_PERSONAS[persona];
  const tenure = Math.round(uniform(rng, [params.tenure[0] - 0.499, params.tenure[1] + 0.499]));

  let oneoff = drawAmount(rng, params.oneoff);
  let installments = drawAmount(rng, params.installments);
  let cash = drawAmount(rng, params.cash);
  let purchaseRange = params.purchaseFrequency;
  let cashRange = params.cashFrequency;
  if (rng.next() < mixing) {
    const other = PLANTED_PERSONAS[PERSONA_ORDER[rng.int(PERSONA_ORDER.length)]!];
    const which = rng.int(3);
    if (which === 0) {
      oneoff = drawAmount(rng, other.oneoff);
      purchaseRange = other.purchaseFrequency;
    } else if (which === 1) {
      installments = drawAmount(rng, other.installments);
      purchaseRange = other.purchaseFrequency;
    } else {
      cash = drawAmount(rng, other.cash);
      cashRange = other.cashFrequency;
    }
  }
  const purchases = oneoff + installments;

  const limit = Math.min(
    30000,
    Math.max(300, Math.round(logNormal(rng, params.limit.median, params.limit.sigma) / 50) * 50),
  );
  // A few customers sit above their limit, as in the real file.
  const ratio = uniform(rng, params.balanceRatio) * (rng.next() < 0.02 ? 1.3 : 1);
  const balance = limit * ratio * Math.exp(0.15 * rng.normal());

  const purchaseFrequency = monthFrequency(rng, purchaseRange, tenure, purchases > 0);
  const oneoffShare = purchases > 0 ? oneoff / purchases : 0;
  const oneoffFrequency =
    oneoff > 0
      ? Math.max(1 / tenure, roundMonths(purchaseFrequency * (0.25 + 0.75 * oneoffShare), tenure))
      : 0;
  const installmentFrequency =
    installments > 0
      ? Math.max(1 / tenure, roundMonths(purchaseFrequency * (0.25 + 0.75 * (1 - oneoffShare)), tenure))
      : 0;
  const purchasesTrx =
    purchases > 0
      ? Math.max(1, Math.round(purchaseFrequency * tenure * logNormal(rng, params.purchasesPerMonth, 0.4)))
      : 0;
  const cashFrequency = monthFrequency(rng, cashRange, tenure, cash > 0);
  const cashTrx = cash > 0 ? Math.max(1, Math.round(cashFrequency * tenure * logNormal(rng, 1.6, 0.4))) : 0;
  const balanceFrequency = roundMonths(Math.min(1, uniform(rng, params.balanceFrequency)), tenure);
  const fullPayment =
    params.fullPayment[1] > 0
      ? roundMonths(uniform(rng, params.fullPayment), tenure)
      : rng.next() < 0.05
        ? 1 / 12
        : 0;

  let minimumPayments = Math.max(15, balance * uniform(rng, [0.2, 0.5])) * Math.exp(0.3 * rng.normal());
  const spend = purchases + cash;
  let payments: number;
  switch (params.pays) {
    case 'full':
      payments = spend * uniform(rng, [0.85, 1.15]) + balance * uniform(rng, [0, 0.3]);
      minimumPayments = Math.min(minimumPayments, Math.max(15, payments * 0.3));
      break;
    case 'minimum':
      payments = minimumPayments * uniform(rng, [1, 2.2]) + spend * uniform(rng, [0.1, 0.5]);
      break;
    case 'mixed':
      payments = spend * uniform(rng, [0.5, 1]) + minimumPayments * uniform(rng, [0.5, 1.5]);
      break;
    case 'little':
      payments = rng.next() < 0.15 ? 0 : logNormal(rng, 250, 0.7);
      break;
  }
  // Most missing minimum payments are on accounts that paid nothing, as in the real file.
  const minimumMissing = payments === 0 ? rng.next() < 0.8 : rng.next() < 0.018;

  const values: Record<CcGeneralColumn, number> = {
    BALANCE: balance,
    BALANCE_FREQUENCY: balanceFrequency,
    PURCHASES: purchases,
    ONEOFF_PURCHASES: oneoff,
    INSTALLMENTS_PURCHASES: installments,
    CASH_ADVANCE: cash,
    PURCHASES_FREQUENCY: purchaseFrequency,
    ONEOFF_PURCHASES_FREQUENCY: oneoffFrequency,
    PURCHASES_INSTALLMENTS_FREQUENCY: installmentFrequency,
    CASH_ADVANCE_FREQUENCY: cashFrequency,
    CASH_ADVANCE_TRX: cashTrx,
    PURCHASES_TRX: purchasesTrx,
    CREDIT_LIMIT: limit,
    PAYMENTS: payments,
    MINIMUM_PAYMENTS: minimumMissing ? Number.NaN : minimumPayments,
    PRC_FULL_PAYMENT: fullPayment,
    TENURE: tenure,
  };
  // Amounts are written with 2 decimals; round here so flags are computed from what the file holds.
  for (const column of AMOUNT_COLUMNS) values[column] = round2(values[column]);
  values.PURCHASES = round2(values.ONEOFF_PURCHASES + values.INSTALLMENTS_PURCHASES);

  const customer: GeneratedCustomer = { id: `C${10001 + index}`, persona, values };
  if (productRng) {
    const probabilities = {} as Record<PlantedProduct, number>;
    const flags = {} as Record<PlantedProduct, 0 | 1>;
    for (const product of PRODUCT_COLUMNS) {
      const p = productProbability(product, values);
      probabilities[product] = p;
      flags[product] = productRng.next() < p ? 1 : 0;
    }
    customer.products = flags;
    customer.productProbabilities = probabilities;
  }
  return customer;
}

const AMOUNT_COLUMNS: readonly CcGeneralColumn[] = [
  'BALANCE',
  'ONEOFF_PURCHASES',
  'INSTALLMENTS_PURCHASES',
  'CASH_ADVANCE',
  'CREDIT_LIMIT',
  'PAYMENTS',
  'MINIMUM_PAYMENTS',
];

function roundMonths(fraction: number, tenure: number): number {
  return Math.min(tenure, Math.round(fraction * tenure)) / tenure;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function formatValue(column: CcGeneralColumn, x: number): string {
  if (Number.isNaN(x)) return '';
  if (column.endsWith('FREQUENCY') || column === 'PRC_FULL_PAYMENT') return String(Math.round(x * 1e6) / 1e6);
  return String(x);
}

function validate(options: GenerateCustomersOptions): void {
  if (!Number.isInteger(options.rows) || options.rows < 0) {
    throw new RangeError(`rows must be a non-negative integer, got ${options.rows}`);
  }
  if (!Number.isFinite(options.seed))
    throw new RangeError(`seed must be a finite number, got ${options.seed}`);
  const week = options.week ?? 1;
  if (!Number.isInteger(week) || week < 1)
    throw new RangeError(`week must be a whole number from 1, got ${week}`);
}

/** Share of customers who change behaviour from one week to the next. */
export const WEEKLY_MOVE_RATE = 0.03;

/**
 * Where a customer who changes behaviour goes: moves a marketer would recognise (a dormant card
 * woken up, a new customer settling into installments, a revolver turning to cash advances).
 */
export const WEEKLY_MOVES: Readonly<Record<PlantedPersona, PlantedPersona>> = {
  dormant: 'transactor',
  new: 'installment',
  revolver: 'cash_advance',
  transactor: 'vip',
  installment: 'revolver',
  cash_advance: 'revolver',
  vip: 'transactor',
};

/** Weekly uptake of a product not yet held, as a share of its planted probability. */
const WEEKLY_UPTAKE = 0.04;

/** A customer one week later: a move to another persona, or small drift in every amount. */
function nextWeek(customer: GeneratedCustomer, rng: Rng, index: number, mixing: number): GeneratedCustomer {
  let next: GeneratedCustomer;
  if (rng.next() < WEEKLY_MOVE_RATE) {
    next = drawCustomer(rng, index, mixing, null, WEEKLY_MOVES[customer.persona]);
  } else {
    const values = { ...customer.values };
    for (const column of AMOUNT_COLUMNS) {
      // Limits change by decision, not by drift.
      if (column !== 'CREDIT_LIMIT') values[column] = round2(values[column] * Math.exp(0.04 * rng.normal()));
    }
    values.PURCHASES = round2(values.ONEOFF_PURCHASES + values.INSTALLMENTS_PURCHASES);
    next = { ...customer, values };
  }
  if (customer.products) {
    // A product once held stays held; others are taken up by those most likely to.
    const flags = { ...customer.products };
    const probabilities = {} as Record<PlantedProduct, number>;
    for (const product of PRODUCT_COLUMNS) {
      probabilities[product] = productProbability(product, next.values);
      if (flags[product] === 0 && rng.next() < WEEKLY_UPTAKE * probabilities[product]) flags[product] = 1;
    }
    next.products = flags;
    next.productProbabilities = probabilities;
  }
  return next;
}

/** Generates customers one by one, deterministically for a seed (and week). */
export function* generateCustomers(options: GenerateCustomersOptions): Generator<GeneratedCustomer> {
  validate(options);
  const rng = createRng(options.seed);
  // Product flags draw from their own stream, so adding them leaves every customer's behaviour as
  // it was: the same seed segments the same way with or without products.
  const productRng = options.products === true ? createRng((options.seed ^ 0x5eed_f1a6) >>> 0) : null;
  const mixing = options.mixing ?? 0.08;
  // Each later week has its own stream, so week 2 is the same whatever week is asked for.
  const weeks = Array.from({ length: (options.week ?? 1) - 1 }, (_, w) =>
    createRng((options.seed ^ Math.imul(w + 2, 0x9e37_79b9)) >>> 0),
  );
  for (let i = 0; i < options.rows; i++) {
    let customer = drawCustomer(rng, i, mixing, productRng);
    for (const week of weeks) customer = nextWeek(customer, week, i, mixing);
    yield customer;
  }
}

/** The header line (without newline) of the generated CSV. */
export function customersCsvHeader(products = false): string {
  return ['CUST_ID', ...CC_GENERAL_COLUMNS, ...(products ? PRODUCT_COLUMNS : [])].join(',');
}

function formatRow(customer: GeneratedCustomer, products: boolean): string {
  let line = customer.id;
  for (const column of CC_GENERAL_COLUMNS) line += `,${formatValue(column, customer.values[column])}`;
  if (products && customer.products) {
    for (const product of PRODUCT_COLUMNS) line += `,${customer.products[product]}`;
  }
  return line;
}

/**
 * The CSV text in chunks of `chunkRows` rows (the first chunk starts with the header), so a
 * million-row file can be written without holding it in memory. Joining the chunks gives exactly
 * `generateCustomersCsv` for the same options.
 */
export function* generateCustomerCsvChunks(options: GenerateCustomersOptions): Generator<string> {
  validate(options);
  const products = options.products === true;
  const chunkRows = Math.max(1, options.chunkRows ?? 10_000);
  let lines: string[] = [customersCsvHeader(products)];
  let count = 0;
  for (const customer of generateCustomers(options)) {
    lines.push(formatRow(customer, products));
    if (++count % chunkRows === 0) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

/** The whole synthetic CSV as one string (header plus `rows` customers, newline-terminated). */
export function generateCustomersCsv(options: GenerateCustomersOptions): string {
  return Array.from(generateCustomerCsvChunks(options)).join('');
}

/** The planted persona of each generated row, in row order: the ground truth for tests. */
export function plantedPersonas(options: GenerateCustomersOptions): PlantedPersona[] {
  return Array.from(generateCustomers(options), (customer) => customer.persona);
}
