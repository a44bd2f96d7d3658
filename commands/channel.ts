/**
 * `/segbot channel allow|disallow|status`: whether this channel may receive customer-level output
 * (customer ids, scored CSVs, movers lists). Aggregates go to any channel segbot is in.
 */
import { BadInputError } from '../src/errors.js';
import type { CommandContext } from './context.js';

const USAGE = '`/segbot channel allow`, `/segbot channel disallow` or `/segbot channel status`';

/**
 * Tells the whole channel (its members are the ones whose view changes); when segbot cannot post
 * there, the admin who asked still gets the answer privately.
 */
async function announce(ctx: CommandContext, text: string): Promise<void> {
  try {
    await ctx.client.chat.postMessage({ channel: ctx.channelId, text });
  } catch {
    await ctx.ephemeral(text);
  }
}

/** Runs `/segbot channel …`. */
export async function runChannel(ctx: CommandContext): Promise<void> {
  const { access } = ctx.deps;
  const [verb = 'status', ...rest] = ctx.args;
  const action = verb.toLowerCase();
  if (rest.length > 0 || !['allow', 'disallow', 'status'].includes(action)) {
    throw new BadInputError(`“${ctx.args.join(' ').slice(0, 60)}” is not something /segbot channel does.`, {
      hint: `Use ${USAGE}.`,
    });
  }
  if (action === 'status') {
    await ctx.ephemeral(
      (await access.isChannelAllowed(ctx.channelId))
        ? ':unlock: This channel may receive customer-level data (customer ids, scored CSVs, movers lists). An admin can stop that with `/segbot channel disallow`.'
        : ':lock: This channel receives aggregates only (segment sizes, profiles, charts). An admin can allow customer-level data here with `/segbot channel allow`.',
    );
    return;
  }
  await ctx.deps.guard.requireAdmin(ctx.userId, `${action} channels`);
  if (action === 'allow') {
    const changed = await access.allowChannel(ctx.channelId, ctx.userId);
    ctx.deps.logger.info({ channelId: ctx.channelId, by: ctx.userId, changed }, 'channel allowed');
    if (!changed) {
      await ctx.ephemeral(':unlock: This channel was already allowed to receive customer-level data.');
      return;
    }
    await announce(
      ctx,
      `:unlock: <@${ctx.userId}> allowed this channel to receive customer-level data (customer ids, scored CSVs, movers lists). Everyone in the channel can see what segbot posts here; an admin can undo this with \`/segbot channel disallow\`.`,
    );
    return;
  }
  const changed = await access.disallowChannel(ctx.channelId);
  ctx.deps.logger.info({ channelId: ctx.channelId, by: ctx.userId, changed }, 'channel disallowed');
  if (!changed) {
    await ctx.ephemeral(
      ':lock: This channel was not allowed to receive customer-level data; nothing changed.',
    );
    return;
  }
  await announce(
    ctx,
    `:lock: <@${ctx.userId}> stopped customer-level data in this channel. segbot posts only aggregates here from now on (segment sizes, profiles, charts); files posted earlier stay until someone deletes them in Slack.`,
  );
}
