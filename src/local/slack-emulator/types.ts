/** The emulator's public types: what tests, local mode and the console see of it. */

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
  /** People in the channel: added ones, and anyone who has posted, shared or typed a command there. */
  members: Set<string>;
}

/** A modal or a Home tab as the app published it, with what Slack keeps about it. */
export interface EmulatedView {
  id: string;
  type: 'modal' | 'home';
  /** Whose screen it is on. */
  userId: string;
  /** The view as the app sent it (blocks, title, callback_id, private_metadata…). */
  view: Record<string, unknown>;
  /** Set on a modal pushed over another one. */
  previousViewId?: string;
  /** A modal closed by a submission without errors (or cleared); Home views are never closed. */
  closed: boolean;
  /** The last `response_action: errors` answer to a submission, by block_id. */
  errors?: Record<string, string>;
  hash: string;
}

/** Where a button is pressed: a message in a channel, or a view (a modal or Home). */
export type ButtonPlace = { channel: string; ts: string } | { viewId: string };

/** What a person does with a button, a modal or a shortcut, sent as Slack's signed interactive payloads. */
export interface InteractionActions {
  /**
   * Presses the button `actionId` on a message or a view. Throws when there is no such button; a
   * button with a `confirm` dialog needs `confirmed: true` (the person pressed the dialog's confirm).
   */
  pressButton(
    userId: string,
    place: ButtonPlace,
    actionId: string,
    options?: { confirmed?: boolean; blockId?: string },
  ): Promise<Delivery>;
  /**
   * Fills the open modal `viewId` and submits it: `values` by action_id (a string, or a list for
   * multi-selects; options are chosen by value). Resolves with the delivery and the errors the
   * app answered with (`response_action: errors`); without errors the modal closes.
   */
  submitView(
    userId: string,
    viewId: string,
    values: Record<string, string | string[]>,
  ): Promise<{ delivery: Delivery; errors?: Record<string, string> }>;
  /** The person opens the app's Home tab: the `app_home_opened` event. */
  openHome(userId: string): Promise<Delivery>;
  /** A global shortcut (`callbackId`), from the shortcuts menu. */
  globalShortcut(userId: string, callbackId: string): Promise<Delivery>;
  /** A message shortcut (`callbackId`) on the message `ts` of `channel`. */
  messageShortcut(userId: string, callbackId: string, channel: string, ts: string): Promise<Delivery>;
  /** Views on a person's screen: their Home and their modals (open ones last). */
  views(userId: string): EmulatedView[];
  /** The person's open modal on top of the stack, if any. */
  openModal(userId: string): EmulatedView | undefined;
  /** The person's Home tab as last published, if any. */
  home(userId: string): EmulatedView | undefined;
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
  /** Never answer: the request stays open until the client gives up (a hung Slack). */
  hang?: boolean;
}

export type EmulatorActivity =
  | { kind: 'posted'; message: EmulatedMessage }
  | { kind: 'updated'; message: EmulatedMessage }
  | { kind: 'deleted'; channel: string; ts: string };

export interface SlackEmulator extends InteractionActions {
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
    members?: string[];
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
  /**
   * Resolves with the first truthy value of `check`, re-evaluated whenever something happens (and
   * every 50 ms). `check` may be async (a database read); one evaluation runs at a time.
   */
  waitFor<T>(
    check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    options?: { timeoutMs?: number; what?: string },
  ): Promise<T>;
  onActivity(listener: (activity: EmulatorActivity) => void): () => void;
  close(): Promise<void>;
}
