/**
 * `/segbot forget`: an admin deletes everything segbot stored about this channel's customers
 * (datasets, runs, models, campaigns, suppression list, change threads, digest records) and the channel is told exactly what went.
 */
import type { ForgetCounts } from '../db/repositories/forget-channel.js';
import { BadInputError } from '../src/errors.js';
import { ACTIONS, actions, button } from '../src/slack/blocks/buttons.js';
import { formatCount, section } from '../src/slack/blocks/format.js';
import { type CommandContext, runQueued } from './context.js';

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The words of the message that says a channel's data was deleted (local mode then clears its copies). */
export const FORGOTTEN = 'asked segbot to forget this channel’s data.';
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

/**
 * Runs `/segbot forget`: asks first, privately, saying exactly what would be deleted, with a
 * confirm button (and Slack's confirm dialog); `/segbot forget confirm` deletes at once, for
 * people who know what they are doing. Both are for admins only.
 */
export async function runForget(ctx: CommandContext): Promise<void> {
  const words = ctx.args.map((w) => w.toLowerCase());
  if (words.length > 1 || (words.length === 1 && words[0] !== 'confirm')) {
    throw new BadInputError('/segbot forget takes no arguments other than `confirm`.', {
      hint: 'Type `/segbot forget` in the channel whose data should be deleted; segbot asks before deleting.',
    });
  }
  await ctx.deps.guard.requireAdmin(ctx.userId, "delete a channel's data");
  if (words[0] === 'confirm') {
    await forgetNow(ctx);
    return;
  }
  const preview = await forgetPreview(ctx);
  await ctx.ephemeral(preview, [
    section(`:warning: ${preview}`),
    actions('forget', [
      button({
        text: 'Delete this channel’s data',
        actionId: ACTIONS.forgetConfirmed,
        target: {},
        style: 'danger',
        confirm: {
          title: { type: 'plain_text', text: 'Forget this channel?' },
          text: { type: 'mrkdwn', text: preview },
          confirm: { type: 'plain_text', text: 'Delete' },
          deny: { type: 'plain_text', text: 'Keep it' },
          style: 'danger',
        },
      }),
    ]),
  ]);
}

/** What `forget` would delete, counted now (the button deletes whatever is there when pressed). */
export async function forgetPreview(ctx: CommandContext): Promise<string> {
  const { datasets, runs } = ctx.deps;
  const versions = await datasets.listDatasets(ctx.channelId);
  if (versions.length === 0)
    return 'segbot holds no customer data for this channel: there is nothing to forget.';
  const rows = versions.reduce((sum, d) => sum + d.rowCount, 0);
  const runCount = (await runs.listRuns(ctx.channelId, Number.MAX_SAFE_INTEGER)).length;
  return `This deletes ${plural(versions.length, 'dataset version', 'dataset versions')} (${plural(rows, 'customer row', 'customer rows')}), ${plural(runCount, 'segmentation run', 'segmentation runs')}, and the channel’s models, change threads, digest records and job error texts. Kept: the digest schedule, alert threshold and channel permission. It cannot be undone.`;
}

/** Deletes the channel's data (the confirm button, or `/segbot forget confirm`); admins only. */
export async function forgetNow(ctx: CommandContext): Promise<void> {
  await ctx.deps.guard.requireAdmin(ctx.userId, "delete a channel's data");
  const forget = ctx.deps.forgetChannel;
  // In the channel's queue: an upload or run already under way finishes first, so nothing it
  // writes can outlive the deletion.
  const counts = await runQueued(ctx, 'forget', 'request to forget this channel’s data', async () =>
    forget(ctx.channelId),
  );
  ctx.deps.logger.info({ channelId: ctx.channelId, by: ctx.userId, ...counts }, 'channel data forgotten');
  const text = `:wastebasket: <@${ctx.userId}> ${FORGOTTEN} ${forgetSummary(counts)} Kept: the channel’s digest schedule, alert threshold and permission (they hold no customer data). Files shared in Slack itself stay there until someone deletes them in Slack.`;
  try {
    await ctx.client.chat.postMessage({ channel: ctx.channelId, text });
  } catch {
    await ctx.ephemeral(text);
  }
}
