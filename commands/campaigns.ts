/** `/segbot campaigns`: the channel's campaigns with their status and latest lift. */
import { BadInputError } from '../src/errors.js';
import { campaignListMessage } from '../src/slack/blocks/campaign-blocks.js';
import type { CommandContext } from './context.js';

/** Runs `/segbot campaigns`. */
export async function runCampaigns(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) {
    throw new BadInputError('/segbot campaigns takes no arguments.', {
      hint: 'Type `/segbot campaigns`; `/segbot campaign results "<name>"` measures one.',
    });
  }
  const message = campaignListMessage(await ctx.deps.campaigns.listCampaigns(ctx.channelId));
  await ctx.ephemeral(message.text, message.blocks);
}
