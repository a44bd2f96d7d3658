/**
 * `segbot predict customers.csv --product COL [--features a,b] [--exclude a,b] [--customers ids.csv]
 * [--score new.csv] [--top N]
 * [--seed S] [--trees N] [--json out.json] [--csv scores.csv]`: trains a propensity model for one product, prints its
 * held-out quality in numbers and plain words, the features that drive it and which way, rules for
 * a campaign tool and the top customers; with --json or --csv also writes every score (with each
 * customer's three strongest reasons) for other tools.
 */
import { basename } from 'node:path';
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import { scoresCsv } from '../analytics/predict/csv-export.js';
import { parseCustomerList } from '../analytics/predict/customer-list.js';
import { modelComparison } from '../analytics/predict/evaluate.js';
import {
  type CustomerScore,
  chooseFeatures,
  type FeatureSelection,
  type PropensityResult,
  resolveProduct,
  scoreTable,
  splitTarget,
  trainPropensity,
} from '../analytics/predict/train-propensity.js';
import { callingThreadTrees, type TreeRunner } from '../analytics/predict/tree-runner.js';
import type { IngestResult } from '../analytics/types.js';
import { BadInputError } from '../errors.js';
import { type CliIo, fileError, readInput } from './io.js';
import { parseCliArgs } from './parse-cli-args.js';

export const PREDICT_USAGE = `Usage: segbot predict <customers.csv> --product COL [options]

Trains three models of who holds a product on the other columns (gradient-boosted trees, a
random forest, a logistic regression), keeps the one with the best AUC on a validation slice of
the training customers, reports all three on customers none of them saw, and lists the customers
who do not hold the product yet, most likely first.

Options:
  --product COL       the product column to predict, by column name or readable name (required);
                      any two-valued column with the value to predict: --product "Attrition_Flag=Attrited Customer"
                      (default: the holding value of a yes/no or 0/1 flag, else the rarer value)
  --customers ids.csv score exactly these customers (one id per line, or a CSV with an id column)
  --score new.csv     apply the model to another file with the same columns (new customers,
                      prospects); its product column may be absent, and columns it lacks are
                      left out of training
  --features a,b      use only these columns as features
  --exclude a,b       never use these columns (e.g. one recorded after the outcome)
  --top N             customers to print (default: 10)
  --seed S            random seed; the same seed gives the same model (default: 42)
  --trees N           trees in the random forest (default: 100; boosting stops on its own)
  --json out.json     also write the metrics, the rules and every score as JSON
  --csv scores.csv    also write every score as CSV, with each customer's three strongest
                      reasons (reason_1..reason_3, e.g. "balance high (+8 pts)": the feature's
                      typical push on the probability at the customer's value, in points)
  -h, --help          show this help
`;

export interface PredictCommand {
  file: string;
  product: string;
  selection: FeatureSelection;
  customers: string | undefined;
  score: string | undefined;
  top: number;
  seed: number;
  trees: number;
  json: string | undefined;
  csv: string | undefined;
}

function usageError(message: string): BadInputError {
  return new BadInputError(message, { hint: 'Run `segbot predict --help` for the options.' });
}

function wholeNumber(
  text: string | undefined,
  fallback: number,
  option: string,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw usageError(`${option} must be a whole number from ${min} to ${max}, got "${text}".`);
  }
  return value;
}

/** Parses and validates the arguments after `segbot predict`; `null` means help was asked for. */
export function parsePredictArgs(args: string[]): PredictCommand | null {
  const { values, positionals } = parseOptions(args);
  if (values.help) return null;
  if (positionals.length === 0) {
    throw usageError('Give the customer CSV: segbot predict customers.csv --product has_personal_loan');
  }
  if (positionals.length > 1) {
    throw usageError(`Give exactly one CSV file, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const product = values.product?.trim();
  if (!product)
    throw usageError('Say which product to predict: --product COLUMN (e.g. --product has_personal_loan).');
  for (const option of ['customers', 'score', 'json', 'csv'] as const) {
    if (values[option] !== undefined && values[option].trim() === '') {
      throw usageError(`--${option} needs a file name.`);
    }
  }
  return {
    file: positionals[0]!,
    product,
    selection: {
      features: values.features === undefined ? null : columnList(values.features, '--features'),
      exclude: values.exclude === undefined ? [] : columnList(values.exclude, '--exclude'),
    },
    customers: values.customers,
    score: values.score,
    top: wholeNumber(values.top, 10, '--top', 0, 1_000_000),
    seed: wholeNumber(values.seed, 42, '--seed', -(2 ** 31), 2 ** 31),
    trees: wholeNumber(values.trees, 100, '--trees', 1, 2000),
    json: values.json,
    csv: values.csv,
  };
}

function columnList(text: string, option: string): string[] {
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0)
    throw usageError(`${option} needs column names separated by commas, e.g. ${option} age,balance.`);
  return names;
}

/** A shell word: quoted when it holds anything the shell would read specially. */
const shellWord = (word: string): string =>
  /^[\w.,/=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/** The command line that repeats this run without the flagged features. */
export function excludeCommandLine(
  command: PredictCommand,
  product: string,
  flagged: readonly string[],
): string {
  const exclude = [...new Set([...command.selection.exclude, ...flagged])];
  const parts = ['segbot predict', shellWord(command.file), '--product', shellWord(product)];
  if (command.selection.features) parts.push('--features', shellWord(command.selection.features.join(',')));
  parts.push('--exclude', shellWord(exclude.join(',')));
  if (command.score !== undefined) parts.push('--score', shellWord(command.score));
  if (command.seed !== 42) parts.push('--seed', String(command.seed));
  return parts.join(' ');
}

function parseOptions(args: string[]) {
  return parseCliArgs(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: {
        product: { type: 'string' },
        customers: { type: 'string' },
        score: { type: 'string' },
        features: { type: 'string' },
        exclude: { type: 'string' },
        top: { type: 'string' },
        seed: { type: 'string' },
        trees: { type: 'string' },
        json: { type: 'string' },
        csv: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    usageError,
  );
}

const count = (n: number): string => n.toLocaleString('en-US');
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
const pad = (text: string, width: number): string => text.padEnd(width);
const padStart = (text: string, width: number): string => text.padStart(width);

/** The terminal summary of a trained model. */
export function formatPredictSummary(result: PropensityResult, file: string): string {
  const lines = [
    `segbot predict: ${file}, product ${result.product}${result.label !== result.product ? ` (${result.label})` : ''}`,
  ];
  lines.push(
    `Customers: ${count(result.customers)}, ${result.holding ? `${count(result.holders)} hold ${result.label}` : `${result.label}: ${count(result.holders)}`} (${percent(result.baseRate)})${result.askedValue === null && !result.holding ? `; predicting the rarer value, ${result.positive}` : ''}`,
  );
  if (!result.trusted || result.auc === null || result.heldOut === null) {
    lines.push('', result.summary, '');
    return lines.join('\n');
  }
  lines.push(
    `Held out for testing: ${count(result.heldOut.customers)} customers never used in training (${count(result.heldOut.holders)} holders)`,
    `  ROC AUC               ${result.auc.toFixed(3)}`,
    ...(result.models.length > 0 ? [`  ${modelComparison(result.model, result.models)}`] : []),
    `  Top-decile precision  ${percent(result.precisionTopDecile ?? 0)} vs a base rate of ${percent(result.baseRate)}`,
    `  Top-decile lift       ${(result.liftTopDecile ?? 0).toFixed(2)}x`,
    '',
    result.summary,
    '',
    'By decile of the score (1 = most likely), on the held-out customers:',
    `  ${pad('decile', 8)}${padStart('customers', 10)}${padStart('holders', 9)}${padStart('rate', 8)}${padStart('lift', 7)}${padStart('found', 8)}${padStart('predicted', 11)}`,
  );
  for (const row of result.gains) {
    lines.push(
      `  ${pad(String(row.decile), 8)}${padStart(count(row.customers), 10)}${padStart(count(row.holders), 9)}${padStart(percent(row.rate), 8)}${padStart(row.lift.toFixed(2), 7)}${padStart(percent(row.cumulativeShare), 8)}${padStart(percent(row.meanPredicted), 11)}`,
    );
  }
  lines.push('', `What drives the score (${driverMeasure(result.model)}, and which way):`);
  const width = Math.max(...result.importances.slice(0, 8).map((f) => f.feature.length), 8) + 2;
  for (const f of result.importances.slice(0, 8)) {
    const driver = result.drivers.find((d) => d.feature === f.feature);
    lines.push(
      `  ${pad(f.feature, width)}${padStart(percent(f.importance), 6)}${driver ? `   ${driver.text}` : ''}`,
    );
  }
  lines.push(...rulesLines(result));
  if (result.customerList) {
    const list = result.customerList;
    lines.push(
      '',
      `Customer list: ${count(list.requested)} ids, ${count(list.matched)} found in the dataset`,
    );
    if (list.unknown.length > 0) {
      lines.push(
        `  ${count(list.unknown.length)} not in the dataset (not scored): ${list.unknown.slice(0, 10).join(', ')}${list.unknown.length > 10 ? ', …' : ''}`,
      );
    }
    if (list.duplicates.length > 0) {
      lines.push(
        `  ${count(list.duplicates.length)} listed more than once (scored once): ${list.duplicates.slice(0, 10).join(', ')}${list.duplicates.length > 10 ? ', …' : ''}`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** What the drivers' shares measure, for the chosen model. */
function driverMeasure(model: PropensityResult['model']): string {
  if (model === 'boosting') return 'share of the boosted trees’ loss reduction';
  if (model === 'logistic') return 'share of the logistic regression’s standardized weights';
  return 'share of the forest’s splitting power';
}

/** The shallow tree's rules with their held-out rates, for a campaign tool. */
export function rulesLines(result: Pick<PropensityResult, 'rules' | 'label'>): string[] {
  const rules = result.rules;
  if (!rules || rules.rules.length === 0) return [];
  return [
    '',
    `Rules for a campaign tool (share with ${result.label} among the ${count(rules.customers)} held-out customers; ${percent(rules.baseRate)} overall):`,
    ...rules.rules.map(
      (rule) =>
        `  ${rule.kind === 'low' ? 'leave out: ' : ''}${rule.text}: ${percent(rule.rate)} (${count(rule.positives)} of ${count(rule.customers)})`,
    ),
  ];
}

function topLines(scores: readonly CustomerScore[], top: number, heading: string): string {
  if (top === 0 || scores.length === 0) return '';
  const shown = scores.slice(0, top);
  const width = Math.max(...shown.map((s) => s.customerId.length), 11) + 2;
  const lines = [
    heading,
    `  ${pad('customer', width)}${padStart('probability', 11)}${padStart('decile', 8)}  strongest reasons`,
  ];
  for (const s of shown) {
    lines.push(
      `  ${pad(s.customerId, width)}${padStart(s.probability.toFixed(3), 11)}${padStart(String(s.decile), 8)}  ${s.reasons.slice(0, 2).join('; ')}${s.holds ? '  (already holds it)' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The feature columns the model would use that the file to score lacks. */
function columnsMissingFrom(
  ingest: IngestResult,
  command: PredictCommand,
  scoreIngest: IngestResult,
): string[] {
  const { column } = resolveProduct(ingest, splitTarget(command.product).name);
  const present = new Set(scoreIngest.table.columns.map((c) => c.name));
  return chooseFeatures(ingest, column, command.selection)
    .map((r) => r.name)
    .filter((name) => !present.has(name));
}

/** Runs `segbot predict`; returns the exit code. Errors propagate to the dispatcher. */
export async function runPredict(
  args: string[],
  io: CliIo,
  trees: TreeRunner = callingThreadTrees,
): Promise<number> {
  const command = parsePredictArgs(args);
  if (command === null) {
    io.stdout(PREDICT_USAGE);
    return 0;
  }
  const fileName = basename(command.file);
  const ingest = await ingestCsv(await readInput(io, command.file), { fileName });
  let customers: string[] | undefined;
  if (command.customers !== undefined) {
    const text = new TextDecoder().decode(await readInput(io, command.customers));
    customers = parseCustomerList(text, ingest.schema.idColumn);
  }
  // The other file is read and checked before training, so a wrong path fails fast.
  const scoreIngest =
    command.score === undefined
      ? undefined
      : await ingestCsv(await readInput(io, command.score), { fileName: basename(command.score) });
  // Columns the other file lacks cannot be scored there, so the model does without them.
  const leftOut = scoreIngest ? columnsMissingFrom(ingest, command, scoreIngest) : [];
  const selection: FeatureSelection = {
    features: command.selection.features,
    exclude: [...command.selection.exclude, ...leftOut],
  };
  const { result, model } = await trainPropensity(
    ingest,
    {
      product: command.product,
      selection,
      seed: command.seed,
      forest: { nTrees: command.trees },
      customers,
      customersFile: command.customers === undefined ? undefined : basename(command.customers),
    },
    trees,
  );
  let scores = result.scores;
  let scoredFile = fileName;
  if (scoreIngest && model) {
    scores = await scoreTable(model, scoreIngest, trees);
    scoredFile = scoreIngest.table.fileName;
  }
  if (command.json !== undefined) {
    const json = {
      file: fileName,
      ...result,
      leftOutOfTraining: leftOut,
      scoredFile,
      scores: scores.map((s) => ({
        customerId: s.customerId,
        probability: s.probability,
        decile: s.decile,
        holds: s.holds,
        reasons: s.reasons,
      })),
    };
    try {
      await io.writeFile(command.json, `${JSON.stringify(json, null, 2)}\n`);
    } catch (error) {
      throw fileError(command.json, error, 'write');
    }
  }
  if (command.csv !== undefined && result.trusted) {
    try {
      await io.writeFile(command.csv, scoresCsv(scores));
    } catch (error) {
      throw fileError(command.csv, error, 'write');
    }
  }
  io.stdout(formatPredictSummary(result, fileName));
  if (leftOut.length > 0 && scoreIngest) {
    io.stdout(
      `Left out of training because ${scoreIngest.table.fileName} lacks them: ${leftOut.join(', ')}.\n\n`,
    );
  }
  if (result.leakage.length > 0) {
    io.stdout(
      `Warning: check these features before trusting the numbers above.\n${result.warnings.map((w) => `  ${w}`).join('\n')}\nIf they are recorded after the customer decides, leave them out:\n  ${excludeCommandLine(
        command,
        result.product,
        result.leakage.map((f) => f.feature),
      )}\n\n`,
    );
  }
  if (result.trusted) {
    const who = result.customerList
      ? 'listed customers'
      : scoreIngest
        ? `customers in ${scoredFile}`
        : `customers without ${result.label}`;
    io.stdout(
      topLines(
        scores,
        command.top,
        `Top ${Math.min(command.top, scores.length)} of ${count(scores.length)} ${who}, most likely first:`,
      ),
    );
  }
  if (command.json !== undefined) io.stdout(`Full result written to ${command.json}\n`);
  if (command.csv !== undefined) {
    io.stdout(
      result.trusted
        ? `Scores with reasons written to ${command.csv}\n`
        : `Nothing written to ${command.csv}: the model is not trusted (see above).\n`,
    );
  }
  return 0;
}
