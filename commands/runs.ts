/**
 * `/segbot runs`: the channel's run history; `/segbot runs <id>` posts a run of this channel again
 * (another channel's run ids are simply not found).
 */
import { BadInputError, NotFoundError } from '../src/errors.js';
import { runHistoryMessage, runSummaryMessage } from '../src/slack/blocks/segment-blocks.js';
import { postMessage } from '../src/slack/post-message.js';
import { safeErrorFields } from '../src/slack/report-error.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { channelColorSlots, runChartRequests } from './charts.js';
import { type CommandContext, requireLatestDataset } from './context.js';
import type { DatasetRecord } from './deps.js';
import { factsOf, requestedFeatures } from './segment.js';

/** How many runs the history shows. */
export const HISTORY_LIMIT = 15;

/** Runs `/segbot runs [id]`. */
export async function runRuns(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 1) {
    throw new BadInputError('`/segbot runs` takes at most one run id.', {
      hint: 'For example: /segbot runs 12',
    });
  }
  const [idText] = ctx.args;
  if (idText === undefined) return listRuns(ctx);
  const match = /^#?(\d+)$/.exec(idText);
  if (!match) {
    throw new BadInputError(`“${idText}” is not a run id.`, {
      hint: 'Run ids are the numbers shown by `/segbot runs`, e.g. /segbot runs 12',
    });
  }
  return repostRun(ctx, Number(match[1]));
}

async function listRuns(ctx: CommandContext): Promise<void> {
  const runs = await ctx.deps.runs.listRuns(ctx.channelId, HISTORY_LIMIT + 1);
  if (runs.length === 0) {
    await requireLatestDataset(ctx);
    throw new NotFoundError(
      'No segmentation has run in this channel yet.',
      'Start one with `/segbot segment k=auto`.',
    );
  }
  const datasets = new Map<number, DatasetRecord | null>();
  const datasetOf = async (id: number) => {
    if (!datasets.has(id)) datasets.set(id, await ctx.deps.datasets.getDataset(ctx.channelId, id));
    return datasets.get(id) ?? null;
  };
  const rows = [];
  for (const run of runs.slice(0, HISTORY_LIMIT)) {
    const features = requestedFeatures(run.params.features, await datasetOf(run.datasetId));
    rows.push({
      id: run.id,
      userId: run.userId,
      status: run.status,
      createdAt: run.createdAt,
      datasetVersion: run.datasetVersion,
      params: { k: run.params.k, seed: run.params.seed, ...(features ? { features } : {}) },
      k: run.k,
      silhouette: run.silhouette,
      sizes: run.segments.map((s) => s.size),
      error: run.error,
    });
  }
  const message = runHistoryMessage(rows, runs.length > HISTORY_LIMIT);
  await ctx.ephemeral(message.text, message.blocks);
}

async function repostRun(ctx: CommandContext, runId: number): Promise<void> {
  const { deps } = ctx;
  const run = await deps.runs.getRun(ctx.channelId, runId);
  if (!run) {
    throw new NotFoundError(
      `There is no run #${runId} in this channel.`,
      'Type `/segbot runs` to see this channel’s runs.',
    );
  }
  if (run.status === 'failed') {
    throw new NotFoundError(
      `Run #${runId} failed, so there is nothing to post: ${run.error ?? 'no reason recorded'}`,
    );
  }
  if (run.status === 'running') {
    throw new NotFoundError(`Run #${runId} is still running; its result is posted here when it finishes.`);
  }
  const dataset = await deps.datasets.getDataset(ctx.channelId, run.datasetId);
  const summary = runSummaryMessage(factsOf(run, dataset));
  const ts = await postMessage(ctx.client, { channelId: ctx.channelId, ...summary });
  const projection = await deps.runs.loadProjection(run.id);
  const scatter =
    projection && run.pca
      ? {
          projection,
          labels: await deps.runs.loadAssignments(run.id),
          explainedVarianceRatio: run.pca.explainedVarianceRatio,
        }
      : null;
  const failed: string[] = [];
  const charts = runChartRequests(
    deps.charts,
    {
      segments: run.segments,
      kSelection: run.kSelection,
      scatter,
      autoK: run.params.k === 'auto',
      colors: await channelColorSlots(deps.runs, ctx.channelId, run.id),
      runId: run.id,
    },
    (title, error) => {
      deps.logger.error(safeErrorFields(error, `chart spec ${title}`), 'chart spec failed');
      failed.push(title);
    },
  );
  const uploader = createChartUploader({
    client: ctx.client,
    renderChart: deps.renderChart,
    logger: deps.logger,
  });
  await uploader.postCharts(
    { channelId: ctx.channelId, threadTs: ts, comment: `Charts for run #${run.id}` },
    charts,
    failed,
  );
}
