/**
 * The RFM use case, shared by `/segbot rfm` and `segbot rfm`: from a transaction file (aggregated
 * here) or from a dataset that already holds recency_days, frequency and monetary per customer
 * (an aggregated transaction upload), to scored, named RFM segments.
 */
import { numericValues } from '../analytics/ingest/column-values.js';
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import { RFM_RULES, type RfmInput, type RfmResult, scoreRfm } from '../analytics/rfm/score-rfm.js';
import {
  AGGREGATE_COLUMNS,
  aggregateTransactions,
  aggregationNote,
  sniffTransactions,
} from '../analytics/transactions/aggregate-transactions.js';
import type { Table } from '../analytics/types.js';
import { BadInputError } from '../errors.js';

/** A scored RFM analysis and what it was computed from. */
export interface RfmAnalysis {
  input: RfmInput;
  result: RfmResult;
  /** How the file was read ("Read as transactions: …"), when it was a transaction file. */
  note: string | null;
}

const NEEDS = [AGGREGATE_COLUMNS.recency, AGGREGATE_COLUMNS.frequency, AGGREGATE_COLUMNS.monetary];

/** The RFM input held in a table with recency_days, frequency and monetary columns (and an id column). */
export function rfmInputFromTable(table: Table, idColumn: string | null): RfmInput {
  const names = new Set(table.columns.map((c) => c.name));
  const missing = NEEDS.filter((name) => !names.has(name));
  if (missing.length > 0) {
    throw new BadInputError(
      `${table.fileName} is not a transaction file, so it has no recency, frequency and monetary value per customer (missing: ${missing.join(', ')}).`,
      {
        hint: 'Upload a transaction file: one row per transaction with a customer id, a date (YYYY-MM-DD) and an amount, e.g. columns customer_id,date,amount. segbot aggregates it per customer on upload.',
      },
    );
  }
  const idCol = table.columns.find((c) => c.name === (idColumn ?? AGGREGATE_COLUMNS.customer));
  const customerIds =
    idCol === undefined
      ? Array.from({ length: table.rowCount }, (_, i) => String(i + 1))
      : Array.from({ length: table.rowCount }, (_, i) => String(idCol.values[i]));
  const recency = numericValues(table, AGGREGATE_COLUMNS.recency);
  const frequency = numericValues(table, AGGREGATE_COLUMNS.frequency);
  const monetary = numericValues(table, AGGREGATE_COLUMNS.monetary);
  // Missing cells score as the worst value, so a customer is never dropped silently.
  const clean = (values: Float64Array, worst: number) => values.map((v) => (Number.isNaN(v) ? worst : v));
  return {
    customerIds,
    recencyDays: clean(recency, Number.MAX_SAFE_INTEGER),
    frequency: clean(frequency, 0),
    monetary: clean(monetary, 0),
  };
}

/**
 * Each customer's RFM segment as an index into RFM_RULES, in table row order: what a campaign on
 * RFM segments picks its audience by.
 */
export function rfmLabels(table: Table, idColumn: string | null): Int32Array {
  const { result } = analyseRfmTable(table, idColumn);
  const index = new Map(RFM_RULES.map((rule, i) => [rule.name, i]));
  return Int32Array.from(result.names, (name) => index.get(name)!);
}

/** RFM on a channel's stored dataset. */
export function analyseRfmTable(table: Table, idColumn: string | null): RfmAnalysis {
  const input = rfmInputFromTable(table, idColumn);
  return { input, result: scoreRfm(input), note: null };
}

/** RFM on a file: a transaction file is aggregated (as of `asOf` or its last date); a customer table needs the RFM columns. */
export async function analyseRfmFile(
  bytes: Uint8Array,
  options: { fileName: string; asOf?: string },
): Promise<RfmAnalysis> {
  const sniff = sniffTransactions(bytes.subarray(0, 64 * 1024));
  if (sniff === null) {
    const ingest = await ingestCsv(bytes, { fileName: options.fileName });
    return analyseRfmTable(ingest.table, ingest.schema.idColumn);
  }
  const agg = await aggregateTransactions(bytes, sniff, options);
  const input: RfmInput = {
    customerIds: agg.customerIds,
    recencyDays: agg.recencyDays,
    frequency: agg.frequency,
    monetary: agg.monetary,
  };
  return { input, result: scoreRfm(input), note: aggregationNote(agg) };
}

/** The JSON other tools read: `segments` and `assignments`, as documented in the README. */
export function rfmJson(analysis: RfmAnalysis): string {
  const { input, result } = analysis;
  const segments = result.segments.map((s) => ({
    name: s.name,
    size: s.size,
    revenueShare: Number(s.revenueShare.toFixed(6)),
    rScore: s.r,
    fScore: s.f,
    mScore: s.m,
  }));
  const assignments = input.customerIds.map((customerId, i) => ({
    customerId,
    segment: result.names[i],
    r: result.r[i],
    f: result.f[i],
    m: result.m[i],
    recencyDays: input.recencyDays[i],
    frequency: input.frequency[i],
    // Sums of amounts in cents carry float noise (2750.0999999999995): cents are what was spent.
    monetary: Math.round(input.monetary[i]! * 100) / 100,
  }));
  return `${JSON.stringify({ version: 1, customers: result.customers, segments, assignments }, null, 2)}\n`;
}
