/**
 * Posting and updating Block Kit messages within Slack's limits, and a progress message that a
 * long job keeps updating (chat.update) with the stage it is in.
 */
import type { WebClient } from '@slack/web-api';
import { fitMessage } from './blocks/fit-message.js';
import type { KnownBlock } from './blocks/format.js';
import { type ErrorLogger, safeErrorFields, slackErrorCode } from './report-error.js';

export interface OutgoingMessage {
  channelId: string;
  /** Fallback text for notifications and screen readers. */
  text: string;
  blocks?: KnownBlock[];
  threadTs?: string;
}

async function postOverflow(
  client: WebClient,
  channelId: string,
  threadTs: string,
  overflow: KnownBlock[][],
  text: string,
): Promise<void> {
  for (const [i, blocks] of overflow.entries()) {
    await client.chat.postMessage({
      channel: channelId,
      thread_ts: threadTs,
      text: `${text} (continued, part ${i + 2})`,
      blocks,
    });
  }
}

/**
 * Posts a message; blocks beyond Slack's limits go into its thread (or the given thread).
 * Returns the ts of the main message.
 */
export async function postMessage(client: WebClient, message: OutgoingMessage): Promise<string> {
  const fitted = message.blocks ? fitMessage(message.blocks) : { blocks: undefined, overflow: [] };
  const result = await client.chat.postMessage({
    channel: message.channelId,
    text: message.text,
    ...(fitted.blocks ? { blocks: fitted.blocks } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  });
  const ts = result.ts ?? '';
  if (fitted.overflow.length > 0) {
    await postOverflow(client, message.channelId, message.threadTs ?? ts, fitted.overflow, message.text);
  }
  return ts;
}

/** Replaces a posted message's content; overflow goes into its thread. */
export async function updateMessage(
  client: WebClient,
  message: OutgoingMessage & { ts: string },
): Promise<void> {
  const fitted = message.blocks ? fitMessage(message.blocks) : { blocks: [], overflow: [] };
  // An empty blocks array clears the blocks of the earlier version, so the text shows.
  await client.chat.update({
    channel: message.channelId,
    ts: message.ts,
    text: message.text,
    blocks: fitted.blocks,
  });
  if (fitted.overflow.length > 0) {
    await postOverflow(
      client,
      message.channelId,
      message.threadTs ?? message.ts,
      fitted.overflow,
      message.text,
    );
  }
}

/** A message that follows a job: posted at the start, updated per stage, finally replaced by the result. */
export interface ProgressMessage {
  readonly ts: string;
  /** Shows a new stage. Never throws; updates are applied in order, failures only logged. */
  stage(text: string): void;
  /** Replaces the progress text by the result (waits for pending stage updates first). */
  finish(text: string, blocks?: KnownBlock[]): Promise<void>;
}

/** Posts the first version of a progress message. */
export async function startProgress(
  client: WebClient,
  options: { channelId: string; threadTs?: string; text: string; logger: ErrorLogger },
): Promise<ProgressMessage> {
  const { channelId, logger } = options;
  const ts = await postMessage(client, {
    channelId,
    text: options.text,
    ...(options.threadTs ? { threadTs: options.threadTs } : {}),
  });
  // Stages can come faster than Slack takes updates (chat.update is rate limited): only the newest
  // waiting stage is sent once the previous update returns; older ones are skipped.
  let pending: string | null = null;
  let inflight: Promise<void> | null = null;
  let finished = false;
  const pump = async () => {
    while (pending !== null && !finished) {
      const text = pending;
      pending = null;
      try {
        await client.chat.update({ channel: channelId, ts, text, blocks: [] });
      } catch (error) {
        logger.warn({ ...safeErrorFields(error, 'progress update'), slackError: slackErrorCode(error) });
      }
    }
    inflight = null;
  };
  return {
    ts,
    stage(text) {
      if (finished) return;
      pending = text;
      if (!inflight) inflight = pump();
    },
    async finish(text, blocks) {
      finished = true;
      pending = null;
      if (inflight) await inflight;
      try {
        await updateMessage(client, {
          channelId,
          ts,
          text,
          ...(blocks ? { blocks } : {}),
          ...(options.threadTs ? { threadTs: options.threadTs } : {}),
        });
      } catch (error) {
        // The result matters more than the tidy replacement: post it as a new message instead.
        logger.warn({ ...safeErrorFields(error, 'progress finish'), slackError: slackErrorCode(error) });
        await postMessage(client, {
          channelId,
          text,
          ...(blocks ? { blocks } : {}),
          ...(options.threadTs ? { threadTs: options.threadTs } : {}),
        });
      }
    },
  };
}
