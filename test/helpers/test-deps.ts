/**
 * The listeners' dependencies for tests: every member of CommandDeps, over a fresh in-memory
 * database with the real stores, ingest, engine, chart specs and access guard. Access is checked
 * as in the app (nobody is an admin, no channel is allowed) unless a test passes `guard: allowAll()`.
 */
import { createChartBuilders } from '../../commands/charts.js';
import type { CommandDeps } from '../../commands/deps.js';
import { openDatabase, type SegbotDatabase } from '../../db/client.js';
import { createAccessStore } from '../../db/repositories/access-store.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { forgetChannel } from '../../db/repositories/forget-channel.js';
import { createJobStore } from '../../db/repositories/job-store.js';
import { createModelStore } from '../../db/repositories/model-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { createScheduleStore } from '../../db/repositories/schedule-store.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import { type Clock, systemClock } from '../../src/domain/clock.js';
import { createDigestService } from '../../src/jobs/digest-service.js';
import { createJobQueue } from '../../src/jobs/job-queue.js';
import { inThreadPropensity } from '../../src/jobs/propensity-in-worker.js';
import { type AccessGuard, createAccessGuard } from '../../src/slack/access.js';
import { createChannelPacer } from '../../src/slack/digest/channel-pacer.js';
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
    requireAdmin() {},
    requireCustomerLevelChannel() {},
    canReceiveCustomerLevel: () => true,
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
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const digestClient = options.digestClient ?? createFakeClient();
  const datasets = createDatasetStore(database, { now });
  const runs = createRunStore(database, { now });
  const schedules = createScheduleStore(database, { now });
  const access = createAccessStore(database, { now });
  const queue = createJobQueue({ concurrency: 2 });
  const renderChart = async (spec: unknown): Promise<Buffer> => {
    rendered.push(spec);
    return FAKE_PNG;
  };
  const deps: CommandDeps = {
    config: { botToken: 'xoxb-test-token', maxUploadBytes: 5 * 1024 * 1024 },
    logger,
    datasets,
    runs,
    jobs: createJobStore(database, { now }),
    queue,
    ingestCsv,
    segmentCustomers,
    charts: createChartBuilders(),
    renderChart,
    fetch: createFileServer({}).fetch,
    now,
    schedules,
    digests: createDigestService({
      client: digestClient.client,
      schedules,
      runs,
      datasets,
      queue,
      segmentCustomers,
      renderChart,
      logger,
      clock,
      pacer: createChannelPacer({ intervalMs: 0 }),
    }),
    access,
    guard: createAccessGuard(access),
    models: createModelStore(database, { now }),
    propensity: inThreadPropensity,
    forgetChannel: (channelId) => forgetChannel(database, channelId),
    ...overrides,
  };
  return { deps, database, logger, rendered, digestClient };
}
