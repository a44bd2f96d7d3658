/**
 * The one way segbot reads back through a channel's messages (conversations.history) or a
 * thread's (conversations.replies): cursor paging, a bound on how far back it goes, and a stop as
 * soon as the caller has what it was looking for, so no more pages are fetched than needed.
 */
import type {
  ConversationsHistoryArguments,
  ConversationsHistoryResponse,
  ConversationsRepliesArguments,
  ConversationsRepliesResponse,
} from '@slack/web-api';

/** A message as conversations.history or conversations.replies returns it. */
export type ScannedMessage =
  | NonNullable<ConversationsHistoryResponse['messages']>[number]
  | NonNullable<ConversationsRepliesResponse['messages']>[number];

/** The Web API methods a scan calls (a WebClient has them). */
export interface HistoryClient {
  conversations: {
    history(args: ConversationsHistoryArguments): Promise<ConversationsHistoryResponse>;
    replies(args: ConversationsRepliesArguments): Promise<ConversationsRepliesResponse>;
  };
}

export interface HistoryScan {
  channel: string;
  /** A thread's root ts: its replies are scanned (oldest first) instead of the channel (newest first). */
  threadTs?: string;
  /** At most this many messages are read, over as many pages as that takes. */
  maxMessages: number;
  /**
   * Messages asked for per call. 100 by default: both methods are rate limited per call (tier 3),
   * and what segbot looks for is usually near the top.
   */
  pageSize?: number;
  /** Asks for message metadata too (conversations.history's include_all_metadata). */
  includeAllMetadata?: boolean;
}

/** Result of a visit: a value stops the scan and is returned; undefined reads on. */
export type Visit<T> = (message: ScannedMessage) => T | undefined;

const DEFAULT_PAGE_SIZE = 100;

async function fetchPage(
  client: HistoryClient,
  scan: HistoryScan,
  limit: number,
  cursor: string | undefined,
): Promise<ConversationsHistoryResponse | ConversationsRepliesResponse> {
  const paging = { channel: scan.channel, limit, ...(cursor ? { cursor } : {}) };
  if (scan.threadTs !== undefined) return client.conversations.replies({ ...paging, ts: scan.threadTs });
  return client.conversations.history({
    ...paging,
    ...(scan.includeAllMetadata ? { include_all_metadata: true } : {}),
  });
}

/**
 * Visits messages in the order Slack returns them until `visit` returns a value (which is
 * returned), `maxMessages` have been read, or there are no more; undefined when nothing stopped
 * the scan. Slack errors (not_in_channel, ratelimited, …) are thrown to the caller.
 */
export async function scanHistory<T>(
  client: HistoryClient,
  scan: HistoryScan,
  visit: Visit<T>,
): Promise<T | undefined> {
  const pageSize = Math.max(1, Math.min(scan.pageSize ?? DEFAULT_PAGE_SIZE, scan.maxMessages));
  let cursor: string | undefined;
  let seen = 0;
  let sawRoot = false;
  while (seen < scan.maxMessages) {
    const page = await fetchPage(client, scan, Math.min(pageSize, scan.maxMessages - seen), cursor);
    const messages = page.messages ?? [];
    for (const message of messages) {
      if (seen >= scan.maxMessages) break;
      // Pages of conversations.replies may each start with the thread's root again.
      if (scan.threadTs !== undefined && message.ts === scan.threadTs) {
        if (sawRoot) continue;
        sawRoot = true;
      }
      seen += 1;
      const found = visit(message);
      if (found !== undefined) return found;
    }
    cursor = page.response_metadata?.next_cursor || undefined;
    if (!cursor || page.has_more === false || messages.length === 0) break;
  }
  return undefined;
}
