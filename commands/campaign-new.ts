/**
 * `/segbot campaign new "<name>" …`: builds the audience from the latest run and the stored model,
 * takes out who must never be contacted, holds back a stratified control group, and posts the
 * counts, reasons and power statement. The treatment list follows as a CSV only where the channel
 * may receive customer ids; held-back customers are never in it.
 */

import type { CampaignRecord } from '../db/repositories/campaign-store.js';
import { treatmentCsv } from '../src/analytics/campaign/campaign-csv.js';
import { type CampaignSpec, createCampaign, treatmentMembers } from '../src/services/campaigns.js';
import { newCampaignMessage } from '../src/slack/blocks/campaign-blocks.js';
import { formatCount } from '../src/slack/blocks/format.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { postMessage, startProgress } from '../src/slack/post-message.js';
import { errorText, safeErrorFields } from '../src/slack/report-error.js';
import { parseNewCampaignArgs } from './campaign-args.js';
import { type CommandContext, requireLatestDataset, runQueued } from './context.js';

/** Runs `/segbot campaign new`. */
export async function runCampaignNew(ctx: CommandContext): Promise<void> {
  await startCampaign(ctx, parseNewCampaignArgs(ctx.args));
}

/** Creates a campaign in the context's channel, however it was asked for (command or modal). */
export async function startCampaign(ctx: CommandContext, args: CampaignSpec): Promise<void> {
  const { deps } = ctx;
  await requireLatestDataset(ctx);
  await runQueued(ctx, 'campaign', 'campaign', async (job) => {
    const progress = await startProgress(ctx.client, {
      channelId: ctx.channelId,
      text: `:hourglass_flowing_sand: Building the audience of ${escapeSlackText(args.name)}…`,
      logger: deps.logger,
    });
    await job.setProgressTs(progress.ts);
    let created: Awaited<ReturnType<typeof createCampaign>>;
    try {
      created = await createCampaign(deps, { ...args, channelId: ctx.channelId, userId: ctx.userId });
    } catch (error) {
      job.markFailed(error);
      await progress.finish(
        `:x: Campaign ${escapeSlackText(args.name)} was not created; nothing was stored.\n${errorText(error, deps.logger, 'campaign new')}`,
      );
      return;
    }
    deps.logger.info(
      {
        channelId: ctx.channelId,
        campaignId: created.campaign.id,
        treatment: created.audience.treatment,
        control: created.audience.control,
      },
      'campaign created',
    );
    const message = newCampaignMessage(created);
    await progress.finish(message.text, message.blocks);
    await uploadTreatment(ctx, created.campaign);
  });
}

/** Uploads the treatment CSV where customer ids may go; elsewhere says why it is withheld. */
export async function uploadTreatment(ctx: CommandContext, campaign: CampaignRecord): Promise<void> {
  const { deps } = ctx;
  // Fail closed: anything but an explicit allow keeps the ids out of the channel.
  if (!(await deps.guard.canReceiveCustomerLevel(ctx.channelId))) {
    await ctx.ephemeral(
      ':lock: The treatment list is not posted here: customer ids go only to channels an admin allowed (`/segbot channel allow`). The campaign is stored; run this in an allowed channel to export it.',
    );
    return;
  }
  const members = await treatmentMembers(deps, campaign);
  try {
    await ctx.client.files.uploadV2({
      channel_id: ctx.channelId,
      filename: `campaign-${campaign.id}-treatment.csv`,
      title: `Treatment list: ${campaign.name}`,
      file: Buffer.from(treatmentCsv(members), 'utf8'),
      initial_comment: `The ${formatCount(members.length)} customers to contact for ${escapeSlackText(campaign.name)} (customer_id, segment, score, group). Held-back customers are not in this file.`,
    });
  } catch (error) {
    deps.logger.error(safeErrorFields(error, 'treatment upload'), 'treatment upload failed');
    await postMessage(ctx.client, {
      channelId: ctx.channelId,
      text: ':warning: The treatment list could not be uploaded; the campaign is stored. Try `/segbot campaign new` again later under another name, or ask an admin.',
    }).catch(() => {});
  }
}
