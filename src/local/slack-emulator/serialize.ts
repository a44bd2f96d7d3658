import type { EmulatorState } from './state.js';
import type { EmulatedChannel, EmulatedFile, EmulatedMessage } from './types.js';

/** Slack's wire shapes for the emulator's files, messages and channels. */

export function serializeFile(state: EmulatorState, file: EmulatedFile) {
  const { channels, baseUrl } = state;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    size: file.size,
    mode: 'hosted',
    is_external: false,
    is_public: file.channels.some((id) => channels.get(id)?.isPrivate === false),
    url_private: file.urlPrivate,
    url_private_download: file.urlPrivateDownload,
    permalink: `${baseUrl}/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    channels: file.channels.filter((id) => channels.get(id)?.isPrivate === false),
    groups: file.channels.filter((id) => channels.get(id)?.isPrivate === true),
  };
}

export function serializeMessage(state: EmulatorState, message: EmulatedMessage) {
  const replies = message.threadTs
    ? []
    : (state.timeline.get(message.channel) ?? []).filter((m) => m.threadTs === message.ts && !m.ephemeralTo);
  return {
    type: 'message',
    ts: message.ts,
    user: message.user,
    text: message.text,
    ...(message.botId ? { bot_id: message.botId, app_id: state.appId } : {}),
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.files
      ? { files: message.files.map((file) => serializeFile(state, file)), upload: true }
      : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: parentUser(state, message) } : {}),
    ...(replies.length > 0
      ? { thread_ts: message.ts, reply_count: replies.length, latest_reply: replies.at(-1)?.ts }
      : {}),
    ...(message.edited ? { edited: { user: message.user, ts: message.ts } } : {}),
    ...(message.metadata ? { metadata: message.metadata } : {}),
    team: state.teamId,
  };
}

function parentUser(state: EmulatorState, message: EmulatedMessage): string | undefined {
  return message.threadTs ? state.findMessage(message.channel, message.threadTs)?.user : undefined;
}

export function serializeChannel(state: EmulatorState, channel: EmulatedChannel) {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_private: channel.isPrivate,
    is_member: channel.botIsMember,
    is_archived: false,
    created: channel.created,
    context_team_id: state.teamId,
  };
}
