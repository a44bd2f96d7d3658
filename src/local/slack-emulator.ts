import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BLOCK_KIT_LIMITS, findBlockKitViolations } from './check-blocks.js';
import { signSlackRequest } from './sign-request.js';

/**
 * A loopback stand-in for Slack: the Web API methods segbot calls, file hosting with Slack's
 * token check, response URLs, and signed events and slash commands sent to the app's receiver.
 * Local mode runs the real app against it, and the end-to-end tests use it to see what the app did.
 * It keeps everything in memory and listens on 127.0.0.1 only.
 */

export interface SlackEmulatorOptions {
  /** The bot token the app will present; any other token gets `invalid_auth`. */
  botToken: string;
  /** Used to sign the events and commands sent to the app. */
  signingSecret: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** The app's request URL (…/slack/events); can also be set later with `setEventsUrl`. */
  eventsUrl?: string;
  /** Clock for message timestamps (ms). Signatures always use the wall clock, as Slack's do. */
  now?: () => number;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
}

/** A file as the emulator stores it; `bytes` never leave the emulator except through the download URL. */
export interface EmulatedFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  created: number;
  channels: string[];
  bytes: Uint8Array;
  urlPrivate: string;
  urlPrivateDownload: string;
}

export interface EmulatedMessage {
  channel: string;
  ts: string;
  /** Set on replies (and equal to `ts` on nothing: parents carry no thread_ts here). */
  threadTs?: string;
  user: string;
  /** Set when the bot posted it. */
  botId?: string;
  text: string;
  blocks?: unknown[];
  files?: EmulatedFile[];
  subtype?: string;
  /** Set on ephemeral messages: only this user sees them, and history never returns them. */
  ephemeralTo?: string;
  edited?: boolean;
  /** Message metadata as chat.postMessage took it; history returns it as Slack does. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface EmulatedChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  botIsMember: boolean;
  created: number;
}

export interface EmulatedUser {
  id: string;
  name: string;
  realName: string;
  tz: string;
  isAdmin: boolean;
}

/** One Web API call the app made (token removed). */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
}

/** What the app's receiver answered to a request the emulator sent. */
export interface Delivery {
  status: number;
  body: string;
  /** Wall time until the answer; Slack gives up after 3 s. Informational only. */
  ackMs: number;
}

export interface CommandDelivery extends Delivery {
  responseUrl: string;
}

export interface FileShareResult {
  file: EmulatedFile;
  message: EmulatedMessage;
  delivery: Delivery;
}

/** A planned failure for the next call(s) of one Web API method. */
export interface Fault {
  /** How many consecutive calls fail (default 1). */
  times?: number;
  /** Answer HTTP 429 with this Retry-After (seconds) instead of a Slack error. */
  retryAfter?: number;
  /** Slack error code, e.g. `not_in_channel` (default `internal_error` unless retryAfter is set). */
  error?: string;
}

export type EmulatorActivity =
  | { kind: 'posted'; message: EmulatedMessage }
  | { kind: 'updated'; message: EmulatedMessage }
  | { kind: 'deleted'; channel: string; ts: string };

export interface SlackEmulator {
  /** Web API base URL for the app's `slackApiUrl` (ends with `/`). */
  readonly apiUrl: string;
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  setEventsUrl(url: string): void;

  addChannel(channel: {
    id?: string;
    name: string;
    isPrivate?: boolean;
    botIsMember?: boolean;
  }): EmulatedChannel;
  addUser(user: { id?: string; name: string; tz?: string; isAdmin?: boolean }): EmulatedUser;

  /** A person drops a file into a channel: stores it and sends the `file_share` message event. */
  shareFile(
    channel: string,
    user: string,
    name: string,
    bytes: Uint8Array,
    options?: { threadTs?: string; text?: string },
  ): Promise<FileShareResult>;
  /** A person types a slash command: sends the signed, form-encoded command with a live response_url. */
  sendCommand(
    channel: string,
    user: string,
    text: string,
    options?: { command?: string },
  ): Promise<CommandDelivery>;
  /** A person mentions the bot (in a thread when `threadTs` is set): the message and `app_mention` events. */
  mention(
    channel: string,
    threadTs: string | undefined,
    user: string,
    text: string,
  ): Promise<{ message: EmulatedMessage; delivery: Delivery }>;
  /** A person posts a plain message: the `message` event. */
  say(
    channel: string,
    user: string,
    text: string,
    options?: { threadTs?: string },
  ): Promise<{ message: EmulatedMessage; delivery: Delivery }>;
  /** Sends a raw request to the receiver, signed unless `signature` overrides it (for signature tests). */
  sendSigned(request: {
    body: string;
    contentType: string;
    timestampSeconds?: number;
    signature?: string;
  }): Promise<Delivery>;

  /**
   * Makes the next call(s) of `method` fail as described. The method `files.download` stands for
   * fetching a private file URL: its fault serves the sign-in page, as Slack does for a bad token.
   */
  failNext(method: string, fault: Fault): void;

  /** Messages in a channel, oldest first (thread replies included; `threadTs` narrows to one thread). */
  messages(channel: string, options?: { threadTs?: string; includeEphemeral?: boolean }): EmulatedMessage[];
  /** Files shared into a channel, oldest first. */
  files(channel: string): EmulatedFile[];
  file(id: string): EmulatedFile | undefined;
  calls(method?: string): ApiCall[];
  /** Every request for a private file URL, and whether it carried the bot token. */
  downloads(): { fileId: string; authorized: boolean }[];
  /** Resolves with the first truthy value of `check`, re-evaluated whenever something happens (and every 50 ms). */
  waitFor<T>(
    check: () => T | undefined | null | false,
    options?: { timeoutMs?: number; what?: string },
  ): Promise<T>;
  onActivity(listener: (activity: EmulatorActivity) => void): () => void;
  close(): Promise<void>;
}

type Params = Record<string, unknown>;
type MethodResult = Record<string, unknown>;

class SlackMethodError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

const MAX_RESPONSE_URL_USES = 5;
const EXTENSION_TYPES: Record<string, { filetype: string; mimetype: string }> = {
  csv: { filetype: 'csv', mimetype: 'text/csv' },
  tsv: { filetype: 'tsv', mimetype: 'text/tab-separated-values' },
  txt: { filetype: 'text', mimetype: 'text/plain' },
  png: { filetype: 'png', mimetype: 'image/png' },
  jpg: { filetype: 'jpg', mimetype: 'image/jpeg' },
  svg: { filetype: 'svg', mimetype: 'image/svg+xml' },
  json: { filetype: 'json', mimetype: 'application/json' },
  pdf: { filetype: 'pdf', mimetype: 'application/pdf' },
  xlsx: { filetype: 'xlsx', mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  zip: { filetype: 'zip', mimetype: 'application/zip' },
};

/** Slack answers a bad or missing token on a private file URL with its sign-in page, status 200. */
const LOGIN_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Slack</title></head>' +
  '<body><h1>Sign in to your workspace</h1><form action="/signin" method="post">' +
  '<input type="email" name="email"><button type="submit">Continue</button></form></body></html>';

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const now = options.now ?? Date.now;
  const teamId = options.teamId ?? 'T0SEGBOT';
  const botUserId = options.botUserId ?? 'U0SEGBOT';
  const botId = options.botId ?? 'B0SEGBOT';
  const appId = options.appId ?? 'A0SEGBOT';
  let eventsUrl = options.eventsUrl;
  let baseUrl = '';

  const channels = new Map<string, EmulatedChannel>();
  const users = new Map<string, EmulatedUser>();
  const timeline = new Map<string, EmulatedMessage[]>();
  const fileStore = new Map<string, EmulatedFile>();
  const pendingUploads = new Map<string, { name: string; bytes?: Uint8Array }>();
  const responseUrls = new Map<string, { channel: string; user: string; uses: number; lastTs?: string }>();
  const faults = new Map<string, Fault[]>();
  const callLog: ApiCall[] = [];
  const downloadLog: { fileId: string; authorized: boolean }[] = [];
  const listeners = new Set<(activity: EmulatorActivity) => void>();
  const waiters = new Set<() => void>();
  let lastMicros = 0;
  let idCounter = 0;

  const nextId = (prefix: string) => `${prefix}${(++idCounter).toString(36).toUpperCase().padStart(8, '0')}`;

  // Slack timestamps are seconds with six decimals and unique per channel; strictly increasing here.
  const nextTs = () => {
    lastMicros = Math.max(lastMicros + 1, Math.floor(now() * 1000));
    return (lastMicros / 1e6).toFixed(6);
  };

  const notify = (activity?: EmulatorActivity) => {
    if (activity) for (const listener of listeners) listener(activity);
    for (const waiter of [...waiters]) waiter();
  };

  function addChannel(spec: { id?: string; name: string; isPrivate?: boolean; botIsMember?: boolean }) {
    const isPrivate = spec.isPrivate ?? false;
    const channel: EmulatedChannel = {
      id: spec.id ?? nextId(isPrivate ? 'G' : 'C'),
      name: spec.name,
      isPrivate,
      botIsMember: spec.botIsMember ?? true,
      created: Math.floor(now() / 1000),
    };
    channels.set(channel.id, channel);
    return channel;
  }

  function addUser(spec: { id?: string; name: string; tz?: string; isAdmin?: boolean }) {
    const user: EmulatedUser = {
      id: spec.id ?? nextId('U'),
      name: spec.name,
      realName: spec.name,
      tz: spec.tz ?? 'UTC',
      isAdmin: spec.isAdmin ?? false,
    };
    users.set(user.id, user);
    return user;
  }

  // Tests and the console name channels and users by id; unknown ids come into existence on first use.
  function channelFor(id: string): EmulatedChannel {
    const existing = channels.get(id);
    if (existing) return existing;
    if (!/^[CGD][A-Z0-9]+$/.test(id)) throw new SlackMethodError('channel_not_found');
    return addChannel({ id, name: id.toLowerCase(), isPrivate: id.startsWith('G') });
  }

  function userFor(id: string): EmulatedUser {
    const existing = users.get(id);
    if (existing) return existing;
    if (!/^[UW][A-Z0-9]+$/.test(id)) throw new SlackMethodError('user_not_found');
    return addUser({ id, name: id.toLowerCase() });
  }

  function memberChannel(id: unknown): EmulatedChannel {
    if (typeof id !== 'string' || id === '') throw new SlackMethodError('channel_not_found');
    const channel = channelFor(id);
    if (!channel.botIsMember) throw new SlackMethodError('not_in_channel');
    return channel;
  }

  function store(message: EmulatedMessage): EmulatedMessage {
    const list = timeline.get(message.channel) ?? [];
    list.push(message);
    timeline.set(message.channel, list);
    notify({ kind: 'posted', message });
    return message;
  }

  /** A message everyone sees (ephemeral ones only when asked: a response_url may replace its own). */
  function findMessage(channel: string, ts: unknown, includeEphemeral = false): EmulatedMessage | undefined {
    return timeline
      .get(channel)
      ?.find((message) => message.ts === ts && (includeEphemeral || message.ephemeralTo === undefined));
  }

  function typeOf(name: string) {
    const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
    return EXTENSION_TYPES[extension] ?? { filetype: 'binary', mimetype: 'application/octet-stream' };
  }

  function createFile(
    name: string,
    user: string,
    bytes: Uint8Array,
    extra: { id?: string; title?: string } = {},
  ): EmulatedFile {
    const id = extra.id ?? nextId('F');
    const title = extra.title;
    const { filetype, mimetype } = typeOf(name);
    const safeName = encodeURIComponent(name);
    const file: EmulatedFile = {
      id,
      name,
      title: title ?? name,
      mimetype,
      filetype,
      size: bytes.byteLength,
      user,
      created: Math.floor(now() / 1000),
      channels: [],
      bytes,
      urlPrivate: `${baseUrl}/files-pri/${teamId}-${id}/${safeName}`,
      urlPrivateDownload: `${baseUrl}/files-pri/${teamId}-${id}/download/${safeName}`,
    };
    fileStore.set(id, file);
    return file;
  }

  function serializeFile(file: EmulatedFile) {
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

  function serializeMessage(message: EmulatedMessage) {
    const replies = message.threadTs
      ? []
      : (timeline.get(message.channel) ?? []).filter((m) => m.threadTs === message.ts && !m.ephemeralTo);
    return {
      type: 'message',
      ts: message.ts,
      user: message.user,
      text: message.text,
      ...(message.botId ? { bot_id: message.botId, app_id: appId } : {}),
      ...(message.subtype ? { subtype: message.subtype } : {}),
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.files ? { files: message.files.map(serializeFile), upload: true } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: parentUser(message) } : {}),
      ...(replies.length > 0
        ? { thread_ts: message.ts, reply_count: replies.length, latest_reply: replies.at(-1)?.ts }
        : {}),
      ...(message.edited ? { edited: { user: message.user, ts: message.ts } } : {}),
      ...(message.metadata ? { metadata: message.metadata } : {}),
      team: teamId,
    };
  }

  function parentUser(message: EmulatedMessage): string | undefined {
    return message.threadTs ? findMessage(message.channel, message.threadTs)?.user : undefined;
  }

  function serializeChannel(channel: EmulatedChannel) {
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
      context_team_id: teamId,
    };
  }

  function textParam(params: Params, name: string): string | undefined {
    const value = params[name];
    if (value === undefined || value === null || value === '') return undefined;
    return String(value);
  }

  function jsonParam(params: Params, name: string): unknown {
    const value = params[name];
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      throw new SlackMethodError('invalid_arguments', { errors: [`${name} is not valid JSON`] });
    }
  }

  /** Text and blocks of a message-posting call, checked against the limits Slack enforces. */
  function messageContent(params: Params): { text: string; blocks?: unknown[] } {
    const text = textParam(params, 'text') ?? '';
    const blocks = jsonParam(params, 'blocks');
    const attachments = jsonParam(params, 'attachments');
    if (blocks !== undefined) {
      const violations = findBlockKitViolations(blocks);
      if (violations.length > 0) {
        throw new SlackMethodError('invalid_blocks', {
          errors: violations,
          response_metadata: { messages: violations.map((violation) => `[ERROR] ${violation}`) },
        });
      }
    }
    if (text === '' && blocks === undefined && attachments === undefined)
      throw new SlackMethodError('no_text');
    if (text.length > BLOCK_KIT_LIMITS.messageText) throw new SlackMethodError('msg_too_long');
    return blocks === undefined ? { text } : { text, blocks: blocks as unknown[] };
  }

  function ownMessage(params: Params, notMine: string): EmulatedMessage {
    const channel = memberChannel(params['channel']);
    const message = findMessage(channel.id, params['ts']);
    if (!message) throw new SlackMethodError('message_not_found');
    if (message.botId !== botId) throw new SlackMethodError(notMine);
    return message;
  }

  function pageOf<T>(items: T[], params: Params, defaultLimit: number) {
    const limit = Math.max(1, Math.min(1000, Number(params['limit'] ?? defaultLimit) || defaultLimit));
    const cursor = textParam(params, 'cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace('offset:', '')) : 0;
    const page = items.slice(start, start + limit);
    const hasMore = start + limit < items.length;
    const nextCursor = hasMore ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
    return { page, hasMore, meta: { next_cursor: nextCursor } };
  }

  function tzOffsetSeconds(timeZone: string): number {
    const label = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(now()))
      .find((part) => part.type === 'timeZoneName')?.value;
    const match = label?.match(/GMT([+-])(\d{2}):(\d{2})/);
    if (!match) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === '-' ? -seconds : seconds;
  }

  const methods: Record<string, (params: Params) => MethodResult> = {
    'api.test': (params) => ({ args: params }),
    'auth.test': () => ({
      url: `${baseUrl}/`,
      team: 'segbot local',
      user: 'segbot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (params) => {
      const channel = memberChannel(params['channel']);
      const content = messageContent(params);
      const threadTs = textParam(params, 'thread_ts');
      const metadata = metadataParam(params['metadata']);
      const message = store({
        channel: channel.id,
        ts: nextTs(),
        user: botUserId,
        botId,
        ...content,
        threadTs,
        ...(metadata ? { metadata } : {}),
      });
      return { channel: channel.id, ts: message.ts, message: serializeMessage(message) };
    },
    'chat.postEphemeral': (params) => {
      const channel = memberChannel(params['channel']);
      const user = userFor(textParam(params, 'user') ?? '');
      const content = messageContent(params);
      const threadTs = textParam(params, 'thread_ts');
      const message = store({
        channel: channel.id,
        ts: nextTs(),
        user: botUserId,
        botId,
        ...content,
        threadTs,
        ephemeralTo: user.id,
      });
      return { message_ts: message.ts };
    },
    'chat.update': (params) => {
      const message = ownMessage(params, 'cant_update_message');
      const content = messageContent(params);
      message.text = content.text;
      if (content.blocks !== undefined) message.blocks = content.blocks;
      message.edited = true;
      notify({ kind: 'updated', message });
      return {
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        message: serializeMessage(message),
      };
    },
    'chat.delete': (params) => {
      const message = ownMessage(params, 'cant_delete_message');
      const list = timeline.get(message.channel) ?? [];
      list.splice(list.indexOf(message), 1);
      notify({ kind: 'deleted', channel: message.channel, ts: message.ts });
      return { channel: message.channel, ts: message.ts };
    },
    'files.getUploadURLExternal': (params) => {
      const name = textParam(params, 'filename');
      const length = Number(params['length']);
      if (!name || !Number.isInteger(length) || length <= 0) throw new SlackMethodError('invalid_arguments');
      const id = nextId('F');
      pendingUploads.set(id, { name });
      return { upload_url: `${baseUrl}/upload/v1/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (params) => {
      const specs = jsonParam(params, 'files');
      if (!Array.isArray(specs) || specs.length === 0) throw new SlackMethodError('invalid_arguments');
      const channelId = textParam(params, 'channel_id') ?? textParam(params, 'channels')?.split(',')[0];
      const channel = channelId === undefined ? undefined : memberChannel(channelId);
      const completed: EmulatedFile[] = [];
      for (const spec of specs as { id?: string; title?: string }[]) {
        const pending = spec.id === undefined ? undefined : pendingUploads.get(spec.id);
        if (!pending?.bytes || spec.id === undefined) throw new SlackMethodError('file_not_found');
        pendingUploads.delete(spec.id);
        // The file keeps the id the client was promised in getUploadURLExternal.
        completed.push(
          createFile(pending.name, botUserId, pending.bytes, { id: spec.id, title: spec.title }),
        );
      }
      if (channel) {
        for (const file of completed) file.channels.push(channel.id);
        const blocks = jsonParam(params, 'blocks');
        store({
          channel: channel.id,
          ts: nextTs(),
          user: botUserId,
          botId,
          text: textParam(params, 'initial_comment') ?? '',
          ...(Array.isArray(blocks) ? { blocks } : {}),
          files: completed,
          subtype: 'file_share',
          threadTs: textParam(params, 'thread_ts'),
        });
      }
      return { files: completed.map((file) => ({ id: file.id, title: file.title })) };
    },
    'files.info': (params) => {
      const file = fileStore.get(textParam(params, 'file') ?? '');
      if (!file) throw new SlackMethodError('file_not_found');
      return { file: serializeFile(file), comments: [], response_metadata: { next_cursor: '' } };
    },
    'conversations.info': (params) => {
      const id = textParam(params, 'channel');
      if (!id) throw new SlackMethodError('channel_not_found');
      return { channel: serializeChannel(channelFor(id)) };
    },
    'conversations.join': (params) => {
      const id = textParam(params, 'channel');
      if (!id) throw new SlackMethodError('channel_not_found');
      const channel = channelFor(id);
      if (channel.isPrivate && !channel.botIsMember)
        throw new SlackMethodError('method_not_supported_for_channel_type');
      const already = channel.botIsMember;
      channel.botIsMember = true;
      return { channel: serializeChannel(channel), ...(already ? { warning: 'already_in_channel' } : {}) };
    },
    'conversations.history': (params) => {
      const channel = memberChannel(params['channel']);
      const oldest = Number(params['oldest'] ?? 0);
      const latest = params['latest'] === undefined ? Number.POSITIVE_INFINITY : Number(params['latest']);
      const top = (timeline.get(channel.id) ?? [])
        .filter((m) => !m.threadTs && !m.ephemeralTo && Number(m.ts) >= oldest && Number(m.ts) <= latest)
        .reverse();
      const { page, hasMore, meta } = pageOf(top, params, 100);
      return { messages: page.map(serializeMessage), has_more: hasMore, response_metadata: meta };
    },
    'conversations.replies': (params) => {
      const channel = memberChannel(params['channel']);
      const ts = textParam(params, 'ts');
      const parent = findMessage(channel.id, ts);
      if (!parent) throw new SlackMethodError('thread_not_found');
      const root = parent.threadTs ?? parent.ts;
      const thread = (timeline.get(channel.id) ?? []).filter(
        (m) => !m.ephemeralTo && (m.ts === root || m.threadTs === root),
      );
      const { page, hasMore, meta } = pageOf(thread, params, 1000);
      return { messages: page.map(serializeMessage), has_more: hasMore, response_metadata: meta };
    },
    'users.info': (params) => {
      const user = userFor(textParam(params, 'user') ?? '');
      return {
        user: {
          id: user.id,
          team_id: teamId,
          name: user.name,
          real_name: user.realName,
          tz: user.tz,
          tz_label: user.tz,
          tz_offset: tzOffsetSeconds(user.tz),
          is_admin: user.isAdmin,
          is_bot: false,
          deleted: false,
          profile: { real_name: user.realName, display_name: user.name },
        },
      };
    },
  };

  /** The planned fault for this call of `method`, if any, counted as used. */
  function takeFault(method: string): Fault | undefined {
    const queued = faults.get(method);
    const fault = queued?.[0];
    if (!queued || !fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) queued.shift();
    return fault;
  }

  async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function parseParams(request: IncomingMessage, raw: Buffer, url: URL): Promise<Params> {
    const params: Params = Object.fromEntries(url.searchParams);
    const type = request.headers['content-type'] ?? '';
    if (type.includes('application/json')) {
      Object.assign(params, raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {});
    } else if (type.includes('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      for (const [key, value] of form) {
        params[key] = typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer());
      }
    } else if (raw.length > 0) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
    }
    return params;
  }

  function sendJson(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  }

  function bearer(request: IncomingMessage): string | undefined {
    const header = request.headers.authorization;
    return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  }

  async function handleApi(method: string, request: IncomingMessage, response: ServerResponse, url: URL) {
    const params = await parseParams(request, await readBody(request), url);
    const token = bearer(request) ?? textParam(params, 'token');
    delete params['token'];
    callLog.push({ method, params });
    notify();
    if (token === undefined) return sendJson(response, 200, { ok: false, error: 'not_authed' });
    if (token !== options.botToken) return sendJson(response, 200, { ok: false, error: 'invalid_auth' });

    const fault = takeFault(method);
    if (fault) {
      if (fault.retryAfter !== undefined) {
        return sendJson(
          response,
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(fault.retryAfter) },
        );
      }
      return sendJson(response, 200, { ok: false, error: fault.error ?? 'internal_error' });
    }

    const handler = methods[method];
    if (!handler) return sendJson(response, 200, { ok: false, error: 'unknown_method' });
    try {
      sendJson(response, 200, { ok: true, ...handler(params) });
    } catch (error) {
      if (error instanceof SlackMethodError) {
        return sendJson(response, 200, { ok: false, error: error.error, ...error.extra });
      }
      throw error;
    }
  }

  async function handleUpload(id: string, request: IncomingMessage, response: ServerResponse, url: URL) {
    const pending = pendingUploads.get(id);
    const raw = await readBody(request);
    if (!pending) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      return response.end('upload not found');
    }
    const type = request.headers['content-type'] ?? '';
    let bytes: Uint8Array = new Uint8Array(raw);
    if (type.includes('multipart/form-data')) {
      const params = await parseParams(request, raw, url);
      const part = Object.values(params).find((value) => value instanceof Uint8Array);
      bytes = part instanceof Uint8Array ? part : new Uint8Array(0);
    }
    pending.bytes = bytes;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`OK - ${bytes.byteLength}`);
  }

  function handleFileDownload(path: string, request: IncomingMessage, response: ServerResponse) {
    const match = path.match(/^\/files-pri\/[^-/]+-([^/]+)\//);
    const file = match?.[1] ? fileStore.get(match[1]) : undefined;
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      return response.end('file not found');
    }
    const authorized = bearer(request) === options.botToken;
    downloadLog.push({ fileId: file.id, authorized });
    notify();
    if (!authorized || takeFault('files.download')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end(LOGIN_PAGE);
    }
    response.writeHead(200, {
      'content-type': file.mimetype,
      'content-length': String(file.bytes.byteLength),
      'content-disposition': `attachment; filename="${encodeURIComponent(file.name)}"`,
    });
    response.end(file.bytes);
  }

  async function handleResponseUrl(id: string, request: IncomingMessage, response: ServerResponse, url: URL) {
    const target = responseUrls.get(id);
    const params = await parseParams(request, await readBody(request), url);
    if (!target) return sendJson(response, 404, { ok: false, error: 'expired_url' });
    if (target.uses >= MAX_RESPONSE_URL_USES)
      return sendJson(response, 404, { ok: false, error: 'used_url' });
    target.uses += 1;
    let content: { text: string; blocks?: unknown[] };
    try {
      content = messageContent(params);
    } catch (error) {
      if (error instanceof SlackMethodError)
        return sendJson(response, 400, { ok: false, error: error.error });
      throw error;
    }
    const previous = target.lastTs ? findMessage(target.channel, target.lastTs, true) : undefined;
    if (params['replace_original'] === true || params['replace_original'] === 'true') {
      if (previous) {
        previous.text = content.text;
        if (content.blocks !== undefined) previous.blocks = content.blocks;
        previous.edited = true;
        notify({ kind: 'updated', message: previous });
        return sendJson(response, 200, { ok: true });
      }
    }
    const inChannel = params['response_type'] === 'in_channel';
    const message = store({
      channel: target.channel,
      ts: nextTs(),
      user: botUserId,
      botId,
      ...content,
      ...(inChannel ? {} : { ephemeralTo: target.user }),
    });
    target.lastTs = message.ts;
    sendJson(response, 200, { ok: true });
  }

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', baseUrl);
    const path = url.pathname;
    if (path.startsWith('/api/')) return handleApi(path.slice('/api/'.length), request, response, url);
    if (path.startsWith('/upload/v1/') && request.method === 'POST') {
      return handleUpload(path.slice('/upload/v1/'.length), request, response, url);
    }
    if (path.startsWith('/files-pri/') && request.method === 'GET')
      return handleFileDownload(path, request, response);
    if (path.startsWith('/commands/') && request.method === 'POST') {
      return handleResponseUrl(path.slice('/commands/'.length), request, response, url);
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }

  const server: Server = createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: 'internal_error' });
      else response.end();
    });
  });
  // Outlive the clients' keep-alive, so a client never reuses a socket the server is closing.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function sendSigned(request: {
    body: string;
    contentType: string;
    timestampSeconds?: number;
    signature?: string;
  }): Promise<Delivery> {
    if (!eventsUrl) throw new Error('The emulator has no events URL yet; call setEventsUrl first.');
    const headers = signSlackRequest(
      options.signingSecret,
      request.body,
      request.timestampSeconds ?? Date.now() / 1000,
    );
    if (request.signature !== undefined) headers['x-slack-signature'] = request.signature;
    const started = performance.now();
    const response = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': request.contentType, ...headers },
      body: request.body,
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    return { status: response.status, body, ackMs: performance.now() - started };
  }

  function sendEvent(event: Record<string, unknown>): Promise<Delivery> {
    const envelope = {
      token: 'verification-token-unused',
      team_id: teamId,
      api_app_id: appId,
      event: { ...event, event_ts: event['ts'] ?? nextTs() },
      type: 'event_callback',
      event_id: nextId('Ev'),
      event_time: Math.floor(now() / 1000),
      authorizations: [{ team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    return sendSigned({ body: JSON.stringify(envelope), contentType: 'application/json' });
  }

  function channelType(channel: EmulatedChannel) {
    return channel.isPrivate ? 'group' : 'channel';
  }

  function userMessage(channelId: string, userId: string, text: string, threadTs?: string, extra = {}) {
    const channel = channelFor(channelId);
    const user = userFor(userId);
    return {
      channel,
      message: store({ channel: channel.id, ts: nextTs(), user: user.id, text, threadTs, ...extra }),
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
      channel_type: channelType(channel),
      user: message.user,
      text: message.text,
      ts: message.ts,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      ...extra,
    };
  }

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    teamId,
    botUserId,
    botId,
    setEventsUrl(url: string) {
      eventsUrl = url;
    },
    addChannel,
    addUser,

    async shareFile(channelId, userId, name, bytes, shareOptions = {}) {
      const file = createFile(name, userFor(userId).id, new Uint8Array(bytes));
      const { channel, message } = userMessage(
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
        messageEvent(channel, message, {
          subtype: 'file_share',
          files: [serializeFile(file)],
          upload: true,
          display_as_bot: false,
        }),
      );
      return { file, message, delivery };
    },

    async sendCommand(channelId, userId, text, commandOptions = {}) {
      const channel = channelFor(channelId);
      const user = userFor(userId);
      const command = commandOptions.command ?? '/segbot';
      const id = `${teamId}/${nextId('R')}/${randomBytes(12).toString('hex')}`;
      responseUrls.set(id, { channel: channel.id, user: user.id, uses: 0 });
      const responseUrl = `${baseUrl}/commands/${id}`;
      const form = new URLSearchParams({
        token: 'verification-token-unused',
        team_id: teamId,
        team_domain: 'segbot-local',
        channel_id: channel.id,
        channel_name: channel.name,
        user_id: user.id,
        user_name: user.name,
        command,
        text,
        api_app_id: appId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
      });
      const delivery = await sendSigned({
        body: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      // What Slack shows the user when the app's acknowledgement carries a message, or fails.
      if (delivery.status !== 200) {
        store(slackbotNotice(channel.id, user.id, `${command} failed with the error "dispatch_failed"`));
      } else if (delivery.ackMs > 3000) {
        store(slackbotNotice(channel.id, user.id, `${command} failed with the error "operation_timeout"`));
      } else if (delivery.body.trim() !== '') {
        const content = ackContent(delivery.body);
        store({
          channel: channel.id,
          ts: nextTs(),
          user: botUserId,
          botId,
          ...content.message,
          ...(content.inChannel ? {} : { ephemeralTo: user.id }),
        });
      }
      return { ...delivery, responseUrl };
    },

    async mention(channelId, threadTs, userId, text) {
      const fullText = `<@${botUserId}> ${text}`;
      const { channel, message } = userMessage(channelId, userId, fullText, threadTs);
      // Slack sends both: the channel message, then the app_mention for the same ts.
      await sendEvent(messageEvent(channel, message));
      const delivery = await sendEvent({
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
      const { channel, message } = userMessage(channelId, userId, text, sayOptions.threadTs);
      const delivery = await sendEvent(messageEvent(channel, message));
      return { message, delivery };
    },

    sendSigned,

    failNext(method, fault) {
      const queue = faults.get(method) ?? [];
      queue.push({ ...fault, times: fault.times ?? 1 });
      faults.set(method, queue);
    },

    messages(channel, filter = {}) {
      return (timeline.get(channel) ?? []).filter(
        (message) =>
          ((filter.includeEphemeral ?? true) ? true : message.ephemeralTo === undefined) &&
          (filter.threadTs === undefined ||
            message.ts === filter.threadTs ||
            message.threadTs === filter.threadTs),
      );
    },

    files(channel) {
      return [...fileStore.values()].filter((file) => file.channels.includes(channel));
    },

    file(id) {
      return fileStore.get(id);
    },

    downloads() {
      return [...downloadLog];
    },

    calls(method) {
      return method === undefined ? [...callLog] : callLog.filter((call) => call.method === method);
    },

    waitFor(check, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 20_000;
      return new Promise((resolve, reject) => {
        const attempt = () => {
          let value: ReturnType<typeof check>;
          try {
            value = check();
          } catch (error) {
            finish();
            reject(error);
            return;
          }
          if (value) {
            finish();
            resolve(value);
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(`Timed out after ${timeoutMs} ms waiting for ${waitOptions.what ?? 'a condition'}`),
          );
        }, timeoutMs);
        // Emulator events re-check at once; the poll covers conditions outside it (logs, the database).
        const poll = setInterval(attempt, 50);
        const finish = () => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(attempt);
        };
        waiters.add(attempt);
        attempt();
      });
    },

    onActivity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function slackbotNotice(channel: string, user: string, text: string): EmulatedMessage {
    return { channel, ts: nextTs(), user: 'USLACKBOT', text, ephemeralTo: user };
  }

  function ackContent(body: string): { message: { text: string; blocks?: unknown[] }; inChannel: boolean } {
    try {
      const parsed = JSON.parse(body) as Params;
      const message = messageContent(parsed);
      return { message, inChannel: parsed['response_type'] === 'in_channel' };
    } catch {
      return { message: { text: body }, inChannel: false };
    }
  }
}

/** Message metadata arrives as a JSON string (form-encoded) or an object (JSON body). */
function metadataParam(value: unknown): EmulatedMessage['metadata'] | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { event_type: eventType, event_payload: payload } = parsed as Record<string, unknown>;
  if (typeof eventType !== 'string') return undefined;
  return {
    event_type: eventType,
    event_payload:
      typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {},
  };
}
