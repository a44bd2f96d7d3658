/**
 * `/segbot describe [segment name or number]`: one segment of the channel's latest run in depth
 * (profile table, traits, playbook, a chart), or every segment briefly without an argument.
 */
import { NotFoundError } from '../src/errors.js';
import { segmentDetailMessage, segmentsOverviewMessage } from '../src/slack/blocks/segment-blocks.js';
import { postMessage } from '../src/slack/post-message.js';
import { safeErrorFields } from '../src/slack/report-error.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { matchSegment } from '../src/text/match-segment.js';
import { type CommandContext, requireLatestDataset } from './context.js';
import type { RunRecord } from './deps.js';

/** The channel's newest completed run and its file name, or the error that says what to do first. */
export async function requireLatestRun(ctx: CommandContext): Promise<{ run: RunRecord; fileName: string }> {
  const run = await ctx.deps.runs.latestRun(ctx.channelId, { status: 'done' });
  if (!run) {
    await requireLatestDataset(ctx);
    throw new NotFoundError(
      'No segmentation has run in this channel yet.',
      'Run `/segbot segment k=auto` first; it takes a minute on a large file.',
    );
  }
  const dataset = await ctx.deps.datasets.getDataset(ctx.channelId, run.datasetId);
  return { run, fileName: dataset?.fileName ?? `dataset v${run.datasetVersion}` };
}

/** Runs `/segbot describe`. */
export async function runDescribe(ctx: CommandContext): Promise<void> {
  const { run, fileName } = await requireLatestRun(ctx);
  const facts = {
    id: run.id,
    datasetVersion: run.datasetVersion,
    fileName,
    segments: run.segments,
    ...(run.params.sure ? { sure: run.params.sure } : {}),
  };
  const query = ctx.args.join(' ').trim();
  if (query === '') {
    const overview = segmentsOverviewMessage(facts);
    await postMessage(ctx.client, { channelId: ctx.channelId, ...overview });
    return;
  }
  const segment = matchSegment(run.segments, query);
  const detail = segmentDetailMessage(facts, segment);
  await postMessage(ctx.client, { channelId: ctx.channelId, ...detail });
  const { deps } = ctx;
  const failed: string[] = [];
  const title = `${segment.name} profile`;
  let spec: ReturnType<typeof deps.charts.segmentProfile> | null = null;
  try {
    spec = deps.charts.segmentProfile(segment);
  } catch (error) {
    deps.logger.error(safeErrorFields(error, 'chart spec segment profile'), 'chart spec failed');
    failed.push(title);
  }
  const uploader = createChartUploader({
    client: ctx.client,
    renderChart: deps.renderChart,
    logger: deps.logger,
  });
  await uploader.postCharts(
    { channelId: ctx.channelId },
    spec
      ? [
          {
            name: `segment-${segment.index + 1}-profile-run-${run.id}`,
            title,
            altText: `How ${segment.name} differ from all customers, feature by feature.`,
            spec,
          },
        ]
      : [],
    failed,
  );
}
