/**
 * `/segbot campaign suppress`: an admin replaces the channel's suppression list with the newest
 * one-column CSV of customer ids shared in the channel. Listed customers are never put in an audience.
 */
import { BadInputError } from '../src/errors.js';
import { formatCount } from '../src/slack/blocks/format.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { type CommandContext, requireLatestDataset, runQueued } from './context.js';
import { readSharedIds } from './predict.js';

/** Runs `/segbot campaign suppress`. */
export async function runCampaignSuppress(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) {
    throw new BadInputError('/segbot campaign suppress takes no arguments.', {
      hint: 'Share a CSV with one column of customer ids, then type `/segbot campaign suppress`.',
    });
  }
  const { deps } = ctx;
  await deps.guard.requireAdmin(ctx.userId, "change the channel's suppression list");
  const list = await readSharedIds(ctx, (await requireLatestDataset(ctx)).schema.idColumn);
  const count = await runQueued(
    ctx,
    'suppress',
    'suppression list',
    async () => await deps.campaigns.replaceSuppressionList(ctx.channelId, list.ids, ctx.userId),
  );
  deps.logger.info({ channelId: ctx.channelId, by: ctx.userId, count }, 'suppression list replaced');
  await ctx.client.chat.postMessage({
    channel: ctx.channelId,
    text: `:no_entry: <@${ctx.userId}> set this channel’s suppression list from ${escapeSlackText(list.file)}: ${formatCount(count)} customers will never be put in a campaign audience here.`,
  });
}
