/**
 * `/segbot forget`: an admin deletes everything segbot stored about this channel's customers
 * (datasets, runs, models, campaigns, suppression list, change threads, digest records) and the channel is told exactly what went.
 */
import type { ForgetCounts } from '../db/repositories/forget-channel.js';
import { BadInputError } from '../src/errors.js';
import { formatCount } from '../src/slack/blocks/format.js';
import { type CommandContext, runQueued } from './context.js';

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The sentence that says what was deleted, from the counts. */
export function forgetSummary(counts: ForgetCounts): string {
  const total =
    counts.datasets +
    counts.runs +
    counts.models +
    counts.campaigns +
    counts.suppressionEntries +
    counts.changeThreads +
    counts.digests +
    counts.jobErrors;
  if (total === 0) return 'segbot held no customer data for this channel, so nothing was deleted.';
  const parts = [
    `${plural(counts.datasets, 'dataset version', 'dataset versions')} (${plural(counts.customers, 'customer row', 'customer rows')})`,
    plural(counts.runs, 'segmentation run', 'segmentation runs'),
    plural(counts.models, 'model', 'models'),
    ...(counts.campaigns > 0 ? [plural(counts.campaigns, 'campaign', 'campaigns')] : []),
    ...(counts.suppressionEntries > 0
      ? [plural(counts.suppressionEntries, 'suppression list entry', 'suppression list entries')]
      : []),
    plural(counts.changeThreads, 'change thread record', 'change thread records'),
    plural(counts.digests, 'digest record', 'digest records'),
  ];
  const errors =
    counts.jobErrors > 0
      ? ` Cleared the error ${counts.jobErrors === 1 ? 'text of 1 failed job' : `texts of ${formatCount(counts.jobErrors)} failed jobs`}.`
      : '';
  return `Deleted ${parts.join(', ')}.${errors}`;
}

/** Runs `/segbot forget`. */
export async function runForget(ctx: CommandContext): Promise<void> {
  const forget = ctx.deps.forgetChannel;
  if (ctx.args.length > 0) {
    throw new BadInputError('/segbot forget takes no arguments.', {
      hint: 'Type `/segbot forget` in the channel whose data should be deleted.',
    });
  }
  ctx.deps.guard.requireAdmin(ctx.userId, "delete a channel's data");
  // In the channel's queue: an upload or run already under way finishes first, so nothing it
  // writes can outlive the deletion.
  const counts = await runQueued(ctx, 'forget', 'request to forget this channel’s data', async () =>
    forget(ctx.channelId),
  );
  ctx.deps.logger.info({ channelId: ctx.channelId, by: ctx.userId, ...counts }, 'channel data forgotten');
  const text = `:wastebasket: <@${ctx.userId}> asked segbot to forget this channel’s data. ${forgetSummary(counts)} Kept: the channel’s digest schedule, alert threshold and permission (they hold no customer data). Files shared in Slack itself stay there until someone deletes them in Slack.`;
  try {
    await ctx.client.chat.postMessage({ channel: ctx.channelId, text });
  } catch {
    await ctx.ephemeral(text);
  }
}
