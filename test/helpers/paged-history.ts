/**
 * A Web API client that serves fixed pages of conversations.history / conversations.replies and
 * records each call, for code that scans back through a channel or a thread.
 */
import type {
  ConversationsHistoryArguments,
  ConversationsHistoryResponse,
  ConversationsRepliesArguments,
  ConversationsRepliesResponse,
} from '@slack/web-api';
import type { HistoryClient, ScannedMessage } from '../../src/slack/scan-history.js';

export interface HistoryCall {
  method: 'history' | 'replies';
  args: ConversationsHistoryArguments | ConversationsRepliesArguments;
}

/**
 * Pages in the order Slack would return them; the cursor is the next page's number (Slack's is
 * opaque). With `rootOnEveryPage`, every page after the first starts with that message again, as
 * conversations.replies may do with a thread's root.
 */
export function createPagedHistory(
  pages: ScannedMessage[][],
  options: { rootOnEveryPage?: ScannedMessage } = {},
): { client: HistoryClient; calls: HistoryCall[] } {
  const calls: HistoryCall[] = [];
  const answer = (cursor: string | undefined) => {
    const index = cursor ? Number(cursor) : 0;
    const more = index + 1 < pages.length;
    const page = pages[index] ?? [];
    const messages = options.rootOnEveryPage && index > 0 ? [options.rootOnEveryPage, ...page] : page;
    return {
      ok: true,
      messages,
      has_more: more,
      response_metadata: { next_cursor: more ? String(index + 1) : '' },
    };
  };
  const client: HistoryClient = {
    conversations: {
      history: async (args): Promise<ConversationsHistoryResponse> => {
        calls.push({ method: 'history', args });
        return answer(args.cursor);
      },
      replies: async (args): Promise<ConversationsRepliesResponse> => {
        calls.push({ method: 'replies', args });
        return answer(args.cursor);
      },
    },
  };
  return { client, calls };
}
