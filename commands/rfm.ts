/**
 * `/segbot rfm`: RFM scores and the named RFM segments (Champions … Lost) of the channel's latest
 * dataset, which is a transaction file aggregated on upload, with the R × F grid chart.
 */
import { rfmGridSpec } from '../charts/specs/rfm-grid.js';
import { RFM_RULES, rfmSegmentName } from '../src/analytics/rfm/score-rfm.js';
import { analyseRfmTable } from '../src/services/rfm-analysis.js';
import { rfmMessage } from '../src/slack/blocks/rfm-blocks.js';
import { postMessage } from '../src/slack/post-message.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { type CommandContext, requireLatestDataset } from './context.js';
import { parseOptions } from './parse-args.js';

/** The segment name of each R × F cell, in grid order. */
function gridNames(): string[] {
  const names: string[] = [];
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) names.push(rfmSegmentName(r, f));
  return names;
}

/** Runs `/segbot rfm`. */
export async function runRfm(ctx: CommandContext): Promise<void> {
  parseOptions(ctx.args, {}, { command: 'rfm' });
  const dataset = await requireLatestDataset(ctx);
  const table = await ctx.deps.datasets.loadTable(dataset.id);
  const { result } = analyseRfmTable(table, dataset.schema.idColumn);
  const message = rfmMessage(dataset, result);
  await postMessage(ctx.client, { channelId: ctx.channelId, ...message });
  const uploader = createChartUploader({
    client: ctx.client,
    renderChart: ctx.deps.renderChart,
    logger: ctx.deps.logger,
  });
  await uploader.postCharts({ channelId: ctx.channelId }, [
    {
      name: 'rfm-grid',
      title: 'RFM segments on the R × F grid',
      altText:
        'Grid of recency score by frequency score, each cell coloured by its RFM segment with its customer count.',
      spec: rfmGridSpec({
        counts: result.grid,
        names: gridNames(),
        segments: RFM_RULES.map((rule) => rule.name),
      }),
    },
  ]);
}
