/**
 * The one place the Slack side turns a failure into what a person reads. Coded errors keep their
 * message (via userMessage); Slack API failures that a person can fix (bot not in the channel,
 * missing scope) get the fix; anything else is logged without customer data and shown as a
 * generic sentence. Delivery itself never throws: a failure to report is logged, not raised.
 */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isSegbotError, userMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { KnownBlock } from './blocks/format.js';
import { escapeSlackText } from './escape-text.js';

/** The part of segbot's Logger that reporting a failure writes to. */
export type ErrorLogger = Pick<Logger, 'warn' | 'error'>;

/** The Slack error code of a Web API failure (`not_in_channel`, `missing_scope`, …), if it is one. */
export function slackErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; data?: { error?: unknown } };
  if (e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') return e.data.error;
  if (e.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  if (e.code === 'slack_webapi_request_error') return 'request_error';
  return null;
}

function slackAdvice(code: string, error: unknown): string | null {
  switch (code) {
    case 'not_in_channel':
    case 'channel_not_found':
      return 'segbot is not a member of this channel, so it cannot read files or post results here.\nInvite it with `/invite @segbot` and try again.';
    case 'missing_scope': {
      const needed = (error as { data?: { needed?: unknown } }).data?.needed;
      const scope = typeof needed === 'string' ? ` (${needed})` : '';
      return `The segbot Slack app is missing a permission${scope}.\nAsk a workspace admin to add it under OAuth & Permissions and reinstall the app.`;
    }
    case 'not_authed':
    case 'invalid_auth':
    case 'token_revoked':
    case 'account_inactive':
      return 'Slack rejected segbot’s token.\nAsk an admin to check SLACK_BOT_TOKEN and reinstall the app if it was revoked.';
    case 'ratelimited':
      return 'Slack is limiting how fast segbot may post right now.\nPlease try again in a minute.';
    case 'request_error':
      return 'segbot could not reach Slack.\nPlease try again in a minute.';
    case 'is_archived':
      return 'This channel is archived, so segbot cannot post here.';
    default:
      return null;
  }
}

/**
 * The text a person sees for `error`. Unexpected errors are logged (name, code and stack frames,
 * never the message, which may quote customer data) with `where` saying what was being done.
 */
export function errorText(error: unknown, logger: ErrorLogger, where: string): string {
  // Messages can quote file names and cell values: escaped so they cannot mention or link.
  if (isSegbotError(error)) return escapeSlackText(userMessage(error), 'message');
  const code = slackErrorCode(error);
  const advice = code ? slackAdvice(code, error) : null;
  if (advice) {
    logger.warn({ where, slackError: code }, 'slack call failed');
    return advice;
  }
  logger.error(safeErrorFields(error, where), 'unexpected error');
  return userMessage(error);
}

/** Fields of an unexpected error that are safe to log: no message text, only its shape and origin. */
export function safeErrorFields(error: unknown, where: string): Record<string, unknown> {
  if (!(error instanceof Error)) return { where, errorType: typeof error };
  const frames = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, 12);
  const code = (error as { code?: unknown }).code;
  return { where, errorName: error.name, ...(typeof code === 'string' ? { errorCode: code } : {}), frames };
}

/** Where an error about one person's request goes. */
export interface ErrorTarget {
  client: WebClient;
  channelId: string;
  userId: string;
  /** The slash command's response_url responder: works even where the bot is not a member. */
  respond?: RespondFn;
  threadTs?: string;
}

/**
 * Tells the user, ephemerally, what went wrong. Uses the command's responder when there is one,
 * else chat.postEphemeral; returns the text that was (or would have been) shown.
 */
export async function reportError(
  error: unknown,
  target: ErrorTarget,
  logger: ErrorLogger,
  where: string,
): Promise<string> {
  const text = errorText(error, logger, where);
  await sendEphemeral(target, text, logger);
  return text;
}

/** An ephemeral reply: plain text, or text with blocks. */
export type EphemeralMessage = string | { text: string; blocks?: KnownBlock[] };

/** Sends an ephemeral message to the target's user; failures are logged, never thrown. */
export async function sendEphemeral(
  target: ErrorTarget,
  message: EphemeralMessage,
  logger: ErrorLogger,
): Promise<void> {
  const { text, blocks } = typeof message === 'string' ? { text: message, blocks: undefined } : message;
  if (target.respond) {
    try {
      await target.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text,
        ...(blocks ? { blocks } : {}),
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      });
      return;
    } catch (error) {
      logger.warn(safeErrorFields(error, 'respond'), 'response_url reply failed; trying chat.postEphemeral');
    }
  }
  try {
    await target.client.chat.postEphemeral({
      channel: target.channelId,
      user: target.userId,
      text,
      ...(blocks ? { blocks } : {}),
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    });
  } catch (error) {
    logger.error(
      { ...safeErrorFields(error, 'postEphemeral'), slackError: slackErrorCode(error) },
      'could not send an ephemeral reply',
    );
  }
}
