/**
 * `/segbot crosssell`: products per customer, co-holding lift, holding rates by age band, entry
 * channel, activity, employee status and segment, and each segment's next-best product, for the
 * channel's latest dataset, with three charts. Deceased customers are counted and left out.
 */
import { crosssellText } from '../src/analytics/crosssell/crosssell-text.js';
import { runCrosssell as analyse } from '../src/services/crosssell-analysis.js';
import { crosssellCharts } from '../src/services/crosssell-charts.js';
import { context, header, type KnownBlock, section } from '../src/slack/blocks/format.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { postMessage } from '../src/slack/post-message.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { type CommandContext, requireLatestDataset } from './context.js';
import { parseOptions } from './parse-args.js';

/** Runs `/segbot crosssell`. */
export async function runCrosssell(ctx: CommandContext): Promise<void> {
  parseOptions(ctx.args, {}, { command: 'crosssell' });
  const dataset = await requireLatestDataset(ctx);
  const table = await ctx.deps.datasets.loadTable(dataset.id);
  const result = analyse(table, dataset.schema);
  const lines = crosssellText(result, { escape: (t) => escapeSlackText(t), bold: (t) => `*${t}*` });
  const text = `Cross-sell in ${escapeSlackText(dataset.fileName)} v${dataset.version}: ${lines[result.deceased ? 1 : 0]}`;
  // One section per paragraph, so no block passes Slack's 3,000 characters.
  const paragraphs: string[] = [];
  for (const line of lines) {
    if (line.startsWith('*') || paragraphs.length === 0) paragraphs.push(line);
    else paragraphs[paragraphs.length - 1] += `\n${line}`;
  }
  const blocks: KnownBlock[] = [
    header('Cross-sell'),
    context(`${escapeSlackText(dataset.fileName)} v${dataset.version}`),
    ...paragraphs.map((p) => section(p.slice(0, 2900))),
  ];
  await postMessage(ctx.client, { channelId: ctx.channelId, text, blocks });
  const uploader = createChartUploader({
    client: ctx.client,
    renderChart: ctx.deps.renderChart,
    logger: ctx.deps.logger,
  });
  await uploader.postCharts({ channelId: ctx.channelId }, crosssellCharts(result));
}
