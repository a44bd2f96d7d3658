/**
 * Wires the listeners' dependencies over one database: the stores, the access guard, the digest
 * service. The app and the tests both build them here, so a test runs with the same wiring as
 * the app and differs only in the parts it passes (a fake Slack client, the engine in-thread).
 */
import type { WebClient } from '@slack/web-api';
import { createChartBuilders } from '../commands/charts.js';
import type { CommandConfig, CommandDeps, CommandLogger } from '../commands/deps.js';
import type { StorageDatabase } from '../db/client-pg.js';
import { createAccessStore } from '../db/repositories/access-store.js';
import { createCampaignStore } from '../db/repositories/campaign-store.js';
import { createDatasetStore } from '../db/repositories/dataset-store.js';
import { forgetChannel } from '../db/repositories/forget-channel.js';
import { createJobStore } from '../db/repositories/job-store.js';
import { createModelStore } from '../db/repositories/model-store.js';
import type { RequestLedger } from '../db/repositories/request-ledger.js';
import { createRunStore } from '../db/repositories/run-store.js';
import { createScheduleStore } from '../db/repositories/schedule-store.js';
import type { Clock } from './domain/clock.js';
import { createDigestService, type DigestLogger } from './jobs/digest-service.js';
import type { PropensityRunner } from './jobs/propensity-in-worker.js';
import { createSharedJobs } from './jobs/shared-jobs.js';
import { pullIntoChannel } from './services/pull-source.js';
import { createAccessGuard } from './slack/access.js';
import type { ChannelPacer } from './slack/digest/channel-pacer.js';
import { safeErrorFields } from './slack/report-error.js';

/** The parts that differ between the app and a test. */
export interface CommandDepsParts {
  database: StorageDatabase;
  config: CommandConfig;
  logger: CommandLogger;
  digestLogger: DigestLogger;
  /** Time for stored dates, replies and the digest schedule. */
  clock: Clock;
  /** The Web API client digests and change threads post with. */
  client: WebClient;
  /** This instance's side of the shared jobs table (see shared-jobs). */
  jobs: {
    /** How many jobs this instance runs at the same time. */
    concurrency: number;
    timeoutMs?: number;
    leaseMs: number;
  };
  segmentCustomers: CommandDeps['segmentCustomers'];
  /** The upload's ingest: in a worker thread in the app, in this thread with pauses in tests. */
  ingestCsv: CommandDeps['ingestCsv'];
  renderChart: CommandDeps['renderChart'];
  fetch: typeof fetch;
  /** Remembers retried events, replayed requests and imported files (see request-ledger). */
  requests: RequestLedger;
  propensity: PropensityRunner;
  pacer?: ChannelPacer;
}

/** Every member of CommandDeps, over `parts.database`. */
export function wireCommandDeps(parts: CommandDepsParts): CommandDeps {
  const { database, clock, segmentCustomers, renderChart } = parts;
  const now = () => clock.now();
  const datasets = createDatasetStore(database, { now });
  const runs = createRunStore(database, { now });
  const schedules = createScheduleStore(database, { now });
  const access = createAccessStore(database, { now });
  const campaigns = createCampaignStore(database, { now });
  // Leases are about processes, so the job store keeps real time, not the app's movable clock.
  const jobs = createJobStore(database);
  const queue = createSharedJobs({
    store: jobs,
    ...parts.jobs,
    onError: (error, what) => {
      parts.logger.warn(
        safeErrorFields(error, `jobs ${what}`),
        'the jobs table did not answer; trying again',
      );
    },
  });
  return {
    config: parts.config,
    logger: parts.logger,
    datasets,
    runs,
    jobs,
    queue,
    ingestCsv: parts.ingestCsv,
    segmentCustomers,
    charts: createChartBuilders(),
    renderChart,
    fetch: parts.fetch,
    requests: parts.requests,
    now,
    schedules,
    access,
    guard: createAccessGuard(access),
    models: createModelStore(database, { now }),
    propensity: parts.propensity,
    campaigns,
    forgetChannel: async (channelId) => await forgetChannel(database, channelId),
    digests: createDigestService({
      client: parts.client,
      schedules,
      runs,
      datasets,
      campaigns,
      queue,
      segmentCustomers,
      renderChart,
      logger: parts.digestLogger,
      clock,
      claimant: { owner: queue.owner, leaseMs: parts.jobs.leaseMs },
      pullSource: (input) =>
        pullIntoChannel(
          {
            sources: parts.config.sources,
            maxBytes: parts.config.maxUploadBytes,
            datasets,
            logger: parts.logger,
            ingestCsv: parts.ingestCsv,
          },
          input,
        ),
      ...(parts.pacer ? { pacer: parts.pacer } : {}),
    }),
  };
}
