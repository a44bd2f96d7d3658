/**
 * `/segbot predict <product> [features=a,b] [exclude=a,b] [segment=<name>] [top=N] [seed=N] [list]`:
 * trains (or reuses, while the dataset is unchanged) a propensity model for one product on the channel's latest dataset,
 * then posts its held-out quality in plain words, a gains chart, the drivers of the score and the
 * top customers, and uploads the full scored list as a CSV. With `list`, scores exactly the
 * customers of the newest CSV shared in the channel.
 *
 * Customer ids (the top list, the CSV) go only to channels an admin allowed; elsewhere the model's
 * quality and charts are posted and the note says why the list is not.
 */
import { featureImportancesSpec } from '../charts/specs/feature-importances.js';
import { gainsChartSpec } from '../charts/specs/gains-chart.js';
import { scoresCsvPieces } from '../src/analytics/predict/csv-export.js';
import { parseCustomerList } from '../src/analytics/predict/customer-list.js';
import {
  type CustomerScore,
  chooseFeatures,
  type FeatureSelection,
  type PropensityResult,
  resolveProduct,
  splitTarget,
} from '../src/analytics/predict/train-propensity.js';
import { BadInputError, NotFoundError } from '../src/errors.js';
import { yieldToEventLoop } from '../src/event-loop.js';
import { type Prediction, predictProduct, storedChoices } from '../src/services/predict-product.js';
import { predictionButtons } from '../src/slack/blocks/buttons.js';
import { formatCount } from '../src/slack/blocks/format.js';
import { predictionMessage, predictionScope } from '../src/slack/blocks/predict-blocks.js';
import { downloadSlackFile } from '../src/slack/download-file.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { startProgress } from '../src/slack/post-message.js';
import { errorText, safeErrorFields } from '../src/slack/report-error.js';
import { fileDisplayName, findRecentCsvs, type SharedFile } from '../src/slack/shared-files.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { type CommandContext, requireLatestDataset, runQueued } from './context.js';
import type { DatasetRecord } from './deps.js';
import { closest, DEFAULT_SEED, parseOptions } from './parse-args.js';

export interface PredictArgs {
  product: string;
  /** features= and exclude=, as typed (resolved against the data later). */
  selection: FeatureSelection;
  segment: string | undefined;
  top: number;
  seed: number;
  list: boolean;
}

export const MAX_TOP = 50;

const PREDICT_OPTIONS = ['segment', 'top', 'seed', 'features', 'exclude'];

/** Reads `/segbot predict` arguments: the product (words), `list`, and key=value options. */
export function parsePredictArgs(args: string[]): PredictArgs {
  // The target comes first and may be "COL=VALUE" with spaces in the value
  // ("Attrition_Flag=Attrited Customer"): the words up to the first option are the target.
  const leading: string[] = [];
  for (const word of args) {
    const at = word.indexOf('=');
    if (at >= 0) {
      const key = word.slice(0, at).trim().toLowerCase();
      const isOption = PREDICT_OPTIONS.includes(key) || closest(key, PREDICT_OPTIONS) !== null;
      if (isOption || leading.some((w) => w.includes('=')) || leading.length > 0) break;
    }
    leading.push(word);
  }
  const { options, positional } = parseOptions(
    args.slice(leading.length),
    {
      segment: { parse: (v) => v, expected: 'a segment name or number', example: 'segment=revolvers' },
      top: {
        parse: (v) => {
          const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
          if (!Number.isInteger(n) || n < 0 || n > MAX_TOP) throw new Error('bad top');
          return n;
        },
        expected: `a whole number from 0 to ${MAX_TOP}`,
        example: 'top=10',
      },
      features: {
        parse: columnList,
        expected: 'column names separated by commas',
        example: 'features=age,balance',
      },
      exclude: {
        parse: columnList,
        expected: 'column names separated by commas',
        example: 'exclude=duration',
      },
      seed: {
        parse: (v) => {
          if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new Error('bad seed');
          return Number(v);
        },
        expected: 'a whole number',
        example: 'seed=42',
      },
    },
    { command: 'predict', allowPositional: true },
  );
  const words = [...leading, ...positional];
  const list = words.length > 0 && words[words.length - 1]!.toLowerCase() === 'list';
  if (list) words.pop();
  const product = words.join(' ').trim();
  if (product === '') {
    throw new BadInputError('Say which product to predict.', {
      hint: 'For example `/segbot predict credit card top=10`; `/segbot products` lists the products in your data.',
    });
  }
  return {
    product,
    selection: { features: options.features ?? null, exclude: options.exclude ?? [] },
    segment: options.segment,
    top: options.top ?? 10,
    seed: options.seed ?? DEFAULT_SEED,
    list,
  };
}

function columnList(value: string): string[] {
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) throw new Error('no names');
  return names;
}

/**
 * The command that repeats this prediction without the flagged features: what the person typed,
 * with the flagged columns added to exclude=.
 */
export function excludeCommand(args: PredictArgs, product: string, flagged: readonly string[]): string {
  const exclude = [...new Set([...args.selection.exclude, ...flagged])];
  const parts = ['/segbot predict', args.product.includes('=') ? args.product : product];
  if (args.selection.features) parts.push(`features=${args.selection.features.join(',')}`);
  parts.push(`exclude=${exclude.join(',')}`);
  if (args.segment !== undefined) parts.push(`segment=${args.segment}`);
  if (args.seed !== DEFAULT_SEED) parts.push(`seed=${args.seed}`);
  if (args.list) parts.push('list');
  return parts.join(' ');
}

/**
 * Whether a CSV is a list of customer ids rather than a customer table: its header line has a
 * single column. A table needs behaviour columns to be segmented or modelled, so a one-column file
 * can only be meant as a list of customers to score.
 */
export function looksLikeCustomerList(firstBytes: Uint8Array): boolean {
  const text = new TextDecoder().decode(firstBytes).replace(/^\uFEFF/, '');
  const header = text.split(/\r?\n/).find((line) => line.trim() !== '');
  if (header === undefined) return false;
  const cells = header.split(/[,;\t]/).filter((cell) => cell.trim() !== '');
  return cells.length === 1;
}

/** The reply to a customer list shared as if it were data: what it looks like and how to use it. */
export function customerListNotice(fileName: string): string {
  return `:clipboard: ${escapeSlackText(fileName)} looks like a customer list (one column of ids, no behaviour columns), so it was not imported as a dataset; the channel’s data is unchanged.\nTo score these customers, type \`/segbot predict <product> list\` (\`/segbot products\` lists the products).`;
}

/** How many of the newest CSVs in the channel are checked for a customer list. */
const LIST_LOOKBACK_FILES = 10;

async function downloadOf(ctx: CommandContext, shared: SharedFile): Promise<AsyncIterable<Uint8Array>> {
  let file = shared;
  if (!file.url_private_download && !file.url_private) {
    const info = await ctx.client.files.info({ file: file.id });
    file = { ...file, ...(info.file as SharedFile | undefined) };
  }
  const url = file.url_private_download ?? file.url_private;
  const name = fileDisplayName(file);
  if (!url || !ctx.botToken) {
    throw new BadInputError(`segbot could not download ${name}.`, {
      hint: 'Share the list again as a file upload.',
    });
  }
  return downloadSlackFile({
    url,
    token: ctx.botToken,
    fileName: name,
    maxBytes: ctx.deps.config.maxUploadBytes,
    fetch: ctx.deps.fetch,
  });
}

/**
 * The ids of the newest customer list (a one-column CSV) shared by a person in the channel. Data
 * files shared since are skipped, so a list shared just before the command is found either way.
 */
export async function readSharedIds(
  ctx: CommandContext,
  idColumn: string | null,
): Promise<{ ids: string[]; file: string }> {
  for (const file of await findRecentCsvs(ctx.client, ctx.channelId, LIST_LOOKBACK_FILES)) {
    const parts: Uint8Array[] = [];
    let isList: boolean | null = null;
    for await (const chunk of await downloadOf(ctx, file)) {
      parts.push(chunk);
      // The header decides; a data file is left after its first chunk, not downloaded whole.
      isList ??= looksLikeCustomerList(chunk);
      if (!isList) break;
    }
    if (isList) {
      const text = new TextDecoder().decode(Buffer.concat(parts));
      return { ids: parseCustomerList(text, idColumn), file: fileDisplayName(file) };
    }
  }
  throw new NotFoundError(
    'There is no customer list in this channel to score.',
    'Share a CSV with one column of customer ids (the same ids as in the data), then type `/segbot predict <product> list` again.',
  );
}

/** Runs `/segbot predict`. */
export async function runPredict(ctx: CommandContext): Promise<void> {
  const args = parsePredictArgs(ctx.args);
  const { deps } = ctx;
  // Fail fast, before the queue: no data yet, unknown product, a list in a channel that may not see ids.
  const first = await requireLatestDataset(ctx);
  const source = { schema: first.schema, table: { fileName: first.fileName } };
  const target = splitTarget(args.product);
  const firstProduct = resolveProduct(source, target.name);
  // A misspelt features= or exclude= column fails here, before the queue.
  chooseFeatures(source, firstProduct.column, args.selection);
  if (args.list) await deps.guard.requireCustomerLevelChannel(ctx.channelId, 'scores for a customer list');
  const customerLevel = await deps.guard.canReceiveCustomerLevel(ctx.channelId);
  const shared = args.list ? await readSharedIds(ctx, first.schema.idColumn) : null;

  await runQueued(ctx, 'predict', 'prediction', async (job) => {
    const dataset: DatasetRecord = await requireLatestDataset(ctx);
    const { column, label } = resolveProduct(
      { schema: dataset.schema, table: { fileName: dataset.fileName } },
      target.name,
    );
    const progress = await startProgress(ctx.client, {
      channelId: ctx.channelId,
      text: `:hourglass_flowing_sand: Predicting who takes up ${escapeSlackText(label)} in ${escapeSlackText(dataset.fileName)} (v${dataset.version}, ${formatCount(dataset.rowCount)} customers)…`,
      logger: deps.logger,
    });
    await job.setProgressTs(progress.ts);
    let prediction: Prediction;
    try {
      prediction = await predictProduct(deps, {
        channelId: ctx.channelId,
        dataset,
        product: column,
        positive: target.asked,
        selection: args.selection,
        seed: args.seed,
        ...(shared ? { customers: shared } : {}),
        ...(args.segment ? { segment: args.segment } : {}),
        signal: job.signal,
      });
    } catch (error) {
      const text = errorText(error, deps.logger, 'predict');
      job.markFailed(error);
      await progress.finish(
        `:x: The prediction for ${escapeSlackText(label)} failed; nothing was changed.\n${text}`,
      );
      return;
    }
    const { result, reused, segmentName } = prediction;
    const scope = predictionScope({
      label,
      segment: segmentName ?? undefined,
      listFile: shared?.file,
    });
    deps.logger.info(
      {
        channelId: ctx.channelId,
        datasetId: dataset.id,
        product: column,
        auc: result.auc,
        trusted: result.trusted,
        reused,
      },
      'prediction completed',
    );
    const message = predictionMessage(result, {
      fileName: dataset.fileName,
      version: dataset.version,
      top: args.top,
      customerLevel,
      reused,
      scope,
      excludeCommand: (flagged) => excludeCommand(args, column, flagged),
    });
    // Next steps on a trusted score of the channel's data (a customer list's scores are the list's own).
    if (result.trusted && !shared) {
      message.blocks.push(
        predictionButtons({
          datasetId: dataset.id,
          product: column,
          segment: await segmentNumberOf(ctx, dataset, segmentName),
          customerLevel,
        }),
      );
    }
    await progress.finish(message.text, message.blocks);
    if (!result.trusted) return;
    await postCharts(ctx, result);
    if (customerLevel && result.scores.length > 0) await uploadScores(ctx, result, dataset);
  });
}

/** The number (from 1) of the named segment in the dataset's latest run, for the buttons. */
async function segmentNumberOf(
  ctx: CommandContext,
  dataset: DatasetRecord,
  name: string | null,
): Promise<number | null> {
  if (name === null) return null;
  const run = await ctx.deps.runs.latestRun(ctx.channelId, { status: 'done' });
  if (!run || run.datasetId !== dataset.id) return null;
  const index = run.segments.findIndex((s) => s.name === name);
  return index < 0 ? null : index + 1;
}

/**
 * The "Export scored CSV" button: the scored list of `product` (in `segment`, a number) again,
 * from the newest stored model and with its choices (reused while the data is unchanged).
 * Customer ids: allowed channels only.
 */
export async function exportScores(
  ctx: CommandContext,
  request: { product: string; segment: number | null },
): Promise<void> {
  const { deps } = ctx;
  await deps.guard.requireCustomerLevelChannel(ctx.channelId, 'scored customer lists');
  const first = await requireLatestDataset(ctx);
  resolveProduct({ schema: first.schema, table: { fileName: first.fileName } }, request.product);
  await runQueued(ctx, 'predict', 'prediction', async (job) => {
    const dataset = await requireLatestDataset(ctx);
    const { column } = resolveProduct(
      { schema: dataset.schema, table: { fileName: dataset.fileName } },
      request.product,
    );
    // The prediction the button sat under: its features, excluded columns and value, as stored.
    const choices = await storedChoices(deps, ctx.channelId, dataset, column);
    const { result } = await predictProduct(deps, {
      channelId: ctx.channelId,
      dataset,
      product: column,
      seed: DEFAULT_SEED,
      ...choices,
      ...(request.segment !== null ? { segment: String(request.segment) } : {}),
      signal: job.signal,
    });
    if (!result.trusted || result.scores.length === 0) {
      throw new BadInputError(`There is no trusted score for ${result.label} to export.`, {
        hint: `\`/segbot predict ${request.product}\` says why the model is not trusted.`,
      });
    }
    await uploadScores(ctx, result, dataset);
  });
}

async function postCharts(ctx: CommandContext, result: PropensityResult): Promise<void> {
  const { deps } = ctx;
  const charts = [];
  try {
    charts.push({
      name: `gains-${result.product}`,
      title: `Gains: ${result.label}`,
      altText: `Share of ${result.label} holders found when contacting customers in score order, against contacting at random.`,
      spec: gainsChartSpec({
        product: result.label,
        points: result.gains.map((row) => ({ population: row.decile / 10, captured: row.cumulativeShare })),
      }),
    });
    charts.push({
      name: `drivers-${result.product}`,
      title: `What drives ${result.label}`,
      altText: `The features that drive the ${result.label} score, as shares of the chosen model's importance.`,
      spec: featureImportancesSpec(result.importances, { product: result.label }),
    });
  } catch (error) {
    deps.logger.error(safeErrorFields(error, 'prediction chart spec'), 'chart spec failed');
  }
  const uploader = createChartUploader({
    client: ctx.client,
    renderChart: deps.renderChart,
    logger: deps.logger,
  });
  await uploader.postCharts(
    { channelId: ctx.channelId, comment: `Charts for ${escapeSlackText(result.label)}` },
    charts,
  );
}

async function uploadScores(
  ctx: CommandContext,
  result: PropensityResult,
  dataset: DatasetRecord,
): Promise<void> {
  const { deps } = ctx;
  // The segment of each scored customer, from the latest segmentation of this dataset when there is one.
  let segmentOf: ((score: CustomerScore) => string) | undefined;
  const run = await deps.runs.latestRun(ctx.channelId, { status: 'done' });
  if (run && run.datasetId === dataset.id) {
    try {
      const labels = await deps.runs.loadAssignments(run.id);
      const names = new Map(run.segments.map((s) => [s.index, s.name]));
      segmentOf = (score) => names.get(labels[score.row]!) ?? '';
    } catch (error) {
      deps.logger.warn(safeErrorFields(error, 'segment names for scores'), 'scores without segments');
    }
  }
  // A million rows take about a second to write: piece by piece, with a turn of the event loop
  // between pieces, so other channels' commands are acknowledged meanwhile.
  const pieces: Buffer[] = [];
  for (const piece of scoresCsvPieces(result.scores, {
    reasons: true,
    ...(segmentOf ? { segmentOf } : {}),
  })) {
    pieces.push(Buffer.from(piece, 'utf8'));
    await yieldToEventLoop();
  }
  try {
    await ctx.client.files.uploadV2({
      channel_id: ctx.channelId,
      filename: `${result.product}-scores.csv`,
      title: `Scores: ${result.label}`,
      file: Buffer.concat(pieces),
      initial_comment: `Every scored customer (${formatCount(result.scores.length)}), most likely first: id, probability, decile${segmentOf ? ', segment' : ''}, and reason_1 to reason_3 (what raises that customer's score most, in points of probability).`,
    });
  } catch (error) {
    deps.logger.error(safeErrorFields(error, 'scores upload'), 'scores upload failed');
    await ctx.ephemeral(
      ':warning: The scored list could not be uploaded; the numbers above are complete. Try again in a minute.',
    );
  }
}
