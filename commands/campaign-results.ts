/**
 * `/segbot campaign results "<name>" [list]`: measures a campaign from the channel's later upload
 * (the product flag turned 0 → 1, matched by id) or, with `list`, from the newest shared CSV of
 * responder ids; posts the verdict, a chart of both rates with their intervals, and opens a thread.
 */
import { campaignLiftSpec } from '../charts/specs/campaign-lift.js';
import { type MeasuredCampaign, measureCampaign, requireCampaign } from '../src/services/campaigns.js';
import { campaignResultMessage } from '../src/slack/blocks/campaign-blocks.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { postMessage } from '../src/slack/post-message.js';
import { safeErrorFields } from '../src/slack/report-error.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { campaignName } from './campaign-args.js';
import { type CommandContext, requireLatestDataset, runQueued } from './context.js';
import { readSharedIds } from './predict.js';

const EXAMPLE = '/segbot campaign results "Loan push"';

/** Runs `/segbot campaign results`. */
export async function runCampaignResults(ctx: CommandContext): Promise<void> {
  const words = [...ctx.args];
  const list = words.length > 1 && words[words.length - 1]!.toLowerCase() === 'list';
  if (list) words.pop();
  const name = campaignName(words, EXAMPLE);
  const { deps } = ctx;
  await requireCampaign(deps, ctx.channelId, name);
  const responders = list
    ? await readSharedIds(ctx, (await requireLatestDataset(ctx)).schema.idColumn)
    : undefined;
  await runQueued(ctx, 'campaign-results', 'campaign results', async () => {
    const measured = await measureCampaign(deps, {
      channelId: ctx.channelId,
      name,
      ...(responders ? { responders } : {}),
    });
    deps.logger.info(
      { channelId: ctx.channelId, campaignId: measured.campaign.id, verdict: measured.lift.verdict },
      'campaign measured',
    );
    await postResult(ctx, measured);
  });
}

async function postResult(ctx: CommandContext, measured: MeasuredCampaign): Promise<void> {
  const { campaign, lift, outcome, record } = measured;
  const message = campaignResultMessage({
    campaign,
    lift,
    outcome,
    sourceText: `${record.source}: ${record.sourceFile}`,
  });
  const ts = await postMessage(ctx.client, { channelId: ctx.channelId, ...message });
  const uploader = createChartUploader({
    client: ctx.client,
    renderChart: ctx.deps.renderChart,
    logger: ctx.deps.logger,
  });
  try {
    const spec = campaignLiftSpec({
      campaign: campaign.name,
      verdict: lift.verdictText,
      groups: [
        { group: 'Contacted (treatment)', ...lift.treatment, ...lift.treatment.interval },
        { group: 'Held back (control)', ...lift.control, ...lift.control.interval },
      ],
    });
    await uploader.postCharts(
      { channelId: ctx.channelId, threadTs: ts, comment: 'Conversion with 95% intervals' },
      [
        {
          name: `campaign-${campaign.id}-lift`,
          title: `Conversion: ${campaign.name}`,
          altText: `Conversion of contacted and held-back customers of ${campaign.name}, with 95% intervals.`,
          spec,
        },
      ],
    );
  } catch (error) {
    ctx.deps.logger.error(safeErrorFields(error, 'campaign chart'), 'campaign chart failed');
  }
  await postMessage(ctx.client, {
    channelId: ctx.channelId,
    threadTs: ts,
    text: `:speech_balloon: Discuss ${escapeSlackText(campaign.name)} here. A later upload or responder list measures it again with \`${EXAMPLE.replace('Loan push', escapeSlackText(campaign.name))}\`; \`/segbot campaign close "${escapeSlackText(campaign.name)}"\` ends it.`,
  });
}
