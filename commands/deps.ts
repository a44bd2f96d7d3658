/**
 * Everything the `/segbot` listeners need from the rest of the app, passed in once by
 * `registerListeners(app, deps)`. Handlers never import the database, the engine or the renderer
 * directly, so tests hand them an in-memory database and fakes.
 *
 * The stores are the repositories from db/repositories (createDatasetStore(db), createRunStore(db), …).
 */

import type { TopLevelSpec } from 'vega-lite';
import type { AccessStore } from '../db/repositories/access-store.js';
import type { CampaignStore } from '../db/repositories/campaign-store.js';
import type { DatasetStore } from '../db/repositories/dataset-store.js';
import type { ForgetCounts } from '../db/repositories/forget-channel.js';
import type { JobStore } from '../db/repositories/job-store.js';
import type { ModelStore } from '../db/repositories/model-store.js';
import type { RequestLedger } from '../db/repositories/request-ledger.js';
import type { RunStore } from '../db/repositories/run-store.js';
import type { ScheduleStore } from '../db/repositories/schedule-store.js';
import type {
  IngestResult,
  KSelection,
  Segment,
  SegmentationResult,
  SegmentOptions,
} from '../src/analytics/types.js';
import type { DigestService } from '../src/jobs/digest-service.js';
import type { PropensityRunner } from '../src/jobs/propensity-in-worker.js';
import type { SharedJobs } from '../src/jobs/shared-jobs.js';
import type { Logger } from '../src/logger.js';
import type { AccessGuard } from '../src/slack/access.js';
import type { SourceCatalog } from '../src/sources/source-catalog.js';

export type { DatasetRecord, DatasetStore } from '../db/repositories/dataset-store.js';
export type { JobStore } from '../db/repositories/job-store.js';
export type { RunRecord, RunStore } from '../db/repositories/run-store.js';
export type { ScheduleStore } from '../db/repositories/schedule-store.js';

/** The settings the listeners read (a subset of the app's config; pass the whole config object). */
export interface CommandConfig {
  /**
   * Bot token, sent as `Authorization: Bearer …` when downloading a shared file. Optional: the
   * token of the Bolt context (the one the Web API client uses) is taken when it is not set.
   */
  botToken?: string;
  /** Uploads larger than this are refused before their body is read (SEGBOT_MAX_UPLOAD_MB). */
  maxUploadBytes: number;
  /** The data sources `/segbot pull` may read (SEGBOT_SOURCES_FILE); the empty catalog when none. */
  sources: SourceCatalog;
}

/** segbot's Logger, without children. Never given customer ids, file contents or tokens. */
export type CommandLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** A Vega-Lite spec, as the builders in charts/specs return it. */
export type ChartSpec = TopLevelSpec;

/** Builders of the charts the commands post (pure; from charts/specs). */
export interface ChartBuilders {
  /** `colors`: each segment's colour slot kept across runs (default: its index). */
  segmentSizes(segments: Segment[], colors?: readonly number[]): ChartSpec;
  pcaScatter(input: {
    /** [x0, y0, x1, y1, …] per customer. */
    projection: Float32Array;
    labels: Int32Array;
    segments: Segment[];
    explainedVarianceRatio: number[];
    colors?: readonly number[];
  }): ChartSpec;
  profileHeatmap(segments: Segment[]): ChartSpec;
  kSelection(selection: KSelection): ChartSpec;
  /** One segment's features against the population, for `describe`. */
  segmentProfile(segment: Segment): ChartSpec;
}

/**
 * What the `/segbot` listeners depend on. Every member is required: a handler never tests whether
 * a part is there, and access checks cannot be switched off by leaving the access store out.
 * `checkCommandDeps` refuses an incomplete set at registration, so the app does not start.
 */
export interface CommandDeps {
  config: CommandConfig;
  logger: CommandLogger;
  datasets: DatasetStore;
  runs: RunStore;
  /** The jobs table every instance shares: requests, owners, leases and outcomes. */
  jobs: JobStore;
  /**
   * Jobs claimed from that table: work in one channel runs in order across instances, channels in
   * parallel; a job whose instance stopped is taken over by another.
   */
  queue: SharedJobs;
  /** Ingests an upload held as one buffer; the bytes may be moved to a worker, so the caller lets go of them. */
  ingestCsv(source: Uint8Array, options: { fileName: string; maxRows?: number }): Promise<IngestResult>;
  /** The engine; may return a promise so it can run in a worker thread. */
  segmentCustomers(
    ingest: IngestResult,
    options: SegmentOptions,
    /** Aborting stops the work (the app terminates the worker). */
    signal?: AbortSignal,
  ): SegmentationResult | Promise<SegmentationResult>;
  charts: ChartBuilders;
  renderChart(spec: ChartSpec): Promise<Buffer>;
  /** Used to download shared files; injected so tests never touch the network. */
  fetch: typeof fetch;
  /** Work already accepted (files imported), so a file shared again is not imported twice. */
  requests: RequestLedger;
  /** The clock, for message timestamps in replies. */
  now: () => Date;
  /** Digest schedules, alert thresholds and change threads (`/segbot digest`, `/segbot alerts`). */
  schedules: ScheduleStore;
  /** Weekly digests, change threads and mention answers. */
  digests: DigestService;
  /** Admins and allowed channels, as stored (`/segbot admins`, `/segbot channel`). */
  access: AccessStore;
  /** Who may do what; the app's is createAccessGuard(access). */
  guard: AccessGuard;
  /** Trained product-uptake models, reused by `/segbot predict` while the channel's data is unchanged. */
  models: ModelStore;
  /** Trains and applies uptake models; the app does it in a worker thread. */
  propensity: PropensityRunner;
  /** Campaigns, their immutable assignments and the channel's suppression list (`/segbot campaign`). */
  campaigns: CampaignStore;
  /** Deletes a channel's datasets, runs and models (`/segbot forget`); forgetChannel over the app's database. */
  forgetChannel: (channelId: string) => Promise<ForgetCounts>;
}

/**
 * Every member of CommandDeps, listed so the compiler keeps the list complete: a member added to
 * the interface and forgotten here is a type error.
 */
const COMMAND_DEP_MEMBERS: Record<keyof CommandDeps, true> = {
  config: true,
  logger: true,
  datasets: true,
  runs: true,
  jobs: true,
  queue: true,
  ingestCsv: true,
  segmentCustomers: true,
  charts: true,
  renderChart: true,
  fetch: true,
  requests: true,
  now: true,
  schedules: true,
  digests: true,
  access: true,
  guard: true,
  models: true,
  propensity: true,
  campaigns: true,
  forgetChannel: true,
};

/**
 * Throws unless every member of CommandDeps is present. The type already requires them; this
 * catches what the type cannot see, such as `{ ...deps, access: undefined }` from a spread of
 * overrides, which would otherwise leave a check with nothing to check against.
 */
export function checkCommandDeps(deps: CommandDeps): void {
  const present: Partial<Record<keyof CommandDeps, unknown>> = deps;
  const missing = (Object.keys(COMMAND_DEP_MEMBERS) as (keyof CommandDeps)[]).filter(
    (member) => present[member] === undefined || present[member] === null,
  );
  if (missing.length > 0) {
    throw new Error(
      `segbot cannot start: its listeners are missing ${missing.join(', ')}. Every member of CommandDeps is required; pass them all (createSegbotApp builds them from the database).`,
    );
  }
}
