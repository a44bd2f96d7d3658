/**
 * `/segbot predict <product> [segment=<name>] [top=N] [seed=N] [list]`: trains (or reuses, while
 * the dataset is unchanged) a propensity model for one product on the channel's latest dataset,
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
import { decileOf } from '../src/analytics/predict/evaluate.js';
import {
  type CustomerScore,
  matchCustomers,
  type PropensityModel,
  type PropensityResult,
  resolveProduct,
} from '../src/analytics/predict/train-propensity.js';
import type { IngestResult } from '../src/analytics/types.js';
import { BadInputError, NotFoundError } from '../src/errors.js';
import { yieldToEventLoop } from '../src/event-loop.js';
import { inThreadPropensity } from '../src/jobs/propensity-in-worker.js';
import { accessGuardOf } from '../src/slack/access.js';
import { context, formatCount, header, type KnownBlock, section } from '../src/slack/blocks/format.js';
import { downloadSlackFile } from '../src/slack/download-file.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { startProgress } from '../src/slack/post-message.js';
import { errorText, safeErrorFields } from '../src/slack/report-error.js';
import { fileDisplayName, findRecentCsvs, type SharedFile } from '../src/slack/shared-files.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { type CommandContext, requireLatestDataset, runQueued } from './context.js';
import type { DatasetRecord } from './deps.js';
import { matchSegment } from './match-segment.js';
import { parseOptions } from './parse-args.js';

export interface PredictArgs {
  product: string;
  segment: string | undefined;
  top: number;
  seed: number;
  list: boolean;
}

const MAX_TOP = 50;

/** Reads `/segbot predict` arguments: the product (words), `list`, and key=value options. */
export function parsePredictArgs(args: string[]): PredictArgs {
  const { options, positional } = parseOptions(
    args,
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
  const words = [...positional];
  const list = words.length > 0 && words[words.length - 1]!.toLowerCase() === 'list';
  if (list) words.pop();
  const product = words.join(' ').trim();
  if (product === '') {
    throw new BadInputError('Say which product to predict.', {
      hint: 'For example `/segbot predict credit card top=10`; `/segbot products` lists the products in your data.',
    });
  }
  return { product, segment: options.segment, top: options.top ?? 10, seed: options.seed ?? 42, list };
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
async function readSharedIds(
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

interface StoredPrediction {
  model: PropensityModel;
  result: Omit<PropensityResult, 'scores' | 'customerList'>;
}

const percent = (share: number): string => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

/**
 * Whom the top list ranks, in mrkdwn ("customers without Loan in Revolvers", "customers of
 * ids.csv"): the product, segment and list file names come from data and people, so are escaped.
 */
export function predictionScope(input: {
  label: string;
  segment?: string | undefined;
  listFile?: string | undefined;
}): string {
  if (input.listFile !== undefined) return `customers of ${escapeSlackText(input.listFile)}`;
  const without = `customers without ${escapeSlackText(input.label)}`;
  return input.segment !== undefined ? `${without} in ${escapeSlackText(input.segment)}` : without;
}

/** The reply: verdict, numbers, drivers, and (where allowed) the top customers. */
export function predictionMessage(
  result: PropensityResult,
  input: {
    fileName: string;
    version: number;
    top: number;
    customerLevel: boolean;
    reused: boolean;
    scope: string;
  },
): { text: string; blocks: KnownBlock[] } {
  const name = escapeSlackText(result.label);
  const blocks: KnownBlock[] = [header(`Who is likely to take up ${result.label}`)];
  blocks.push(
    context(
      `${escapeSlackText(input.fileName)} v${input.version} · ${formatCount(result.customers)} customers, ${formatCount(result.holders)} hold ${name} (${percent(result.baseRate)})${input.reused ? ' · model reused (data unchanged)' : ''}`,
    ),
  );
  const summary = escapeSlackText(result.summary, 'message');
  blocks.push(section(summary));
  if (result.trusted && result.auc !== null && result.heldOut) {
    blocks.push(
      section(
        [
          `*Held-out check:* ${formatCount(result.heldOut.customers)} customers the model never saw (${formatCount(result.heldOut.holders)} holders)`,
          `AUC ${result.auc.toFixed(2)} · top-decile precision ${percent(result.precisionTopDecile ?? 0)} · lift ${(result.liftTopDecile ?? 0).toFixed(1)}×${
            result.baselineAuc === null
              ? ''
              : ` · logistic regression AUC ${result.baselineAuc.toFixed(2)} (${result.beatsBaseline ? 'the forest is better' : 'the forest is not better'})`
          }`,
          `*Drivers:* ${result.importances
            .slice(0, 5)
            .map((f) => `${escapeSlackText(f.feature)} ${percent(f.importance)}`)
            .join(', ')}`,
        ].join('\n'),
      ),
    );
    const list = result.customerList;
    if (list && (list.unknown.length > 0 || list.duplicates.length > 0)) {
      const notes: string[] = [];
      if (list.unknown.length > 0) {
        notes.push(
          `${formatCount(list.unknown.length)} ${list.unknown.length === 1 ? 'id is' : 'ids are'} not in the dataset and were not scored: ${escapeSlackText(list.unknown.slice(0, 10).join(', '))}${list.unknown.length > 10 ? ', …' : ''}`,
        );
      }
      if (list.duplicates.length > 0) {
        notes.push(
          `${formatCount(list.duplicates.length)} listed more than once (scored once): ${escapeSlackText(list.duplicates.slice(0, 10).join(', '))}${list.duplicates.length > 10 ? ', …' : ''}`,
        );
      }
      blocks.push(
        section(
          `*Customer list:* ${formatCount(list.matched)} of ${formatCount(list.requested)} ids found.\n${notes.join('\n')}`,
        ),
      );
    }
    if (input.customerLevel && input.top > 0 && result.scores.length > 0) {
      const lines = result.scores
        .slice(0, input.top)
        .map(
          (s, i) =>
            `${i + 1}. \`${escapeSlackText(s.customerId, 'code')}\` ${(s.probability * 100).toFixed(0)}%${s.holds ? ' (already holds it)' : ''}`,
        );
      blocks.push(
        section(
          `*Top ${lines.length} of ${formatCount(result.scores.length)} ${input.scope}:*\n${lines.join('\n')}`,
        ),
      );
    } else if (!input.customerLevel) {
      blocks.push(
        context(
          'The top customers and the scored CSV were withheld: this channel is not allowed to receive customer-level data (customer ids). An admin can allow it with `/segbot channel allow`; `/segbot channel status` shows the setting.',
        ),
      );
    }
  }
  return { text: `${name}: ${summary}`, blocks };
}

/** Runs `/segbot predict`. */
export async function runPredict(ctx: CommandContext): Promise<void> {
  const args = parsePredictArgs(ctx.args);
  const { deps } = ctx;
  // Fail fast, before the queue: no data yet, unknown product, a list in a channel that may not see ids.
  const first = requireLatestDataset(ctx);
  resolveProduct({ schema: first.schema, table: { fileName: first.fileName } }, args.product);
  const guard = accessGuardOf(deps);
  if (args.list) guard.requireCustomerLevelChannel(ctx.channelId, 'scores for a customer list');
  let customerLevel = true;
  try {
    guard.requireCustomerLevelChannel(ctx.channelId);
  } catch {
    customerLevel = false;
  }
  const shared = args.list ? await readSharedIds(ctx, first.schema.idColumn) : null;

  await runQueued(ctx, 'predict', 'prediction', async (job) => {
    const dataset: DatasetRecord = requireLatestDataset(ctx);
    const { column, label } = resolveProduct(
      { schema: dataset.schema, table: { fileName: dataset.fileName } },
      args.product,
    );
    const progress = await startProgress(ctx.client, {
      channelId: ctx.channelId,
      text: `:hourglass_flowing_sand: Predicting who takes up ${escapeSlackText(label)} in ${escapeSlackText(dataset.fileName)} (v${dataset.version}, ${formatCount(dataset.rowCount)} customers)…`,
      logger: deps.logger,
    });
    job.setProgressTs(progress.ts);
    let result: PropensityResult;
    let reused = false;
    let scope = predictionScope({ label });
    try {
      const ingest: IngestResult = {
        table: deps.datasets.loadTable(dataset.id),
        schema: dataset.schema,
        quality: dataset.quality,
      };
      const scoreRows = args.segment ? segmentRows(ctx, dataset, args.segment) : undefined;
      scope = predictionScope({ label, segment: scoreRows?.name, listFile: shared?.file });
      const store = deps.models;
      const propensity = deps.propensity ?? inThreadPropensity;
      const stored = store?.findModel(ctx.channelId, dataset.id, column);
      const payload = stored?.model.format === 'json' ? (stored.model.value as StoredPrediction) : null;
      if (
        payload &&
        payload.model.version === 1 &&
        payload.model.fingerprint === dataset.fingerprint &&
        payload.result.params.seed === args.seed
      ) {
        reused = true;
        const all = await propensity.score(payload.model, ingest);
        result = rescore(payload, all, shared?.ids, shared?.file, scoreRows?.rows);
      } else {
        const trained = await propensity.train(ingest, {
          product: column,
          seed: args.seed,
          ...(shared ? { customers: shared.ids, customersFile: shared.file } : {}),
          ...(scoreRows ? { scoreRows: scoreRows.rows } : {}),
        });
        result = trained.result;
        if (store && trained.model) {
          const { scores: _scores, customerList: _list, ...metrics } = result;
          store.saveModel({
            channelId: ctx.channelId,
            datasetId: dataset.id,
            product: column,
            model: {
              format: 'json',
              value: { model: trained.model, result: metrics } satisfies StoredPrediction,
            },
            metrics: { auc: result.auc, baseRate: result.baseRate, liftTopDecile: result.liftTopDecile },
            transform: trained.model.binner,
          });
        }
      }
    } catch (error) {
      const text = errorText(error, deps.logger, 'predict');
      job.markFailed(error);
      await progress.finish(
        `:x: The prediction for ${escapeSlackText(label)} failed; nothing was changed.\n${text}`,
      );
      return;
    }
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
    });
    await progress.finish(message.text, message.blocks);
    if (!result.trusted) return;
    await postCharts(ctx, result);
    if (customerLevel && result.scores.length > 0) await uploadScores(ctx, result, dataset);
  });
}

/** Rows of one segment of the latest segmentation of this dataset. */
function segmentRows(
  ctx: CommandContext,
  dataset: DatasetRecord,
  query: string,
): { rows: number[]; name: string } {
  const run = ctx.deps.runs.latestRun(ctx.channelId, { status: 'done' });
  if (!run || run.datasetId !== dataset.id) {
    throw new BadInputError('There is no segmentation of the latest data to pick a segment from.', {
      hint: 'Run `/segbot segment` first, or leave out segment=.',
    });
  }
  const segment = matchSegment(run.segments, query);
  const labels = ctx.deps.runs.loadAssignments(run.id);
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === segment.index) rows.push(i);
  return { rows, name: segment.name };
}

/** A stored model's result with fresh scores (`all`, every customer): the metrics are the stored ones. */
function rescore(
  stored: StoredPrediction,
  all: CustomerScore[],
  list: string[] | undefined,
  listFile: string | undefined,
  rows: number[] | undefined,
): PropensityResult {
  let scores: CustomerScore[];
  let customerList: PropensityResult['customerList'] = null;
  const ids = all.map((s) => s.customerId);
  if (list) {
    const matched = matchCustomers(ids, list, listFile);
    const wanted = new Set(matched.rows.map((r) => ids[r]!));
    scores = all.filter((s) => wanted.has(s.customerId));
    customerList = matched.report;
  } else {
    scores = all.filter((s) => !s.holds);
    if (rows) {
      const allowed = new Set(rows);
      scores = scores.filter((s) => allowed.has(s.row));
    }
  }
  // Deciles rank the scored customers among themselves, as a fresh model's would.
  const deciles = decileOf(scores.map((s) => s.probability));
  return { ...stored.result, customerList, scores: scores.map((s, i) => ({ ...s, decile: deciles[i]! })) };
}

async function postCharts(ctx: CommandContext, result: PropensityResult): Promise<void> {
  const { deps } = ctx;
  const charts = [];
  try {
    charts.push({
      name: 'gains',
      title: `Gains: ${result.label}`,
      altText: `Share of ${result.label} holders found when contacting customers in score order, against contacting at random.`,
      spec: gainsChartSpec({
        product: result.label,
        points: result.gains.map((row) => ({ population: row.decile / 10, captured: row.cumulativeShare })),
      }),
    });
    charts.push({
      name: 'drivers',
      title: `What drives ${result.label}`,
      altText: `The features that drive the ${result.label} score, as shares of the model's splitting power.`,
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
  const run = deps.runs.latestRun(ctx.channelId, { status: 'done' });
  if (run && run.datasetId === dataset.id) {
    try {
      const labels = deps.runs.loadAssignments(run.id);
      const names = new Map(run.segments.map((s) => [s.index, s.name]));
      segmentOf = (score) => names.get(labels[score.row]!) ?? '';
    } catch (error) {
      deps.logger.warn(safeErrorFields(error, 'segment names for scores'), 'scores without segments');
    }
  }
  // A million rows take about a second to write: piece by piece, with a turn of the event loop
  // between pieces, so other channels' commands are acknowledged meanwhile.
  const pieces: Buffer[] = [];
  for (const piece of scoresCsvPieces(result.scores, segmentOf ? { segmentOf } : {})) {
    pieces.push(Buffer.from(piece, 'utf8'));
    await yieldToEventLoop();
  }
  try {
    await ctx.client.files.uploadV2({
      channel_id: ctx.channelId,
      filename: `${result.product}-scores.csv`,
      title: `Scores: ${result.label}`,
      file: Buffer.concat(pieces),
      initial_comment: `Every scored customer (${formatCount(result.scores.length)}), most likely first: id, probability, decile${segmentOf ? ', segment' : ''}.`,
    });
  } catch (error) {
    deps.logger.error(safeErrorFields(error, 'scores upload'), 'scores upload failed');
    await ctx.ephemeral(
      ':warning: The scored list could not be uploaded; the numbers above are complete. Try again in a minute.',
    );
  }
}
