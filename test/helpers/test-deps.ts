import type { CommandDeps } from '../../commands/deps.js';
import { openDatabase, type SegbotDatabase } from '../../db/client.js';
import { createSqliteRequestLedger } from '../../db/repositories/request-ledger.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import { type Clock, systemClock } from '../../src/domain/clock.js';
import { yieldToEventLoop } from '../../src/event-loop.js';
import { inThreadPropensity } from '../../src/jobs/propensity-in-worker.js';
import type { AccessGuard } from '../../src/slack/access.js';
import { createChannelPacer } from '../../src/slack/digest/channel-pacer.js';
import { EMPTY_SOURCE_CATALOG } from '../../src/sources/source-catalog.js';
import { wireCommandDeps } from '../../src/wire-command-deps.js';
import {
  createFakeClient,
  createFileServer,
  createRecordingLogger,
  FAKE_PNG,
  type FakeClient,
} from './command-args.js';

export interface TestDeps {
  deps: CommandDeps;
  database: SegbotDatabase;
  logger: ReturnType<typeof createRecordingLogger>;
  rendered: unknown[];
  /** The Web API client the default digest service posts with. */
  digestClient: FakeClient;
}

/** A guard that allows everything: for tests about something other than who may do what. */
export function allowAll(): AccessGuard {
  return {
    async requireAdmin() {},
    async requireCustomerLevelChannel() {},
    canReceiveCustomerLevel: async () => true,
  };
}

export interface TestDepsOptions {
  /** Time for the stores and the digest service (default: the system clock). */
  clock?: Clock;
  /** The Web API client the digest service posts with (default: a new recording fake). */
  digestClient?: FakeClient;
}

/**
 * Listener dependencies over a fresh in-memory database; `overrides` replaces members. Charts
 * "render" to a fake PNG (recorded) unless `renderChart` is given; models train in this thread.
 */
export function createTestDeps(
  overrides: Partial<CommandDeps> = {},
  options: TestDepsOptions = {},
): TestDeps {
  const database = openDatabase(':memory:');
  const logger = createRecordingLogger();
  const rendered: unknown[] = [];
  const digestClient = options.digestClient ?? createFakeClient();
  const deps = wireCommandDeps({
    database,
    config: { botToken: 'xoxb-test-token', maxUploadBytes: 5 * 1024 * 1024, sources: EMPTY_SOURCE_CATALOG },
    logger,
    digestLogger: logger,
    clock: options.clock ?? systemClock,
    client: digestClient.client,
    jobs: { concurrency: 2, leaseMs: 30_000 },
    segmentCustomers,
    ingestCsv: (source, ingestOptions) => ingestCsv(source, { ...ingestOptions, pause: yieldToEventLoop }),
    renderChart: async (spec: unknown) => {
      rendered.push(spec);
      return FAKE_PNG;
    },
    fetch: createFileServer({}).fetch,
    requests: createSqliteRequestLedger(database),
    propensity: inThreadPropensity,
    pacer: createChannelPacer({ intervalMs: 0 }),
  });
  return { deps: { ...deps, ...overrides }, database, logger, rendered, digestClient };
}
