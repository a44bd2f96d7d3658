/**
 * `/segbot digest weekly <day> <HH:MM> [timezone]` subscribes the channel to a weekly digest
 * (timezone: the person's own from their Slack profile, else UTC); `/segbot digest off` stops it;
 * `/segbot digest` shows the schedule and when the next one is due; `/segbot digest now` posts one.
 */

import { BadInputError } from '../src/errors.js';
import { parseDigestTiming } from '../src/jobs/digest-timing.js';
import { findSource } from '../src/services/pull-source.js';
import { formatInZone } from '../src/slack/digest/digest-blocks.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import type { CommandContext } from './context.js';

const USAGE =
  '`/segbot digest weekly <day> <HH:MM> [timezone] [pull=<source>]` (e.g. `/segbot digest weekly monday 09:00 Europe/London`), `/segbot digest off`, `/segbot digest now`, or `/segbot digest` to see the schedule.';

/** `pull=<source>` taken out of the words; the source must be one configured now. */
function takePullOption(ctx: CommandContext): { rest: string[]; pullSource: string | null } {
  const pulls = ctx.args.filter((word) => /^pull=/i.test(word));
  const rest = ctx.args.filter((word) => !/^pull=/i.test(word));
  if (pulls.length > 1) throw new BadInputError('Name at most one `pull=<source>`.', { hint: USAGE });
  if (pulls.length === 0) return { rest, pullSource: null };
  const name = pulls[0]!.slice('pull='.length);
  return { rest, pullSource: findSource(ctx.deps.config.sources, name).name };
}

/** The person's time zone from their Slack profile, or UTC when Slack does not say. */
export async function userTimezone(ctx: CommandContext): Promise<string> {
  try {
    const info = await ctx.client.users.info({ user: ctx.userId });
    const tz = info.user?.tz;
    return typeof tz === 'string' && tz !== '' ? tz : 'UTC';
  } catch (error) {
    ctx.deps.logger.warn(
      { where: 'users.info', errorName: (error as Error)?.name },
      'no user time zone; using UTC',
    );
    return 'UTC';
  }
}

function dayName(day: string): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

/** Runs `/segbot digest …`. */
export async function runDigest(ctx: CommandContext): Promise<void> {
  const { digests, schedules } = ctx.deps;
  const [first, ...rest] = ctx.args;
  const word = first?.toLowerCase();

  if (word === undefined) {
    const schedule = await schedules.getSchedule(ctx.channelId);
    if (!schedule) {
      await ctx.ephemeral(`This channel has no weekly digest. Subscribe with ${USAGE}`);
      return;
    }
    const next = await digests.nextDigest(ctx.channelId);
    const last = await schedules.lastDigest(ctx.channelId);
    const lines = [
      `:calendar: Weekly digest: every ${dayName(schedule.day)} at ${schedule.time} (${schedule.timezone}), set by <@${schedule.createdBy}>.`,
      schedule.pullSource
        ? `Before each one, segbot pulls fresh data from source *${escapeSlackText(schedule.pullSource)}*.`
        : '',
      next ? `Next one: ${formatInZone(next, schedule.timezone)}.` : '',
      last?.messageTs
        ? `Last one: ${formatInZone(last.postedAt, schedule.timezone)}${last.late ? ' (late)' : ''}.`
        : '',
      'Stop it with `/segbot digest off`; post one now with `/segbot digest now`.',
    ].filter(Boolean);
    await ctx.ephemeral(lines.join('\n'));
    return;
  }

  if (word === 'off' || word === 'stop') {
    if (rest.length > 0)
      throw new BadInputError('`/segbot digest off` takes no more words.', { hint: USAGE });
    await ctx.deps.guard.requireAdmin(ctx.userId, 'change digest schedules');
    const removed = await schedules.removeSchedule(ctx.channelId);
    await digests.scheduler.refresh();
    if (!removed) {
      await ctx.ephemeral('This channel had no weekly digest, so there was nothing to stop.');
      return;
    }
    await digests.outlet.post(ctx.channelId, {
      text: `:information_source: <@${ctx.userId}> stopped this channel’s weekly segment digest. Start it again with \`/segbot digest weekly <day> <HH:MM>\`.`,
    });
    return;
  }

  if (word === 'now') {
    if (rest.length > 0)
      throw new BadInputError('`/segbot digest now` takes no more words.', { hint: USAGE });
    await ctx.ephemeral(':hourglass_flowing_sand: Putting a digest together…');
    await digests.postNow(ctx.channelId, ctx.userId);
    return;
  }

  if (word === 'weekly') {
    await ctx.deps.guard.requireAdmin(ctx.userId, 'change digest schedules');
    const { rest: words, pullSource } = takePullOption(ctx);
    // The person's own zone is only worth a users.info call when they did not name one.
    const timezone = words.length >= 4 ? 'UTC' : await userTimezone(ctx);
    const timing = parseDigestTiming(words, timezone);
    await schedules.setSchedule({ channelId: ctx.channelId, createdBy: ctx.userId, pullSource, ...timing });
    await digests.scheduler.refresh();
    const next = await digests.nextDigest(ctx.channelId);
    await digests.outlet.post(ctx.channelId, {
      text: `:calendar: <@${ctx.userId}> subscribed this channel to a weekly segment digest: every ${dayName(timing.day)} at ${timing.time} (${timing.timezone}).${next ? ` The first one comes ${formatInZone(next, timing.timezone)}.` : ''}${pullSource ? ` Before each one, segbot pulls fresh data from source *${escapeSlackText(pullSource)}*.` : ''} \`/segbot digest off\` stops it.`,
    });
    return;
  }

  throw new BadInputError(`I don’t know \`/segbot digest ${first}\`.`, { hint: `Use ${USAGE}` });
}
