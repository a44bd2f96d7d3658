import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CodedError, HTTPReceiver, webApi } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { renderChartPng } from '../charts/render-chart.js';
import type { CommandDeps } from '../commands/deps.js';
import { registerListeners } from '../commands/index.js';
import { createStoredJobRunner } from '../commands/run-stored-job.js';
import type { StorageDatabase } from '../db/client-pg.js';
import { INTERRUPTED_MESSAGE } from '../db/repositories/job-store.js';
import { createRequestLedger, type RequestLedger } from '../db/repositories/request-ledger.js';
import type { Config } from './config.js';
import { type Clock, systemClock } from './domain/clock.js';
import { CancelledError, ConfigError } from './errors.js';
import { createWorkerIngest } from './jobs/ingest-in-worker.js';
import { createWorkerPropensity } from './jobs/propensity-in-worker.js';
import { createWorkerSegmenter } from './jobs/segment-in-worker.js';
import { createSlackLogger, type Logger } from './logger.js';
import { createEventDeduper } from './slack/dedupe-events.js';
import { createSlackFileFetch } from './slack/download-file.js';
import { guardHttpReceiver } from './slack/receiver-guard.js';
import { safeErrorFields, slackErrorCode } from './slack/report-error.js';
import { failInterruptedRuns, reportInterruptedJobs } from './slack/report-interrupted-jobs.js';
import { wireCommandDeps } from './wire-command-deps.js';

/**
 * On stop, running jobs get this long to finish; then they are cancelled (workers terminated) and
 * get as long again to tell their channels, so segbot exits within 10 s of SIGTERM. A job that did
 * not stop by then stays "running" in the job store and is reported as interrupted at the next start.
 */
const STOP_GRACE_MS = 4000;

/** The one path Slack posts events, commands and interactions to in HTTP mode. */
export const EVENTS_PATH = '/slack/events';

export interface SegbotAppOptions {
  config: Config;
  database: StorageDatabase;
  logger: Logger;
  /** Used to download shared files; defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Time and timers for everything: stored dates, replies, the weekly digest schedule. Tests move
   * it; local mode's `/clock +7d` advances it. Default: the system clock.
   */
  clock?: Clock;
  /**
   * Interface the HTTP receiver binds to. Unset: all interfaces (a server behind a proxy).
   * Local mode and tests pass 127.0.0.1 so nothing is reachable from the network.
   */
  host?: string;
  /** Web API client settings merged over segbot's (tests shorten retries with `retryConfig`). */
  webClient?: Omit<WebClientOptions, 'slackApiUrl' | 'logger' | 'logLevel'>;
  /** Replaces parts of the listeners' dependencies (tests pass fakes for slow or external parts). */
  overrides?: Partial<CommandDeps>;
}

export interface SegbotApp {
  app: App;
  /** Checks the bot token (auth.test) and starts receiving; resolves with the HTTP port in HTTP mode. */
  start(): Promise<{ port?: number }>;
  /**
   * Stops receiving, gives running jobs a short grace, cancels what is left, then returns; the
   * caller closes the database.
   */
  stop(): Promise<void>;
  /**
   * Jobs waiting or running in the per-channel queue, plus listeners still running (local mode
   * waits for 0 between script lines).
   */
  pendingJobs(): number;
}

/**
 * Builds segbot's Bolt app for Socket Mode or HTTP (per `config.slack.mode`), wires the `/segbot`
 * listeners with their dependencies, and installs one error handler that logs without customer data.
 * Local mode uses HTTP mode against the loopback emulator.
 */
export function createSegbotApp(options: SegbotAppOptions): SegbotApp {
  const { config, logger } = options;
  const connection = config.slack;
  if (connection.mode === 'local') {
    throw new Error('createSegbotApp needs Slack credentials; local mode starts the emulator first.');
  }
  const slackLogger = createSlackLogger(logger);
  const clientOptions: WebClientOptions = {
    // The SDK's default keeps retrying a network error for about half an hour; a person waiting in
    // Slack is better served by a few retries with backoff and then a clear failure.
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    // Without a timeout a call Slack never answers waits minutes, holding its channel's job queue.
    timeout: config.slackTimeoutMs,
    ...options.webClient,
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  };

  // Retried events, replayed requests and files shared again are worked on once (see request-ledger).
  const requests = createRequestLedger(options.database);
  let receiver: HTTPReceiver | undefined;
  let app: App;
  if (connection.mode === 'socket') {
    app = new App({
      token: connection.botToken,
      appToken: connection.appToken,
      socketMode: true,
      logger: slackLogger,
      clientOptions,
      deferInitialization: true,
      extendedErrorHandler: true,
    });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: connection.signingSecret,
      endpoints: EVENTS_PATH,
      port: config.port,
      logger: slackLogger,
      // Signature verification stays on: it is also what rejects stale timestamps (replays).
      signatureVerification: true,
      customRoutes: [
        {
          path: '/healthz',
          method: ['GET'],
          handler: (_request, response) => {
            response.writeHead(200, { 'content-type': 'text/plain' });
            response.end('ok');
          },
        },
      ],
    });
    guardHttpReceiver(receiver, {
      signingSecret: connection.signingSecret,
      endpoint: EVENTS_PATH,
      ledger: requests,
      logger: logger.child({ component: 'receiver' }),
    });
    app = new App({
      token: connection.botToken,
      receiver,
      logger: slackLogger,
      clientOptions,
      deferInitialization: true,
      extendedErrorHandler: true,
    });
  }

  // extendedErrorHandler: the handler gets { error, body, context }; only the error is logged.
  app.error(async ({ error }: { error: Error }) => {
    const cause = unwrapBoltError(error);
    // Never the message: it can quote user data. Its kind, Slack's code and where it was thrown.
    logger.error(
      { ...safeErrorFields(cause, 'listener'), slackError: slackErrorCode(cause) },
      'a listener failed',
    );
  });

  // Listeners still running (a mention being answered, a button's work before it queues a job):
  // counted with the queue, so local mode's script waits for them before the next line.
  let listenersRunning = 0;
  app.use(async ({ next }) => {
    listenersRunning += 1;
    try {
      await next();
    } finally {
      listenersRunning -= 1;
    }
  });
  const deps = createCommandDeps(options, app, connection.botToken, requests);
  // A command's or shared file's place in its channel's line is taken here, before the first await
  // (the deduper's ledger claim), so its job is recorded in the order the requests arrived.
  app.use(async ({ body, context, next }) => {
    const channelId = arrivalChannel(body);
    if (channelId === undefined) {
      await next();
      return;
    }
    const arrival = deps.queue.arrive(channelId);
    context['arrival'] = arrival;
    try {
      await next();
    } finally {
      arrival.leave();
    }
  });
  app.use(createEventDeduper({ ledger: requests, logger }));
  let digestsStarted: Promise<void> = Promise.resolve();
  const startDigests = () => {
    // Not awaited by start(): a late digest (maybe re-running segmentation) must not hold up Slack.
    digestsStarted = deps.digests.start().catch((error: unknown) => {
      logger.error(safeErrorFields(error, 'digest scheduler start'), 'digest scheduler did not start');
    });
  };
  registerListeners(app, deps);

  let server: Server | undefined;
  return {
    app,
    async start() {
      try {
        await app.init();
      } catch (error) {
        throw asStartupError(error);
      }
      const added = await deps.access.seedAdmins(config.admins);
      if (added > 0) logger.info({ added }, 'admins from SEGBOT_ADMINS added');
      // Jobs of instances that stopped (this one's previous process, or another on the same
      // database) are taken over once their leases run out; from now on, with Slack connected.
      const tellInterrupted = async () => {
        deps.queue.startTakeovers(
          createStoredJobRunner({ deps, client: app.client, botToken: connection.botToken }),
          async (interrupted) => {
            logger.warn(
              { jobs: interrupted.length },
              'jobs of a stopped instance are reported to their channels',
            );
            await failInterruptedRuns(deps.runs, interrupted, INTERRUPTED_MESSAGE);
            await reportInterruptedJobs(app.client, interrupted, logger, deps.datasets);
          },
        );
      };
      if (!receiver) {
        await app.start();
        logger.info({ mode: 'socket' }, 'segbot is connected to Slack (Socket Mode)');
        await tellInterrupted();
        startDigests();
        return {};
      }
      server = (await receiver.start(
        options.host === undefined ? config.port : { port: config.port, host: options.host },
      )) as Server;
      const port = (server.address() as AddressInfo).port;
      logger.info({ mode: 'http', port, path: EVENTS_PATH }, 'segbot is listening for Slack requests');
      await tellInterrupted();
      startDigests();
      return { port };
    },
    pendingJobs: () => deps.queue.pending() + listenersRunning,
    async stop() {
      // Order matters: stop taking requests first, then let accepted work settle.
      // Rejects only when the receiver never started (start failed): nothing to stop then.
      deps.digests.stop();
      await app.stop().catch(() => {});
      server?.closeAllConnections();
      await digestsStarted;
      const drained = deps.queue.close();
      if (await settlesWithin(drained, STOP_GRACE_MS)) return;
      logger.warn({ jobs: deps.queue.pending() }, 'stopping the jobs still running');
      deps.queue.cancel(
        new CancelledError(
          'segbot is shutting down and stopped this job; nothing was changed.',
          'Run the command again in a minute, once segbot is back.',
        ),
      );
      if (await settlesWithin(drained, STOP_GRACE_MS)) return;
      logger.warn(
        { jobs: deps.queue.pending() },
        'jobs did not stop in time; they are reported as interrupted',
      );
    },
  };
}

/** Whether `promise` settles within `ms` (the timer does not keep the process alive). */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}

/** Bolt wraps a listener's exception in its own coded error; the original is the one worth logging. */
function unwrapBoltError(error: Error): unknown {
  const original = (error as Partial<CodedError> & { original?: unknown }).original;
  return original instanceof Error ? original : error;
}

/** Slack answers auth.test with a code; the ones a person fixes by changing the token become a config error. */
function asStartupError(error: unknown): unknown {
  const code = slackErrorCode(error);
  if (code && ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked'].includes(code)) {
    return new ConfigError(
      'SLACK_BOT_TOKEN',
      `Slack rejected the bot token (${code}).`,
      'Reinstall the app to your workspace and copy the new Bot User OAuth Token from "OAuth & Permissions".',
    );
  }
  return error;
}

/** Builds the listeners' dependencies over the database, the engine, the renderer and Slack. */
/** The channel of a slash command or of a message event (a file share), which may queue a job. */
function arrivalChannel(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as {
    command?: unknown;
    channel_id?: unknown;
    event?: { type?: unknown; channel?: unknown };
  };
  if (typeof record.command === 'string' && typeof record.channel_id === 'string') return record.channel_id;
  const event = record.event;
  if (event?.type === 'message' && typeof event.channel === 'string') return event.channel;
  return undefined;
}

function createCommandDeps(
  options: SegbotAppOptions,
  app: App,
  botToken: string,
  requests: RequestLedger,
): CommandDeps {
  const { config, database, logger } = options;
  const deps = wireCommandDeps({
    database,
    // The whole config (CommandConfig is a subset), so settings the listeners start reading later arrive.
    config: { ...config, botToken },
    logger: logger.child({ component: 'commands' }),
    digestLogger: logger.child({ component: 'digests' }),
    clock: options.clock ?? systemClock,
    client: app.client,
    jobs: {
      concurrency: config.channelConcurrency,
      timeoutMs: config.jobTimeoutMs,
      leaseMs: config.jobLeaseMs,
    },
    // In a worker thread: k-means on a large file must not hold up the 3-second acknowledgements.
    segmentCustomers: options.overrides?.segmentCustomers ?? createWorkerSegmenter(),
    // Parsing, the schema and the quality report of a million-row upload take seconds: a worker too.
    ingestCsv: options.overrides?.ingestCsv ?? createWorkerIngest(),
    renderChart: options.overrides?.renderChart ?? renderChartPng,
    // The bot token goes with every file download, so downloads only go to Slack.
    fetch: createSlackFileFetch({
      fetch: options.fetch ?? globalThis.fetch,
      slackApiUrl: config.slackApiUrl,
    }),
    requests,
    // In a worker thread too: binning, the baseline and sorting a million scores take seconds.
    propensity: createWorkerPropensity(),
  });
  return { ...deps, ...options.overrides };
}
