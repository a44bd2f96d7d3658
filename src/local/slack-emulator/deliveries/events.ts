import { createFile } from '../file-hosting.js';
import { serializeFile } from '../serialize.js';
import type { EmulatorState } from '../state.js';
import type { Delivery, EmulatedChannel, EmulatedMessage, SlackEmulator } from '../types.js';
import { sendSigned } from './signed-request.js';

/** What people do in channels, delivered to the app as signed Events API callbacks. */
export type PersonActions = Pick<SlackEmulator, 'shareFile' | 'mention' | 'say'>;

export function personActions(state: EmulatorState): PersonActions {
  const { botUserId } = state;
  return {
    async shareFile(channelId, userId, name, bytes, shareOptions = {}) {
      const file = createFile(state, name, state.userFor(userId).id, new Uint8Array(bytes));
      const { channel, message } = userMessage(
        state,
        channelId,
        userId,
        shareOptions.text ?? '',
        shareOptions.threadTs,
        {
          files: [file],
          subtype: 'file_share',
        },
      );
      file.channels.push(channel.id);
      const delivery = await sendEvent(
        state,
        messageEvent(channel, message, {
          subtype: 'file_share',
          files: [serializeFile(state, file)],
          upload: true,
          display_as_bot: false,
        }),
      );
      return { file, message, delivery };
    },

    async mention(channelId, threadTs, userId, text) {
      const fullText = `<@${botUserId}> ${text}`;
      const { channel, message } = userMessage(state, channelId, userId, fullText, threadTs);
      // Slack sends both: the channel message, then the app_mention for the same ts.
      await sendEvent(state, messageEvent(channel, message));
      const delivery = await sendEvent(state, {
        type: 'app_mention',
        user: message.user,
        text: fullText,
        ts: message.ts,
        channel: channel.id,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return { message, delivery };
    },

    async say(channelId, userId, text, sayOptions = {}) {
      const { channel, message } = userMessage(state, channelId, userId, text, sayOptions.threadTs);
      const delivery = await sendEvent(state, messageEvent(channel, message));
      return { message, delivery };
    },
  };
}

/** Wraps `event` in an event_callback envelope and delivers it signed. */
export function sendEvent(state: EmulatorState, event: Record<string, unknown>): Promise<Delivery> {
  const { teamId, botUserId } = state;
  const envelope = {
    token: 'verification-token-unused',
    team_id: teamId,
    api_app_id: state.appId,
    event: { ...event, event_ts: event['ts'] ?? state.nextTs() },
    type: 'event_callback',
    event_id: state.nextId('Ev'),
    event_time: Math.floor(state.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
  return sendSigned(state, { body: JSON.stringify(envelope), contentType: 'application/json' });
}

/** Stores a person's message in the channel (both come into existence on first use). */
function userMessage(
  state: EmulatorState,
  channelId: string,
  userId: string,
  text: string,
  threadTs?: string,
  extra = {},
) {
  const channel = state.channelFor(channelId);
  const user = state.userFor(userId);
  channel.members.add(user.id);
  return {
    channel,
    message: state.store({
      channel: channel.id,
      ts: state.nextTs(),
      user: user.id,
      text,
      threadTs,
      ...extra,
    }),
  };
}

function messageEvent(
  channel: EmulatedChannel,
  message: EmulatedMessage,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'message',
    channel: channel.id,
    channel_type: channel.isPrivate ? 'group' : 'channel',
    user: message.user,
    text: message.text,
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...extra,
  };
}
