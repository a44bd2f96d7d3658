/** `/segbot campaign close "<name>"`: ends a live campaign; its assignment and results stay. */
import { BadInputError } from '../src/errors.js';
import { requireCampaign } from '../src/services/campaigns.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { campaignName } from './campaign-args.js';
import type { CommandContext } from './context.js';

/** Runs `/segbot campaign close`. */
export async function runCampaignClose(ctx: CommandContext): Promise<void> {
  const name = campaignName(ctx.args, '/segbot campaign close "Loan push"');
  const { deps } = ctx;
  const campaign = await requireCampaign(deps, ctx.channelId, name);
  if (campaign.status === 'closed') {
    throw new BadInputError(`"${campaign.name}" is already closed.`, {
      hint: '`/segbot campaigns` lists the live ones.',
    });
  }
  // The person who started it, or an admin.
  if (campaign.createdBy !== ctx.userId)
    await deps.guard.requireAdmin(ctx.userId, "close another person's campaign");
  await deps.campaigns.closeCampaign(campaign.id);
  const latest = campaign.latestResult
    ? ` Latest result: ${escapeSlackText(campaign.latestResult.verdictText)}.`
    : '';
  await ctx.client.chat.postMessage({
    channel: ctx.channelId,
    text: `:checkered_flag: <@${ctx.userId}> closed the campaign *${escapeSlackText(campaign.name)}*.${latest} Its held-back customers are free for other campaigns and exports.`,
  });
}
