/**
 * `/segbot alerts threshold=N`: how much a segment's share must move (percentage points) before a
 * new run opens a "segments changed" thread; `/segbot alerts` shows the current setting.
 */
import { DEFAULT_ALERT_THRESHOLD_PP } from '../db/repositories/schedule-store.js';
import { BadInputError } from '../src/errors.js';
import type { CommandContext } from './context.js';

const USAGE = '`/segbot alerts threshold=N` with N in percentage points, e.g. `/segbot alerts threshold=3`.';

/** Parses `threshold=N` (also `threshold N`, `N`, `3pp`, `3%`) into percentage points in (0, 100]. */
export function parseThreshold(args: readonly string[]): number {
  const joined = args.join(' ').trim();
  const match = /^(?:threshold\s*[=:]?\s*)?([0-9]+(?:[.,][0-9]+)?)\s*(?:pp|%)?$/i.exec(joined);
  if (!match) {
    throw new BadInputError(`“${joined}” is not a threshold I understand.`, { hint: `Use ${USAGE}` });
  }
  const value = Number(match[1]!.replace(',', '.'));
  if (!(value > 0) || value > 100) {
    throw new BadInputError(
      `A threshold of ${value} percentage points cannot work: it must be above 0 and at most 100.`,
      {
        hint: `Use ${USAGE}`,
      },
    );
  }
  return value;
}

/** Runs `/segbot alerts …`. */
export async function runAlerts(ctx: CommandContext): Promise<void> {
  const { schedules } = ctx.deps;
  const explain = (pp: number) =>
    `A new run opens a “segments changed” thread when any segment’s share moves by ${pp} percentage points or more, or a segment appears or dissolves.`;
  if (ctx.args.length === 0) {
    const current = await schedules.getAlertThreshold(ctx.channelId);
    const isDefault = current === DEFAULT_ALERT_THRESHOLD_PP ? ' (the default)' : '';
    await ctx.ephemeral(
      `:bell: Alert threshold here: ${current} pp${isDefault}. ${explain(current)} Change it with ${USAGE}`,
    );
    return;
  }
  await ctx.deps.guard.requireAdmin(ctx.userId, 'change alert thresholds');
  const threshold = parseThreshold(ctx.args);
  await schedules.setAlertThreshold(ctx.channelId, threshold, ctx.userId);
  const text = `:bell: <@${ctx.userId}> set this channel’s alert threshold to ${threshold} pp. ${explain(threshold)}`;
  await ctx.deps.digests.outlet.post(ctx.channelId, { text });
}
