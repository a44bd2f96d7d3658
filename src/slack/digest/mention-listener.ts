/**
 * The app_mention listener: a mention in a change thread is a question about the two runs; the
 * digest service answers it in the same thread.
 */
import type { AppMentionEvent } from '@slack/types';
import type { DigestService } from '../../jobs/digest-service.js';
import { type ErrorLogger, safeErrorFields } from '../report-error.js';

/** Answers one mention; never throws (a failure is logged, the person sees the error reply). */
export async function handleAppMention(
  event: AppMentionEvent,
  digests: DigestService,
  logger: ErrorLogger,
): Promise<void> {
  // Bots mentioning segbot (itself included) get no answer: two bots could otherwise talk forever.
  if (event.bot_id || !event.user) return;
  try {
    await digests.answerMention({
      channelId: event.channel,
      ts: event.ts,
      ...(event.thread_ts ? { threadTs: event.thread_ts } : {}),
      text: event.text ?? '',
    });
  } catch (error) {
    logger.error(safeErrorFields(error, 'app_mention'), 'mention not answered');
  }
}
