/** Readable names of the 24 Santander product-holding columns. */
export const SANTANDER_PRODUCTS: Readonly<Record<string, string>> = {
  ind_ahor_fin_ult1: 'saving account',
  ind_aval_fin_ult1: 'guarantees',
  ind_cco_fin_ult1: 'current account',
  ind_cder_fin_ult1: 'derivatives account',
  ind_cno_fin_ult1: 'payroll account',
  ind_ctju_fin_ult1: 'junior account',
  ind_ctma_fin_ult1: 'más particular account',
  ind_ctop_fin_ult1: 'particular account',
  ind_ctpp_fin_ult1: 'particular plus account',
  ind_deco_fin_ult1: 'short-term deposit',
  ind_deme_fin_ult1: 'medium-term deposit',
  ind_dela_fin_ult1: 'long-term deposit',
  ind_ecue_fin_ult1: 'e-account',
  ind_fond_fin_ult1: 'funds',
  ind_hip_fin_ult1: 'mortgage',
  ind_plan_fin_ult1: 'pension plan',
  ind_pres_fin_ult1: 'loan',
  ind_reca_fin_ult1: 'taxes',
  ind_tjcr_fin_ult1: 'credit card',
  ind_valo_fin_ult1: 'securities',
  ind_viv_fin_ult1: 'home account',
  ind_nomina_ult1: 'payroll',
  ind_nom_pens_ult1: 'pension payments',
  ind_recibo_ult1: 'direct debit',
};

/** Words that only say "this is a flag" and carry no product meaning. */
const FILLER = new Set(['has', 'have', 'holds', 'is', 'flag', 'ind', 'indicator', 'owns', 'with', 'product']);

/**
 * A readable product name for a product-flag column: the Santander names for `ind_*_ult1`
 * columns, otherwise the column name humanised (has_personal_loan -> "personal loan",
 * HasCreditCard -> "credit card").
 */
export function productLabel(column: string): string {
  const known = SANTANDER_PRODUCTS[column.toLowerCase()];
  if (known !== undefined) return known;
  // An unknown Santander-style flag: the product code sits between ind_ and _ult1.
  const santander = /^ind_(.+?)(?:_fin)?_ult1$/i.exec(column);
  const words = (santander?.[1] ?? column)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9áéíóúñü]+/)
    .filter((w) => w !== '');
  const kept = words.filter((w, i) => !(FILLER.has(w) && (i === 0 || w === 'flag' || w === 'indicator')));
  const label = (kept.length > 0 ? kept : words).join(' ');
  return label === '' ? column : label;
}
