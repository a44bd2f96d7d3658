import { randomBytes, randomInt } from 'node:crypto';
import { type Activity, createActivity } from './activity.js';
import { createFaultPlan, type FaultPlan } from './faults.js';
import { SlackMethodError } from './method-error.js';
import type {
  ApiCall,
  EmulatedChannel,
  EmulatedFile,
  EmulatedMessage,
  EmulatedUser,
  EmulatedView,
  SlackEmulatorOptions,
} from './types.js';

/** Slack lets an app open a modal with a trigger_id for this long. */
export const TRIGGER_LIFETIME_MS = 3000;

/** Where a slash command's response_url posts, and how often it has been used. */
export interface ResponseUrlTarget {
  channel: string;
  user: string;
  uses: number;
  lastTs?: string;
}

/**
 * Everything the emulator knows, in memory: the workspace (channels, users, messages, files), what
 * the app did (calls, downloads), planned faults, and the lookups every part shares.
 */
export interface EmulatorState {
  readonly options: SlackEmulatorOptions;
  readonly now: () => number;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** http://127.0.0.1:<port>, set once the server listens. */
  baseUrl: string;
  eventsUrl: string | undefined;

  readonly channels: Map<string, EmulatedChannel>;
  readonly users: Map<string, EmulatedUser>;
  /** Messages per channel, oldest first, thread replies included. */
  readonly timeline: Map<string, EmulatedMessage[]>;
  readonly fileStore: Map<string, EmulatedFile>;
  /** Uploads promised by files.getUploadURLExternal, with their bytes once posted. */
  readonly pendingUploads: Map<string, { name: string; bytes?: Uint8Array }>;
  readonly responseUrls: Map<string, ResponseUrlTarget>;
  /** trigger_ids handed out with interactions and commands: whose, and until when (wall clock). */
  readonly triggers: Map<string, { userId: string; expiresAt: number }>;
  /** Modals and Home tabs by view id. */
  readonly views: Map<string, EmulatedView>;
  readonly faults: FaultPlan;
  readonly callLog: ApiCall[];
  readonly downloadLog: { fileId: string; authorized: boolean }[];
  readonly activity: Activity;

  nextId(prefix: string): string;
  /** A Slack timestamp: seconds with six decimals, strictly increasing. */
  nextTs(): string;
  addChannel(spec: {
    id?: string;
    name: string;
    isPrivate?: boolean;
    botIsMember?: boolean;
    members?: string[];
  }): EmulatedChannel;
  addUser(spec: { id?: string; name: string; tz?: string; isAdmin?: boolean }): EmulatedUser;
  /** The channel with this id; a well-formed unknown id comes into existence on first use. */
  channelFor(id: string): EmulatedChannel;
  /** The user with this id; a well-formed unknown id comes into existence on first use. */
  userFor(id: string): EmulatedUser;
  /** The channel named by a Web API parameter, which the bot must be a member of. */
  memberChannel(id: unknown): EmulatedChannel;
  /** Appends a message to its channel and tells the listeners. */
  store(message: EmulatedMessage): EmulatedMessage;
  /** Stores a message from the bot, timestamped now. */
  postAsBot(fields: Omit<EmulatedMessage, 'ts' | 'user' | 'botId'>): EmulatedMessage;
  /** A message everyone sees (ephemeral ones only when asked: a response_url may replace its own). */
  findMessage(channel: string, ts: unknown, includeEphemeral?: boolean): EmulatedMessage | undefined;
  /** A new trigger_id for `userId`, valid for three seconds and for one modal. */
  newTrigger(userId: string): string;
  /** A live response_url for answering `userId` in `channel` (commands, buttons, message shortcuts). */
  newResponseUrl(channel: string, userId: string): string;
}

export function createEmulatorState(options: SlackEmulatorOptions): EmulatorState {
  const now = options.now ?? Date.now;
  let lastMicros = 0;
  // From a random start: like Slack's, ids are never reused by a restarted emulator (segbot remembers
  // the event and file ids it has worked on).
  let idCounter = randomInt(36 ** 7);
  const channels = new Map<string, EmulatedChannel>();
  const users = new Map<string, EmulatedUser>();
  const timeline = new Map<string, EmulatedMessage[]>();
  const activity = createActivity();

  const state: EmulatorState = {
    options,
    now,
    teamId: options.teamId ?? 'T0SEGBOT',
    botUserId: options.botUserId ?? 'U0SEGBOT',
    botId: options.botId ?? 'B0SEGBOT',
    appId: options.appId ?? 'A0SEGBOT',
    baseUrl: '',
    eventsUrl: options.eventsUrl,
    channels,
    users,
    timeline,
    fileStore: new Map(),
    pendingUploads: new Map(),
    responseUrls: new Map(),
    triggers: new Map(),
    views: new Map(),
    faults: createFaultPlan(),
    callLog: [],
    downloadLog: [],
    activity,

    nextId: (prefix) => `${prefix}${(++idCounter).toString(36).toUpperCase().padStart(8, '0')}`,

    // Slack timestamps are unique per channel; strictly increasing here.
    nextTs: () => {
      lastMicros = Math.max(lastMicros + 1, Math.floor(now() * 1000));
      return (lastMicros / 1e6).toFixed(6);
    },

    addChannel(spec) {
      const isPrivate = spec.isPrivate ?? false;
      const channel: EmulatedChannel = {
        id: spec.id ?? state.nextId(isPrivate ? 'G' : 'C'),
        name: spec.name,
        isPrivate,
        botIsMember: spec.botIsMember ?? true,
        created: Math.floor(now() / 1000),
        members: new Set(spec.members ?? []),
      };
      channels.set(channel.id, channel);
      return channel;
    },

    addUser(spec) {
      const user: EmulatedUser = {
        id: spec.id ?? state.nextId('U'),
        name: spec.name,
        realName: spec.name,
        tz: spec.tz ?? 'UTC',
        isAdmin: spec.isAdmin ?? false,
      };
      users.set(user.id, user);
      return user;
    },

    // Tests and the console name channels and users by id.
    channelFor(id) {
      const existing = channels.get(id);
      if (existing) return existing;
      if (!/^[CGD][A-Z0-9]+$/.test(id)) throw new SlackMethodError('channel_not_found');
      return state.addChannel({ id, name: id.toLowerCase(), isPrivate: id.startsWith('G') });
    },

    userFor(id) {
      const existing = users.get(id);
      if (existing) return existing;
      if (!/^[UW][A-Z0-9]+$/.test(id)) throw new SlackMethodError('user_not_found');
      return state.addUser({ id, name: id.toLowerCase() });
    },

    memberChannel(id) {
      if (typeof id !== 'string' || id === '') throw new SlackMethodError('channel_not_found');
      const channel = state.channelFor(id);
      if (!channel.botIsMember) throw new SlackMethodError('not_in_channel');
      return channel;
    },

    store(message) {
      const list = timeline.get(message.channel) ?? [];
      list.push(message);
      timeline.set(message.channel, list);
      activity.notify({ kind: 'posted', message });
      return message;
    },

    postAsBot({ channel, ...fields }) {
      return state.store({
        channel,
        ts: state.nextTs(),
        user: state.botUserId,
        botId: state.botId,
        ...fields,
      });
    },

    newTrigger(userId) {
      const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
      state.triggers.set(id, { userId, expiresAt: Date.now() + TRIGGER_LIFETIME_MS });
      return id;
    },

    newResponseUrl(channel, userId) {
      const id = `${state.teamId}/${state.nextId('R')}/${randomBytes(12).toString('hex')}`;
      state.responseUrls.set(id, { channel, user: userId, uses: 0 });
      return `${state.baseUrl}/commands/${id}`;
    },

    findMessage(channel, ts, includeEphemeral = false) {
      return timeline
        .get(channel)
        ?.find((message) => message.ts === ts && (includeEphemeral || message.ephemeralTo === undefined));
    },
  };
  return state;
}
