import type { Params } from '../http-io.js';
import { SlackMethodError } from '../method-error.js';
import { serializeChannel, serializeMessage } from '../serialize.js';
import type { EmulatorState } from '../state.js';
import { textParam, type WebApiMethods } from './params.js';

export function conversationsMethods(state: EmulatorState): WebApiMethods {
  const { timeline } = state;
  return {
    'conversations.info': (params) => {
      const id = textParam(params, 'channel');
      if (!id) throw new SlackMethodError('channel_not_found');
      return { channel: serializeChannel(state, state.channelFor(id)) };
    },
    'conversations.members': (params) => {
      const channel = state.memberChannel(params['channel']);
      const limit = Math.min(Math.max(Number(params['limit'] ?? 100) || 100, 1), 1000);
      const start = Number(textParam(params, 'cursor') ?? 0) || 0;
      const all = [...channel.members];
      const next = start + limit < all.length ? String(start + limit) : '';
      return { members: all.slice(start, start + limit), response_metadata: { next_cursor: next } };
    },
    'conversations.join': (params) => {
      const id = textParam(params, 'channel');
      if (!id) throw new SlackMethodError('channel_not_found');
      const channel = state.channelFor(id);
      if (channel.isPrivate && !channel.botIsMember)
        throw new SlackMethodError('method_not_supported_for_channel_type');
      const already = channel.botIsMember;
      channel.botIsMember = true;
      return {
        channel: serializeChannel(state, channel),
        ...(already ? { warning: 'already_in_channel' } : {}),
      };
    },
    'conversations.history': (params) => {
      const channel = state.memberChannel(params['channel']);
      const oldest = Number(params['oldest'] ?? 0);
      const latest = params['latest'] === undefined ? Number.POSITIVE_INFINITY : Number(params['latest']);
      const top = (timeline.get(channel.id) ?? [])
        .filter((m) => !m.threadTs && !m.ephemeralTo && Number(m.ts) >= oldest && Number(m.ts) <= latest)
        .reverse();
      const { page, hasMore, meta } = pageOf(top, params, 100);
      return {
        messages: page.map((message) => serializeMessage(state, message)),
        has_more: hasMore,
        response_metadata: meta,
      };
    },
    'conversations.replies': (params) => {
      const channel = state.memberChannel(params['channel']);
      const ts = textParam(params, 'ts');
      const parent = state.findMessage(channel.id, ts);
      if (!parent) throw new SlackMethodError('thread_not_found');
      const root = parent.threadTs ?? parent.ts;
      const thread = (timeline.get(channel.id) ?? []).filter(
        (m) => !m.ephemeralTo && (m.ts === root || m.threadTs === root),
      );
      const { page, hasMore, meta } = pageOf(thread, params, 1000);
      return {
        messages: page.map((message) => serializeMessage(state, message)),
        has_more: hasMore,
        response_metadata: meta,
      };
    },
  };
}

/** One page of `items` by Slack's cursor (`limit`, `cursor`), with the cursor of the next page. */
function pageOf<T>(items: T[], params: Params, defaultLimit: number) {
  const limit = Math.max(1, Math.min(1000, Number(params['limit'] ?? defaultLimit) || defaultLimit));
  const cursor = textParam(params, 'cursor');
  const start = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace('offset:', '')) : 0;
  const page = items.slice(start, start + limit);
  const hasMore = start + limit < items.length;
  const nextCursor = hasMore ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
  return { page, hasMore, meta: { next_cursor: nextCursor } };
}
