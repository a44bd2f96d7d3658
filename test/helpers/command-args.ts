/**
 * Fake Bolt listener arguments for the `/segbot` handlers: a slash command payload, ack and
 * respond that record what they were given, and a Web API client that records every call and
 * answers like Slack does. Plus test dependencies over an in-memory database.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { createChartBuilders } from '../../commands/charts.js';
import type { CommandDeps, CommandLogger } from '../../commands/deps.js';
import { openDatabase, type SegbotDatabase } from '../../db/client.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createJobStore } from '../../db/repositories/job-store.js';
import { createMemoryRequestLedger } from '../../db/repositories/request-ledger.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import { createJobQueue } from '../../src/jobs/job-queue.js';
import type { SharedFile } from '../../src/slack/shared-files.js';

/** One recorded Web API call (or ack / respond), in the order they happened. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
}

/** A message as Slack would hold it after the recorded calls. */
export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  /** Every text the message had, oldest first (chat.update appends). */
  history: string[];
}

export interface FakeClientOptions {
  /** Messages conversations.history returns, newest first. */
  history?: { ts: string; user?: string; bot_id?: string; thread_ts?: string; files?: SharedFile[] }[];
  /** files.info answers by file id. */
  fileInfo?: Record<string, SharedFile>;
  /** Makes a method fail: return an error to throw, or undefined to answer normally. */
  fail?: (method: string, args: Record<string, unknown>) => Error | undefined;
  /** Shared call log; pass one to interleave the client with ack/respond. */
  calls?: RecordedCall[];
}

export interface FakeClient {
  client: WebClient;
  calls: RecordedCall[];
  /** Messages posted with chat.postMessage, with chat.update applied. */
  messages: PostedMessage[];
  /** Calls of one method. */
  callsOf(method: string): Record<string, unknown>[];
}

/** An error shaped like the Web API client's platform error (`{ code, data: { error } }`). */
export function slackPlatformError(error: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error, ...extra },
  });
}

/** Creates a Web API client that records calls and answers like Slack. */
export function createFakeClient(options: FakeClientOptions = {}): FakeClient {
  const calls = options.calls ?? [];
  const messages: PostedMessage[] = [];
  let clock = 1_700_000_000;
  const nextTs = () => `${++clock}.000100`;
  const call = async <T>(method: string, args: Record<string, unknown>, answer: () => T): Promise<T> => {
    calls.push({ method, args });
    const error = options.fail?.(method, args);
    if (error) throw error;
    return answer();
  };
  const client = {
    token: 'xoxb-test-token',
    chat: {
      postMessage: (args: Record<string, unknown>) =>
        call('chat.postMessage', args, () => {
          const message: PostedMessage = {
            channel: String(args.channel),
            ts: nextTs(),
            text: String(args.text ?? ''),
            history: [String(args.text ?? '')],
            ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
            ...(args.blocks ? { blocks: args.blocks as unknown[] } : {}),
          };
          messages.push(message);
          return { ok: true, channel: message.channel, ts: message.ts };
        }),
      update: (args: Record<string, unknown>) =>
        call('chat.update', args, () => {
          const message = messages.find((m) => m.ts === args.ts && m.channel === args.channel);
          if (!message) throw slackPlatformError('message_not_found');
          message.text = String(args.text ?? '');
          message.history.push(message.text);
          if (Array.isArray(args.blocks) && args.blocks.length > 0) message.blocks = args.blocks as unknown[];
          else delete message.blocks;
          return { ok: true, channel: message.channel, ts: message.ts };
        }),
      postEphemeral: (args: Record<string, unknown>) =>
        call('chat.postEphemeral', args, () => ({ ok: true, message_ts: nextTs() })),
    },
    files: {
      uploadV2: (args: Record<string, unknown>) =>
        call('files.uploadV2', args, () => ({
          ok: true,
          files: [
            {
              ok: true,
              files: ((args.file_uploads as unknown[]) ?? [args]).map((_, i) => ({ id: `F${i}` })),
            },
          ],
        })),
      info: (args: Record<string, unknown>) =>
        call('files.info', args, () => {
          const file = options.fileInfo?.[String(args.file)];
          if (!file) throw slackPlatformError('file_not_found');
          return { ok: true, file };
        }),
    },
    conversations: {
      history: (args: Record<string, unknown>) =>
        call('conversations.history', args, () => ({
          ok: true,
          messages: options.history ?? [],
          has_more: false,
        })),
    },
  };
  return {
    client: client as unknown as WebClient,
    calls,
    messages,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
  };
}

export interface CommandArgsOptions {
  text: string;
  channelId?: string;
  userId?: string;
  fake?: FakeClient;
  /** Makes respond fail (as when a response_url has expired). */
  respondFails?: boolean;
}

export interface FakeCommandArgs {
  args: SlackCommandMiddlewareArgs & AllMiddlewareArgs;
  fake: FakeClient;
  /** Everything sent through respond (the command's response_url). */
  responses: Record<string, unknown>[];
  /** How many times ack was called, and with what. */
  acks: unknown[];
  /** ack, respond and client calls in the order they happened. */
  calls: RecordedCall[];
}

/** Builds the arguments Bolt passes to a `/segbot` command listener. */
export function createCommandArgs(options: CommandArgsOptions): FakeCommandArgs {
  const fake = options.fake ?? createFakeClient();
  const calls = fake.calls;
  const responses: Record<string, unknown>[] = [];
  const acks: unknown[] = [];
  const channelId = options.channelId ?? 'C0TEST';
  const userId = options.userId ?? 'U0ALICE';
  const command = {
    token: 'verification-token',
    command: '/segbot',
    text: options.text,
    response_url: 'https://hooks.slack.test/commands/1',
    trigger_id: 'trigger-1',
    user_id: userId,
    user_name: 'alice',
    team_id: 'T0TEST',
    team_domain: 'bank',
    channel_id: channelId,
    channel_name: 'marketing',
    api_app_id: 'A0TEST',
  };
  const args = {
    payload: command,
    command,
    body: command,
    ack: async (response?: unknown) => {
      acks.push(response);
      calls.push({ method: 'ack', args: { response } });
    },
    respond: async (message: string | Record<string, unknown>) => {
      const body = typeof message === 'string' ? { text: message } : message;
      calls.push({ method: 'respond', args: body });
      if (options.respondFails) throw new Error('response_url expired');
      responses.push(body);
      return {};
    },
    say: async () => ({}),
    client: fake.client,
    context: { botToken: 'xoxb-test-token', botUserId: 'U0SEGBOT', isEnterpriseInstall: false },
    logger: silentBoltLogger(),
    next: async () => {},
  };
  return {
    args: args as unknown as SlackCommandMiddlewareArgs & AllMiddlewareArgs,
    fake,
    responses,
    acks,
    calls,
  };
}

/** Builds the arguments Bolt passes to a message event listener (a file_share by default). */
export function createMessageEventArgs(
  event: Record<string, unknown>,
  fake: FakeClient = createFakeClient(),
): { args: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs; fake: FakeClient } {
  const full = {
    type: 'message',
    subtype: 'file_share',
    channel: 'C0TEST',
    user: 'U0ALICE',
    ts: '1699999999.000200',
    channel_type: 'channel',
    text: '',
    ...event,
  };
  const args = {
    payload: full,
    event: full,
    message: full,
    body: { event: full },
    say: async () => ({}),
    client: fake.client,
    context: { botToken: 'xoxb-test-token', botUserId: 'U0SEGBOT', isEnterpriseInstall: false },
    logger: silentBoltLogger(),
    next: async () => {},
  };
  return { args: args as unknown as SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs, fake };
}

function silentBoltLogger() {
  const noop = () => {};
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    setLevel: noop,
    getLevel: () => 'info',
    setName: noop,
  };
}

/** A logger that keeps what it is given, to check that nothing sensitive is logged. */
export function createRecordingLogger(): CommandLogger & {
  entries: { level: string; obj: object; msg?: string }[];
} {
  const entries: { level: string; obj: object; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
    };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A fake fetch serving files by URL; records the Authorization header it was given. */
export function createFileServer(
  files: Record<
    string,
    { body: string | Uint8Array; contentType?: string; status?: number; contentLength?: number }
  >,
): { fetch: typeof fetch; requests: { url: string; authorization: string | null }[] } {
  const requests: { url: string; authorization: string | null }[] = [];
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(init?.headers);
    requests.push({ url, authorization: headers.get('authorization') });
    const file = files[url];
    if (!file) return new Response('not found', { status: 404 });
    const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
    const responseHeaders: Record<string, string> = { 'content-type': file.contentType ?? 'text/csv' };
    if (file.contentLength !== undefined) responseHeaders['content-length'] = String(file.contentLength);
    // Several chunks, so the size cap and the HTML sniffing are exercised across reads.
    const chunkSize = Math.max(64, Math.ceil(bytes.length / 4));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += chunkSize) controller.enqueue(bytes.slice(i, i + chunkSize));
        controller.close();
      },
    });
    return new Response(stream, { status: file.status ?? 200, headers: responseHeaders });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

/** A tiny valid PNG-looking buffer: rendering real charts is the chart module's test. */
export const FAKE_PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface TestDeps {
  deps: CommandDeps;
  database: SegbotDatabase;
  logger: ReturnType<typeof createRecordingLogger>;
  rendered: unknown[];
}

/**
 * Listener dependencies over a fresh in-memory database with the real stores, ingest, engine and
 * chart specs; charts "render" to a fake PNG (recorded) unless `renderChart` is given.
 */
export function createTestDeps(overrides: Partial<CommandDeps> = {}): TestDeps {
  const database = openDatabase(':memory:');
  const logger = createRecordingLogger();
  const rendered: unknown[] = [];
  const deps: CommandDeps = {
    config: { botToken: 'xoxb-test-token', maxUploadBytes: 5 * 1024 * 1024 },
    logger,
    datasets: createDatasetStore(database),
    runs: createRunStore(database),
    jobs: createJobStore(database),
    queue: createJobQueue({ concurrency: 2 }),
    ingestCsv,
    segmentCustomers,
    charts: createChartBuilders(),
    renderChart: async (spec) => {
      rendered.push(spec);
      return FAKE_PNG;
    },
    fetch: createFileServer({}).fetch,
    requests: createMemoryRequestLedger(),
    ...overrides,
  };
  return { deps, database, logger, rendered };
}

/** A small seeded customer file in the CC GENERAL layout. */
export function sampleCustomersCsv(rows = 240, seed = 11): string {
  return generateCustomersCsv({ rows, seed });
}

/** A Slack file object for a CSV served at `url`. */
export function csvFile(id: string, name: string, url: string, size?: number): SharedFile {
  return {
    id,
    name,
    filetype: 'csv',
    mimetype: 'text/csv',
    url_private_download: url,
    ...(size !== undefined ? { size } : {}),
  };
}
