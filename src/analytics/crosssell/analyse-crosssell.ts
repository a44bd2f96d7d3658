/**
 * Cross-sell analysis of a table with product flags: how many products customers hold, which
 * products go together (lift), holding rates by age band, entry channel, activity, employee status
 * and segment, and the next-best product of each segment. Deceased customers (indfall = S, or a
 * `deceased` flag) are counted and left out of every figure.
 */
import { numericValues } from '../ingest/column-values.js';
import { looksLikeAttributeName, nameWords } from '../ingest/infer-schema.js';
import { productLabel } from '../ingest/product-names.js';
import { readableLabel, readableValue } from '../segment/column-labels.js';
import type { Column, Schema, Table } from '../types.js';

export interface CrosssellOptions {
  /** Entry channels shown at each end (top and bottom by volume). Default 5. */
  channels?: number;
}

export interface ProductInfo {
  column: string;
  label: string;
  holders: number;
  rate: number;
}

/** Customers of one group (an age band, a channel, …) and their holding rate of each product. */
export interface GroupRates {
  value: string;
  label: string;
  customers: number;
  meanProducts: number;
  /** Holding rate per product, in the order of `products`. */
  rates: number[];
}

export interface Breakdown {
  /** The dimension: "age band", "entry channel", … */
  dimension: string;
  column: string;
  groups: GroupRates[];
  /** For entry channels: how many channels there are in all (only the top and bottom are listed). */
  totalGroups: number;
}

export interface NextBestProduct {
  segment: string;
  customers: number;
  product: string;
  label: string;
  /** Share of the segment holding it now. */
  rate: number;
  /** Rate among similar customers: holders of the same other products. */
  expected: number;
  /** Customers of the segment the gap amounts to. */
  opportunity: number;
}

export interface CrosssellResult {
  /** Customers analysed (deceased excluded). */
  customers: number;
  deceased: { column: string; count: number } | null;
  products: ProductInfo[];
  /** customers[k] hold exactly k products. */
  productsPerCustomer: { products: number; customers: number; share: number }[];
  /** lift[a][b] = P(b | a) / P(b); null on the diagonal or without holders. */
  lift: (number | null)[][];
  breakdowns: Breakdown[];
  nextBest: NextBestProduct[];
}

/** Words of the columns segbot breaks holding rates down by, in the order of the breakdowns. */
const DIMENSIONS: { dimension: string; words: string[] }[] = [
  { dimension: 'age band', words: ['edad', 'age'] },
  { dimension: 'entry channel', words: ['canal_entrada', 'entry_channel', 'channel'] },
  { dimension: 'activity', words: ['ind_actividad_cliente', 'actividad', 'active', 'activity'] },
  { dimension: 'employee status', words: ['ind_empleado', 'empleado', 'employee'] },
  { dimension: 'segment', words: ['segmento', 'segment'] },
];
const DECEASED_WORDS = ['indfall', 'deceased', 'dead'];

function findByWords(schema: Schema, words: readonly string[]): string | null {
  const wanted = new Set(words);
  const column = schema.columns.find((c) => {
    const w = nameWords(c.name);
    return w.some((x) => wanted.has(x)) || wanted.has(w.join('_'));
  });
  return column?.name ?? null;
}

function textOf(column: Column, row: number): string {
  if (column.kind === 'text') return column.values[row]!;
  const v = column.values[row]!;
  return Number.isNaN(v) ? '' : String(v);
}

/** Which rows are deceased, from indfall (S/N) or a deceased flag; null when the table has neither. */
function deceasedRows(
  table: Table,
  schema: Schema,
): { column: string; rows: Uint8Array; count: number } | null {
  const name = findByWords(schema, DECEASED_WORDS);
  if (name === null) return null;
  const values = numericValues(table, name);
  const rows = new Uint8Array(table.rowCount);
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    if (values[i] === 1) {
      rows[i] = 1;
      count++;
    }
  }
  return { column: name, rows, count };
}

const AGE_BANDS: [number, string][] = [
  [25, 'under 25'],
  [35, '25–34'],
  [45, '35–44'],
  [55, '45–54'],
  [65, '55–64'],
  [Number.POSITIVE_INFINITY, '65 and over'],
];

function ageBand(age: number): string {
  if (Number.isNaN(age)) return '';
  return AGE_BANDS.find(([limit]) => age < limit)![1];
}

interface Counter {
  customers: number;
  products: number;
  holders: Float64Array;
}

/** Holding rates per group of `keyOf(row)` over the living rows. */
function ratesBy(
  rows: Int32Array,
  held: Uint8Array[],
  keyOf: (row: number) => string,
  labelOf: (value: string) => string,
): GroupRates[] {
  const groups = new Map<string, Counter>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === '') continue;
    let g = groups.get(key);
    if (g === undefined) {
      g = { customers: 0, products: 0, holders: new Float64Array(held.length) };
      groups.set(key, g);
    }
    g.customers++;
    for (let p = 0; p < held.length; p++) {
      if (held[p]![row] === 1) {
        g.holders[p]!++;
        g.products++;
      }
    }
  }
  return [...groups.entries()]
    .map(([value, g]) => ({
      value,
      label: labelOf(value),
      customers: g.customers,
      meanProducts: g.products / g.customers,
      rates: Array.from(g.holders, (h) => h / g.customers),
    }))
    .sort((a, b) => b.customers - a.customers || a.value.localeCompare(b.value));
}

/**
 * The product columns: product-role flags that are not customer attributes (sex, activity), the
 * deceased flag, or a two-valued column segbot breaks the rates down by (a segment with two values).
 */
export function crosssellProducts(schema: Schema): { column: string; label: string }[] {
  const dimensions = new Set(
    [...DIMENSIONS.map((d) => d.words), DECEASED_WORDS].map((words) => findByWords(schema, words)),
  );
  return schema.columns
    .filter((c) => c.role === 'product' && !dimensions.has(c.name) && !looksLikeAttributeName(c.name))
    .map((c) => ({ column: c.name, label: c.label ?? productLabel(c.name) }));
}

/** The whole cross-sell analysis of one table. */
export function analyseCrosssell(
  table: Table,
  schema: Schema,
  options: CrosssellOptions = {},
): CrosssellResult {
  const deceased = deceasedRows(table, schema);
  const productCols = crosssellProducts(schema);
  const living: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (deceased?.rows[i] !== 1) living.push(i);
  const rows = Int32Array.from(living);
  const n = rows.length;
  const held = productCols.map((p) => {
    const values = numericValues(table, p.column);
    return Uint8Array.from(values, (v) => (v === 1 ? 1 : 0));
  });
  const P = held.length;
  const holders = new Float64Array(P);
  const both = new Float64Array(P * P);
  const perCustomer = new Float64Array(P + 1);
  for (const row of rows) {
    let count = 0;
    for (let a = 0; a < P; a++) {
      if (held[a]![row] !== 1) continue;
      count++;
      holders[a]!++;
      for (let b = 0; b < P; b++) if (held[b]![row] === 1) both[a * P + b]!++;
    }
    perCustomer[count]!++;
  }
  const products = productCols.map((p, a) => ({
    ...p,
    holders: holders[a]!,
    rate: n > 0 ? holders[a]! / n : 0,
  }));
  const lift = products.map((_, a) =>
    products.map((__, b) => {
      if (a === b || holders[a] === 0 || holders[b] === 0) return null;
      return (both[a * P + b]! * n) / (holders[a]! * holders[b]!);
    }),
  );
  let last = P;
  while (last > 0 && perCustomer[last] === 0) last--;
  const productsPerCustomer = Array.from({ length: last + 1 }, (_, k) => ({
    products: k,
    customers: perCustomer[k]!,
    share: n > 0 ? perCustomer[k]! / n : 0,
  }));
  const breakdowns = buildBreakdowns(table, schema, rows, held, options.channels ?? 5);
  const segmentBreakdown = breakdowns.find((b) => b.dimension === 'segment');
  const nextBest = nextBestProducts({ table, schema, rows, held, products, both, segment: segmentBreakdown });
  return {
    customers: n,
    deceased: deceased === null ? null : { column: deceased.column, count: deceased.count },
    products,
    productsPerCustomer,
    lift,
    breakdowns,
    nextBest,
  };
}

function buildBreakdowns(
  table: Table,
  schema: Schema,
  rows: Int32Array,
  held: Uint8Array[],
  channels: number,
): Breakdown[] {
  const out: Breakdown[] = [];
  const column = (name: string) => table.columns.find((c) => c.name === name)!;
  const add = (dimension: string, name: string | null, keyOf?: (col: Column, row: number) => string) => {
    if (name === null) return;
    const col = column(name);
    const groups = ratesBy(
      rows,
      held,
      (row) => (keyOf ? keyOf(col, row) : textOf(col, row)),
      (value) => (keyOf ? value : readableValue(name, value)),
    );
    out.push({ dimension, column: name, groups, totalGroups: groups.length });
  };
  const columnOf = (dimension: string) =>
    findByWords(schema, DIMENSIONS.find((d) => d.dimension === dimension)!.words);
  add('age band', columnOf('age band'), (col, row) =>
    col.kind === 'numeric' ? ageBand(col.values[row]!) : '',
  );
  // Age bands read best youngest first.
  const bandOrder = (label: string) => AGE_BANDS.findIndex(([, band]) => band === label);
  out.find((b) => b.dimension === 'age band')?.groups.sort((a, b) => bandOrder(a.value) - bandOrder(b.value));
  add('entry channel', columnOf('entry channel'));
  const channelBreakdown = out.find((b) => b.dimension === 'entry channel');
  if (channelBreakdown && channelBreakdown.groups.length > 2 * channels) {
    // Top and bottom by volume: the middle of a long tail says little.
    const g = channelBreakdown.groups;
    channelBreakdown.groups = [...g.slice(0, channels), ...g.slice(g.length - channels)];
  }
  for (const dimension of ['activity', 'employee status', 'segment']) add(dimension, columnOf(dimension));
  return out;
}

interface NextBestInput {
  table: Table;
  schema: Schema;
  rows: Int32Array;
  held: Uint8Array[];
  products: ProductInfo[];
  both: Float64Array;
  segment: Breakdown | undefined;
}

/**
 * For each segment, the product with the largest gap between the rate among similar customers and
 * the segment's own rate. A customer's "similar customers" rate for product p is the average, over
 * the other products they hold, of P(p | that product) across all living customers (P(p) when they
 * hold nothing else).
 */
function nextBestProducts(input: NextBestInput): NextBestProduct[] {
  const { rows, held, products, both, segment } = input;
  const P = products.length;
  if (P === 0) return [];
  const segmentCol = segment ? input.table.columns.find((c) => c.name === segment.column)! : null;
  const groups = new Map<string, { customers: number; holders: Float64Array; expected: Float64Array }>();
  const heldNow: number[] = [];
  for (const row of rows) {
    const key = segmentCol ? textOf(segmentCol, row) : 'all';
    if (key === '') continue;
    let g = groups.get(key);
    if (g === undefined) {
      g = { customers: 0, holders: new Float64Array(P), expected: new Float64Array(P) };
      groups.set(key, g);
    }
    g.customers++;
    heldNow.length = 0;
    for (let a = 0; a < P; a++) if (held[a]![row] === 1) heldNow.push(a);
    for (let p = 0; p < P; p++) {
      if (held[p]![row] === 1) g.holders[p]!++;
      let sum = 0;
      let count = 0;
      for (const a of heldNow) {
        if (a === p) continue;
        sum += both[a * P + p]! / products[a]!.holders;
        count++;
      }
      g.expected[p]! += count > 0 ? sum / count : products[p]!.rate;
    }
  }
  const out: NextBestProduct[] = [];
  for (const [key, g] of groups) {
    let best = -1;
    let bestGap = 0;
    for (let p = 0; p < P; p++) {
      const gap = (g.expected[p]! - g.holders[p]!) / g.customers;
      if (gap > bestGap) {
        bestGap = gap;
        best = p;
      }
    }
    if (best < 0) continue;
    out.push({
      segment: segmentCol ? readableValue(segmentCol.name, key) : 'All customers',
      customers: g.customers,
      product: products[best]!.column,
      label: products[best]!.label,
      rate: g.holders[best]! / g.customers,
      expected: g.expected[best]! / g.customers,
      opportunity: Math.round(bestGap * g.customers),
    });
  }
  return out.sort((a, b) => b.customers - a.customers);
}

/** A dimension and its column, for headings: "entry channel (canal_entrada)". */
export function dimensionTitle(b: Breakdown): string {
  return b.dimension === readableLabel(b.column) ? b.dimension : `${b.dimension} (${b.column})`;
}
