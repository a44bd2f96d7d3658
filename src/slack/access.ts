/**
 * Who may do what. Admins (kept in the database, the first ones from SEGBOT_ADMINS) upload data, change
 * schedules and manage roles; customer-level output (customer ids, scored CSVs, movers lists) goes
 * only to channels an admin allowed. Aggregates (segment sizes, profiles, charts) need no check.
 *
 * Each refusal is a NotAllowedError whose message says why and whose hint names who to ask, so the
 * person knows the next step instead of meeting a bare "no".
 */
import type { AppMentionEvent } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { AccessStore } from '../../db/repositories/access-store.js';
import { NotAllowedError } from '../errors.js';
import { parseMention } from './digest/mention-answers.js';
import { type ErrorLogger, errorText, safeErrorFields } from './report-error.js';

/** The parts of the access store the guards read. */
export type AccessReader = Pick<AccessStore, 'isAdmin' | 'isChannelAllowed' | 'listAdmins'>;

export interface AccessGuard {
  /** Throws NotAllowedError unless `userId` is an admin; `action` completes "Only segbot admins can …". */
  requireAdmin(userId: string, action?: string): Promise<void>;
  /**
   * Throws NotAllowedError unless an admin allowed `channelId` to receive customer-level output;
   * `what` names the output ("the movers list").
   */
  requireCustomerLevelChannel(channelId: string, what?: string): Promise<void>;
  /** Whether an admin allowed `channelId` to receive customer-level output (for "send it or withhold it"). */
  canReceiveCustomerLevel(channelId: string): Promise<boolean>;
}

/** How many admins a refusal names before it says "and N more". */
const NAMED_ADMINS = 5;

/** "<@U1>, <@U2> and 3 more", or null when there is no admin at all. */
export async function adminMentions(access: Pick<AccessReader, 'listAdmins'>): Promise<string | null> {
  const admins = await access.listAdmins();
  if (admins.length === 0) return null;
  const named = admins.slice(0, NAMED_ADMINS).map((a) => `<@${a.userId}>`);
  const more = admins.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/**
 * Who to ask, as a sentence; without any admin, how an operator creates the first one. Admins are
 * pointed to, not mentioned: error text is escaped on its way to Slack, so a mention would show as
 * raw markup.
 */
async function whoToAsk(access: AccessReader, request: string): Promise<string> {
  const count = (await access.listAdmins()).length;
  if (count === 0) {
    return 'segbot has no admins yet. The person who runs segbot sets SEGBOT_ADMINS to a list of Slack user ids (for example U012ABCDEF) and restarts it.';
  }
  const admins = count === 1 ? 'segbot’s admin' : `one of segbot’s ${count} admins`;
  return `Ask ${admins} (\`/segbot admins\` shows who) ${request}.`;
}

/** Creates the guards over the access store. */
export function createAccessGuard(access: AccessReader): AccessGuard {
  return {
    async requireAdmin(userId, action = 'do this') {
      if (await access.isAdmin(userId)) return;
      throw new NotAllowedError(
        `Only segbot admins can ${action}.`,
        await whoToAsk(access, 'to do it for you, or to make you an admin with `/segbot admins add @you`'),
      );
    },
    canReceiveCustomerLevel: async (channelId) => await access.isChannelAllowed(channelId),
    async requireCustomerLevelChannel(channelId, what = 'customer-level data') {
      if (await access.isChannelAllowed(channelId)) return;
      throw new NotAllowedError(
        `This channel is not allowed to receive ${what}: customer ids and scored lists go only to channels an admin allowed. Segment sizes, profiles and charts work here as usual.`,
        await whoToAsk(
          access,
          'to type `/segbot channel allow` in this channel if its members may see customer-level data',
        ),
      );
    },
  };
}

/** The fields of an app_mention event the movers check reads. */
export type MentionForGuard = Pick<
  AppMentionEvent,
  'channel' | 'ts' | 'thread_ts' | 'text' | 'user' | 'bot_id'
>;

/**
 * `@segbot movers …` answers with customer ids and a CSV of them, so it is customer-level output:
 * in a channel nobody allowed, the question is answered with the refusal instead (in its thread)
 * and true is returned so the caller does not answer it. Other questions return false.
 */
export async function refuseCustomerLevelMention(
  event: MentionForGuard,
  deps: { guard: AccessGuard; logger: ErrorLogger },
  client: WebClient,
): Promise<boolean> {
  if (!event.user || event.bot_id) return false;
  if (parseMention(event.text ?? '').kind !== 'movers') return false;
  try {
    await deps.guard.requireCustomerLevelChannel(
      event.channel,
      'lists of customers who moved between segments',
    );
    return false;
  } catch (error) {
    const text = `:lock: ${errorText(error, deps.logger, 'movers')}`;
    await client.chat
      .postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text })
      .catch((postError: unknown) => {
        deps.logger.error(safeErrorFields(postError, 'movers refusal'), 'could not answer a mention');
      });
    return true;
  }
}
