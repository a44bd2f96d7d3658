/**
 * Column names in plain words for sentences and segment names: `CASH_ADVANCE_FREQUENCY` →
 * "cash-advance frequency", `NumOfProducts` → "number of products", `renta` → "gross income".
 * Known bank schemas come from a dictionary; any other name is split into words, lower-cased and
 * has its common abbreviations spelled out.
 */
import { productLabel } from '../ingest/product-names.js';

/**
 * Known columns of public bank tables, keyed by the name lower-cased with separators removed, so
 * `NumOfProducts`, `num_of_products` and `NUM-OF-PRODUCTS` all match.
 */
const DICTIONARY: Record<string, string> = {
  // CC GENERAL (credit-card customers)
  custid: 'customer id',
  balance: 'balance',
  balancefrequency: 'balance-update frequency',
  purchases: 'purchases',
  oneoffpurchases: 'one-off purchases',
  installmentspurchases: 'installment purchases',
  cashadvance: 'cash advances',
  purchasesfrequency: 'purchase frequency',
  oneoffpurchasesfrequency: 'one-off purchase frequency',
  purchasesinstallmentsfrequency: 'installment purchase frequency',
  cashadvancefrequency: 'cash-advance frequency',
  cashadvancetrx: 'cash-advance transactions',
  purchasestrx: 'purchase transactions',
  creditlimit: 'credit limit',
  payments: 'payments',
  minimumpayments: 'minimum payments',
  prcfullpayment: 'share of months paid in full',
  tenure: 'tenure',
  // Santander product recommendation (Spanish names)
  ncodpers: 'customer code',
  fechadato: 'record date',
  indempleado: 'employee status',
  paisresidencia: 'country of residence',
  sexo: 'sex',
  edad: 'age',
  fechaalta: 'joining date',
  indnuevo: 'new customer',
  antiguedad: 'seniority (months)',
  indrel: 'primary customer',
  ultfeccli1t: 'last date as primary customer',
  indrel1mes: 'customer type at month start',
  tiprel1mes: 'customer relation at month start',
  indresi: 'resident',
  indext: 'foreign-born',
  conyuemp: 'spouse of an employee',
  canalentrada: 'joining channel',
  indfall: 'deceased',
  tipodom: 'address type',
  codprov: 'province code',
  nomprov: 'province',
  indactividadcliente: 'active customer',
  renta: 'gross income',
  segmento: 'segment',
  saldo: 'balance',
  // Per-customer features of an aggregated transaction file
  recencydays: 'days since last purchase',
  monetary: 'total spend',
  avgticket: 'average ticket',
  tenuredays: 'days since first purchase',
  trend3m: 'spend trend (last 3 months vs 3 before)',
  topchannel: 'main channel',
  categoriesused: 'categories used',
  // Bank marketing (UCI)
  job: 'job',
  marital: 'marital status',
  education: 'education',
  default: 'credit in default',
  housing: 'housing loan',
  loan: 'personal loan',
  contact: 'contact channel',
  day: 'last contact day',
  month: 'last contact month',
  duration: 'last call duration',
  campaign: 'contacts this campaign',
  pdays: 'days since last contact',
  previous: 'earlier contacts',
  poutcome: 'previous campaign outcome',
  y: 'subscribed a deposit',
  // Churn modelling and credit-card attrition tables
  rownumber: 'row number',
  customerid: 'customer id',
  surname: 'surname',
  creditscore: 'credit score',
  geography: 'country',
  gender: 'gender',
  age: 'age',
  numofproducts: 'number of products',
  hascrcard: 'has a credit card',
  isactivemember: 'active member',
  estimatedsalary: 'estimated salary',
  exited: 'left the bank',
  clientnum: 'client number',
  attritionflag: 'attrition',
  customerage: 'age',
  dependentcount: 'dependants',
  educationlevel: 'education',
  maritalstatus: 'marital status',
  incomecategory: 'income band',
  cardcategory: 'card type',
  monthsonbook: 'months on book',
  totalrelationshipcount: 'products held',
  monthsinactive12mon: 'months inactive (last 12)',
  contactscount12mon: 'contacts (last 12 months)',
  totalrevolvingbal: 'revolving balance',
  avgopentobuy: 'average open-to-buy',
  totalamtchngq4q1: 'change in spend (Q4 vs Q1)',
  totaltransamt: 'total transaction amount',
  totaltransct: 'total transaction count',
  totalctchngq4q1: 'change in transactions (Q4 vs Q1)',
  avgutilizationratio: 'average utilization',
};

/** Common abbreviations in column names, spelled out word by word. */
const ABBREVIATIONS: Record<string, string> = {
  num: 'number',
  nb: 'number',
  nbr: 'number',
  no: 'number',
  avg: 'average',
  amt: 'amount',
  bal: 'balance',
  trx: 'transactions',
  txn: 'transactions',
  trans: 'transactions',
  freq: 'frequency',
  prc: 'share',
  pct: 'percent',
  perc: 'percent',
  qty: 'quantity',
  cnt: 'count',
  ct: 'count',
  mon: 'months',
  mo: 'months',
  yr: 'years',
  yrs: 'years',
  cust: 'customer',
  acct: 'account',
  acc: 'account',
  cc: 'credit card',
  cr: 'credit',
  lim: 'limit',
  min: 'minimum',
  max: 'maximum',
  dt: 'date',
  ind: 'indicator',
  chng: 'change',
  sal: 'salary',
  inc: 'income',
  dep: 'deposit',
  prod: 'product',
  prods: 'products',
};

function dictionaryKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The words of a name: split on separators, camelCase humps and letter/digit boundaries. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z]{2,})(\d)/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** The dictionary's plain words for a known column of a public bank table ("y" → "subscribed a deposit"). */
export function knownColumnLabel(name: string): string | undefined {
  return DICTIONARY[dictionaryKey(name)];
}

/** A column name in plain, lower-case words, for use inside a sentence or a segment name. */
export function readableLabel(name: string): string {
  const known = DICTIONARY[dictionaryKey(name)];
  if (known !== undefined) return known;
  // Santander's product flags (ind_tjcr_fin_ult1, ind_nomina_ult1, …) are named after the product.
  if (/^ind_.+_ult1$/i.test(name)) return productLabel(name);
  const words = wordsOf(name).map((word) => ABBREVIATIONS[word] ?? word);
  return words.length > 0 ? words.join(' ') : name;
}

/**
 * Coded values of known bank columns in plain words, keyed like DICTIONARY: Santander's employee
 * index, deceased index, activity index and customer segment.
 */
const VALUES: Record<string, Record<string, string>> = {
  indempleado: {
    A: 'active employee',
    B: 'former employee',
    F: 'subsidiary employee',
    N: 'not an employee',
    P: 'passive (retired) employee',
  },
  indfall: { S: 'deceased', N: 'alive' },
  indactividadcliente: { '1': 'active', '0': 'inactive' },
  segmento: {
    '01 - TOP': 'top (VIP)',
    '02 - PARTICULARES': 'individuals',
    '03 - UNIVERSITARIO': 'university students',
  },
  indresi: { S: 'resident', N: 'non-resident' },
  indext: { S: 'foreign-born', N: 'born in the country' },
};

/** A column's coded value in plain words ("A" of ind_empleado → "active employee"); other values as they are. */
export function readableValue(column: string, value: string): string {
  return VALUES[dictionaryKey(column)]?.[value.trim()] ?? value;
}

/** The same with a capital first letter, to start a sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A model feature in plain words: a column's readable label, or for a one-hot category
 * ("Geography=Germany") the label and the category ("country: Germany"). Every place that shows a
 * feature (CLI table, Slack, charts, change threads) uses this, so a feature reads the same
 * everywhere.
 */
export function featureLabel(feature: string): string {
  const at = feature.indexOf('=');
  if (at < 0) return readableLabel(feature);
  return `${readableLabel(feature.slice(0, at))}: ${feature.slice(at + 1)}`;
}
