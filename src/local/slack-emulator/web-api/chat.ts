import type { Params } from '../http-io.js';
import { SlackMethodError } from '../method-error.js';
import { serializeMessage } from '../serialize.js';
import type { EmulatorState } from '../state.js';
import type { EmulatedMessage } from '../types.js';
import { messageContent, metadataParam, textParam, type WebApiMethods } from './params.js';

export function chatMethods(state: EmulatorState): WebApiMethods {
  const { botId } = state;

  /** The bot's own message named by `channel` and `ts`; another's gets `notMine`. */
  function ownMessage(params: Params, notMine: string): EmulatedMessage {
    const channel = state.memberChannel(params['channel']);
    const message = state.findMessage(channel.id, params['ts']);
    if (!message) throw new SlackMethodError('message_not_found');
    if (message.botId !== botId) throw new SlackMethodError(notMine);
    return message;
  }

  return {
    'chat.postMessage': (params) => {
      const channel = state.memberChannel(params['channel']);
      const content = messageContent(params);
      const threadTs = textParam(params, 'thread_ts');
      const metadata = metadataParam(params['metadata']);
      const message = state.postAsBot({
        channel: channel.id,
        ...content,
        threadTs,
        ...(metadata ? { metadata } : {}),
      });
      return { channel: channel.id, ts: message.ts, message: serializeMessage(state, message) };
    },
    'chat.postEphemeral': (params) => {
      const channel = state.memberChannel(params['channel']);
      const user = state.userFor(textParam(params, 'user') ?? '');
      const content = messageContent(params);
      const threadTs = textParam(params, 'thread_ts');
      const message = state.postAsBot({ channel: channel.id, ...content, threadTs, ephemeralTo: user.id });
      return { message_ts: message.ts };
    },
    'chat.update': (params) => {
      const message = ownMessage(params, 'cant_update_message');
      const content = messageContent(params);
      message.text = content.text;
      if (content.blocks !== undefined) message.blocks = content.blocks;
      message.edited = true;
      state.activity.notify({ kind: 'updated', message });
      return {
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        message: serializeMessage(state, message),
      };
    },
    'chat.delete': (params) => {
      const message = ownMessage(params, 'cant_delete_message');
      const list = state.timeline.get(message.channel) ?? [];
      list.splice(list.indexOf(message), 1);
      state.activity.notify({ kind: 'deleted', channel: message.channel, ts: message.ts });
      return { channel: message.channel, ts: message.ts };
    },
  };
}
