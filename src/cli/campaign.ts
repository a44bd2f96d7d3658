/**
 * `segbot campaign new|results …` from files: the same audience, suppression, stratified split and
 * lift analytics as `/segbot campaign`, with the assignment kept in a file of the user's choosing.
 */
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { customerIdsOf } from '../../db/repositories/dataset-store.js';
import { buildAudience, type ScoreCut } from '../analytics/campaign/audience.js';
import { treatmentCsv } from '../analytics/campaign/campaign-csv.js';
import { measureLift } from '../analytics/campaign/lift.js';
import {
  type AssignedMember,
  type CampaignOutcome,
  outcomeFromLaterUpload,
  outcomeFromResponders,
} from '../analytics/campaign/outcome.js';
import { powerStatement } from '../analytics/campaign/power.js';
import { cellText, findSuppressed, SUPPRESSION_REASONS } from '../analytics/campaign/suppress.js';
import { flagValue } from '../analytics/ingest/infer-schema.js';
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import { toCsv } from '../analytics/predict/csv-export.js';
import { parseCustomerList } from '../analytics/predict/customer-list.js';
import { resolveProduct, trainPropensity } from '../analytics/predict/train-propensity.js';
import { RFM_RULES } from '../analytics/rfm/score-rfm.js';
import type { IngestResult } from '../analytics/types.js';
import { BadInputError } from '../errors.js';
import { ingestUpload } from '../services/ingest-upload.js';
import { rfmLabels } from '../services/rfm-analysis.js';
import { matchRfmSegment } from '../text/match-segment.js';
import { type CliIo, fileError, readInput } from './io.js';
import { parseCliArgs } from './parse-cli-args.js';

export const CAMPAIGN_USAGE = `Usage:
  segbot campaign new <customers.csv> --assignment out.csv [--treatment out.csv]
                      [--rfm "At risk,Hibernating"]
                      [--product COL [--top N | --deciles 1-2]] [--holdout 10%] [--seed S]
                      [--suppress ids.csv] [--exclude id1,id2]
  segbot campaign results --assignment assignment.csv
                      (--outcome later.csv --product COL | --responders ids.csv)

new: picks the audience (the named RFM segments of --rfm, on a transaction file or its per-customer
table; non-holders of --product, cut by propensity), takes out deceased
(indfall=S), opted-out and employee (ind_empleado) customers and the --suppress list, and holds back
a control group stratified by score decile. --assignment gets both groups (keep it private: it
names the held-back customers); --treatment only the customers to contact.
results: conversion per group, the lift with its 95% Newcombe–Wilson interval and a verdict.
`;

function usageError(message: string): BadInputError {
  return new BadInputError(message, { hint: 'Run `segbot campaign --help` for the options.' });
}

function write(io: CliIo, path: string, text: string): Promise<void> {
  return io.writeFile(path, text).catch((error: unknown) => Promise.reject(fileError(path, error, 'write')));
}

const count = (n: number): string => n.toLocaleString('en-US');
const percent = (p: number): string => `${(p * 100).toFixed(1)}%`;

function parseCut(values: { top?: string | undefined; deciles?: string | undefined }): ScoreCut | null {
  if (values.top !== undefined && values.deciles !== undefined)
    throw usageError('Give --top or --deciles, not both.');
  if (values.top !== undefined) {
    const n = Number(values.top);
    if (!Number.isSafeInteger(n) || n < 1)
      throw usageError(`--top must be a whole number above 0, got "${values.top}".`);
    return { kind: 'top', count: n };
  }
  if (values.deciles !== undefined) {
    const match = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(values.deciles.trim());
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (!match || from < 1 || to > 10 || from > to)
      throw usageError(`--deciles must be like 1-2 within 1..10, got "${values.deciles}".`);
    return { kind: 'deciles', from, to };
  }
  return null;
}

function parseHoldout(text: string | undefined): number {
  if (text === undefined) return 0.1;
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const share = match ? Number(match[1]) / 100 : Number.NaN;
  if (!(share >= 0.05 && share <= 0.2)) throw usageError(`--holdout must be from 5% to 20%, got "${text}".`);
  return share;
}

async function runNew(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: {
        assignment: { type: 'string' },
        treatment: { type: 'string' },
        product: { type: 'string' },
        top: { type: 'string' },
        deciles: { type: 'string' },
        holdout: { type: 'string' },
        seed: { type: 'string' },
        suppress: { type: 'string' },
        exclude: { type: 'string' },
        rfm: { type: 'string' },
      },
    },
    usageError,
  );
  if (positionals.length !== 1)
    throw usageError('Give exactly one customer CSV: segbot campaign new customers.csv --assignment a.csv');
  if (!values.assignment) throw usageError('Say where the assignment goes: --assignment assignment.csv');
  const cut = parseCut(values);
  if (cut && !values.product)
    throw usageError('--top and --deciles cut by propensity, so they need --product.');
  const holdout = parseHoldout(values.holdout);
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw usageError(`--seed must be a whole number, got "${values.seed}".`);
  const file = positionals[0]!;
  // A transaction file is aggregated per customer first, as on upload.
  const ingest = await ingestUpload(await readInput(io, file), { fileName: basename(file) }, ingestCsv);
  const ids = customerIdsOf(ingest);
  const rfm = values.rfm === undefined ? null : rfmAudience(values.rfm, ingest);
  let scores: Map<number, number> | null = null;
  let baseRate = 0.1;
  if (values.product) {
    const { result } = await trainPropensity(ingest, { product: values.product, seed });
    scores = new Map(result.scores.map((s) => [s.row, s.probability]));
    baseRate = result.baseRate;
  }
  const listed = values.suppress
    ? new Set(
        parseCustomerList(
          new TextDecoder().decode(await readInput(io, values.suppress)),
          ingest.schema.idColumn,
        ),
      )
    : new Set<string>();
  const suppression = findSuppressed(ingest.table, ids, listed);
  const audience = buildAudience({
    ids,
    labels: rfm?.labels ?? null,
    segments: rfm ? new Set(rfm.chosen.map((s) => s.index)) : null,
    scores,
    cut,
    suppression,
    exclude: new Set(
      (values.exclude ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
    holdout,
    seed,
  });
  const members = audience.members.map((m) => ({
    ...m,
    segment: rfm ? (RFM_RULES[m.segment]?.name ?? '') : '',
  }));
  await write(
    io,
    values.assignment,
    toCsv(
      ['customer_id', 'group', 'segment', 'score', 'decile'],
      members.map((m) => [
        m.customerId,
        m.group,
        m.segment,
        m.score === null ? null : Math.round(m.score * 10_000) / 10_000,
        m.decile,
      ]),
    ),
  );
  if (values.treatment) await write(io, values.treatment, treatmentCsv(members));
  const taken = SUPPRESSION_REASONS.map((r) => `${count(audience.suppressed[r])} ${r}`).join(', ');
  const power = powerStatement({
    treatment: audience.treatment,
    control: audience.control,
    baseRate,
    lift: 0.03,
  });
  io.stdout(
    `Audience: ${rfm ? `RFM segments ${rfm.chosen.map((s) => s.name).join(', ')}: ` : ''}${count(audience.eligible)} picked; never contacted: ${taken}; excluded: ${count(audience.excluded)}.\n` +
      `Split: ${count(audience.treatment)} to contact, ${count(audience.control)} held back (${percent(holdout)}), seed ${seed}, stratified by ${rfm ? 'RFM segment × ' : ''}score decile.\n` +
      `${power.text}\n` +
      `Assignment (both groups; keep it private): ${values.assignment}${values.treatment ? `\nTreatment list: ${values.treatment}` : ''}\n`,
  );
  return 0;
}

/** The named RFM segments asked for with --rfm, and each customer's RFM segment (an RFM_RULES index). */
function rfmAudience(
  text: string,
  ingest: IngestResult,
): { chosen: { index: number; name: string }[]; labels: Int32Array } {
  const queries = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (queries.length === 0)
    throw usageError('--rfm needs RFM segment names, e.g. --rfm "At risk,Hibernating".');
  const chosen = [...new Map(queries.map((q) => matchRfmSegment(q)).map((s) => [s.index, s])).values()];
  return { chosen, labels: rfmLabels(ingest.table, ingest.schema.idColumn) };
}

/** Reads an assignment file written by `segbot campaign new` (formula guards undone). */
export function parseAssignment(text: string): AssignedMember[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return rows.map((row, i) => {
    const group = row.group;
    const id = (row.customer_id ?? '').replace(/^'(?=[=+\-@\t\r])/, '');
    if ((group !== 'treatment' && group !== 'control') || id === '') {
      throw new BadInputError(
        `The assignment file has no customer_id and group (treatment or control) on line ${i + 2}.`,
        {
          hint: 'Give the --assignment file that `segbot campaign new` wrote.',
        },
      );
    }
    return { customerId: id, group };
  });
}

async function runResults(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(
    {
      args,
      strict: true,
      options: {
        assignment: { type: 'string' },
        outcome: { type: 'string' },
        product: { type: 'string' },
        responders: { type: 'string' },
      },
    },
    usageError,
  );
  if (!values.assignment) throw usageError('Give the assignment: --assignment assignment.csv');
  if (!values.outcome === !values.responders)
    throw usageError('Give either --outcome later.csv --product COL or --responders ids.csv.');
  const members = parseAssignment(new TextDecoder().decode(await readInput(io, values.assignment)));
  let outcome: CampaignOutcome;
  if (values.responders) {
    outcome = outcomeFromResponders(
      members,
      parseCustomerList(new TextDecoder().decode(await readInput(io, values.responders)), null),
    );
  } else {
    if (!values.product) throw usageError('--outcome needs --product COL: the flag that turned from 0 to 1.');
    const later = await ingestCsv(await readInput(io, values.outcome!), {
      fileName: basename(values.outcome!),
    });
    const { column: name } = resolveProduct(later, values.product);
    const column = later.table.columns.find((c) => c.name === name)!;
    const rowOf = new Map<string, number>();
    customerIdsOf(later).forEach((id, row) => {
      if (!rowOf.has(id)) rowOf.set(id, row);
    });
    outcome = outcomeFromLaterUpload(members, (id) => {
      const row = rowOf.get(id);
      return row === undefined ? null : flagValue(cellText(column, row)) === 1;
    });
  }
  const lift = measureLift(outcome.treatment, outcome.control);
  const relative = lift.relativeLift === null ? 'not defined' : `${(lift.relativeLift * 100).toFixed(1)}%`;
  io.stdout(
    `Contacted: ${percent(lift.treatment.rate)} converted (${count(lift.treatment.conversions)} of ${count(lift.treatment.customers)})\n` +
      `Held back: ${percent(lift.control.rate)} converted (${count(lift.control.conversions)} of ${count(lift.control.customers)})\n` +
      `Relative lift: ${relative}; incremental conversions: ${count(Math.round(lift.incrementalConversions))}\n` +
      `${outcome.unmatched > 0 ? `${count(outcome.unmatched)} members not in the outcome file, left out.\n` : ''}` +
      `Verdict: ${lift.verdictText}\n`,
  );
  return 0;
}

/** Runs `segbot campaign …`. */
export async function runCampaign(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h' || rest.includes('--help')) {
    io.stdout(CAMPAIGN_USAGE);
    return action === undefined ? 2 : 0;
  }
  try {
    if (action === 'new') return await runNew(rest, io);
    if (action === 'results') return await runResults(rest, io);
  } catch (error) {
    // node:util's parseArgs throws plain errors for unknown options; those are usage mistakes.
    if (error instanceof TypeError) throw usageError(error.message);
    throw error;
  }
  throw usageError(`Unknown campaign action "${action}": use new or results.`);
}
