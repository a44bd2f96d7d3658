/**
 * segbot's SQLite schema. Everything a channel owns carries its `channel_id` so every query can be
 * scoped to one channel; large per-customer data (column values, segment labels, projections) is
 * kept as typed-array blobs rather than one row per customer, because a bank's table has a million
 * rows and those values are only ever read or written as a whole.
 *
 * Timestamps are integer milliseconds since the epoch (read back as Date). JSON columns of runs and
 * models carry a format number and are checked when read (stored-json.ts, json-formats.ts).
 * Changing this file means running `npx drizzle-kit generate` and committing the new migration.
 */
import { sql } from 'drizzle-orm';
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type {
  CampaignAction,
  FeatureProfile,
  PersonaKey,
  QualityReport,
  Schema,
  Segment,
  Trait,
} from '../src/analytics/types.js';
import { WEEKDAYS, type Weekday } from '../src/domain/weekdays.js';
import {
  CAMPAIGN_DEFINITION_FORMAT,
  CAMPAIGN_RESULT_FORMAT,
  JOB_REQUEST_FORMAT,
  K_SELECTION_FORMAT,
  MODEL_METRICS_FORMAT,
  MODEL_TRANSFORM_FORMAT,
  RUN_PARAMS_FORMAT,
  RUN_PCA_FORMAT,
  RUN_TRANSFORM_FORMAT,
  SILHOUETTE_SAMPLE_FORMAT,
} from './json-formats.js';
import { storedJson } from './stored-json.js';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

/** Days a weekly digest can be scheduled on: the scheduler's own list, so the two cannot drift. */
export type WeekdayName = Weekday;

export type { RunParams, RunPca } from './json-formats.js';

// ---------------------------------------------------------------------------------------------
// Datasets
// ---------------------------------------------------------------------------------------------

export const datasets = sqliteTable(
  'datasets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: text('channel_id').notNull(),
    /** 1, 2, 3 … within the channel. */
    version: integer('version').notNull(),
    fileName: text('file_name').notNull(),
    fingerprint: text('fingerprint').notNull(),
    rowCount: integer('row_count').notNull(),
    delimiter: text('delimiter').notNull().$type<',' | ';' | '\t'>(),
    schema: text('schema', { mode: 'json' }).notNull().$type<Schema>(),
    quality: text('quality', { mode: 'json' }).notNull().$type<QualityReport>(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('datasets_channel_version_unique').on(t.channelId, t.version)],
);

export const datasetColumns = sqliteTable(
  'dataset_columns',
  {
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['numeric', 'text'] }).notNull(),
    missing: integer('missing').notNull(),
    /** numeric: the raw little-endian bytes of a Float64Array (NaN = missing); text: see text-codec.ts. */
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.position] })],
);

/**
 * One row per customer so a list of ids can be matched with an index lookup instead of decoding
 * the id column. No primary key on purpose: the rowid plus one index is the cheapest shape to
 * insert a million rows into, and that index also serves deletes by dataset.
 */
export const customers = sqliteTable(
  'customers',
  {
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    rowIndex: integer('row_index').notNull(),
    customerId: text('customer_id').notNull(),
  },
  (t) => [index('customers_dataset_customer_idx').on(t.datasetId, t.customerId)],
);

// ---------------------------------------------------------------------------------------------
// Segmentation runs
// ---------------------------------------------------------------------------------------------

export const runs = sqliteTable(
  'runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: text('channel_id').notNull(),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    params: storedJson('params', RUN_PARAMS_FORMAT).notNull(),
    k: integer('k'),
    silhouette: real('silhouette'),
    inertia: real('inertia'),
    transform: storedJson('transform', RUN_TRANSFORM_FORMAT),
    kSelection: storedJson('k_selection', K_SELECTION_FORMAT),
    silhouetteSample: storedJson('silhouette_sample', SILHOUETTE_SAMPLE_FORMAT),
    pca: storedJson('pca', RUN_PCA_FORMAT),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('runs_channel_idx').on(t.channelId, t.id), index('runs_dataset_idx').on(t.datasetId)],
);

export const runSegments = sqliteTable(
  'run_segments',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    segmentIndex: integer('segment_index').notNull(),
    name: text('name').notNull(),
    persona: text('persona').notNull().$type<PersonaKey>(),
    size: integer('size').notNull(),
    share: real('share').notNull(),
    profile: text('profile', { mode: 'json' }).notNull().$type<FeatureProfile[]>(),
    traits: text('traits', { mode: 'json' }).notNull().$type<Trait[]>(),
    actions: text('actions', { mode: 'json' }).notNull().$type<CampaignAction[]>(),
    centroid: text('centroid', { mode: 'json' }).notNull().$type<Segment['centroid']>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.segmentIndex] })],
);

/**
 * A run's segment label per customer as one Int32Array blob in dataset row order. A million
 * (run, row, label) rows would cost ~1M B-tree inserts per run and tens of MB; labels are always
 * read and written as a whole (charts, digests, migration matrices), so one 4 MB blob is written
 * in milliseconds and read back with a single copy.
 */
export const assignments = sqliteTable('assignments', {
  runId: integer('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  labels: blob('labels', { mode: 'buffer' }).notNull(),
  /** The 2-D PCA projection as a Float32Array [x0, y0, x1, y1, …], so a run's scatter can be redrawn. */
  projection: blob('projection', { mode: 'buffer' }),
});

// ---------------------------------------------------------------------------------------------
// Prediction models
// ---------------------------------------------------------------------------------------------

export const models = sqliteTable(
  'models',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: text('channel_id').notNull(),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    product: text('product').notNull(),
    /**
     * 'json': `model` holds UTF-8 JSON in MODEL_PAYLOAD_FORMAT (`{"format":1,"value":…}`);
     * 'binary': opaque bytes from the model's own serializer.
     */
    modelFormat: text('model_format', { enum: ['json', 'binary'] }).notNull(),
    model: blob('model', { mode: 'buffer' }).notNull(),
    metrics: storedJson('metrics', MODEL_METRICS_FORMAT).notNull(),
    transform: storedJson('transform', MODEL_TRANSFORM_FORMAT),
    createdAt: createdAt(),
  },
  (t) => [index('models_channel_dataset_product_idx').on(t.channelId, t.datasetId, t.product)],
);

// ---------------------------------------------------------------------------------------------
// Digests, alerts and change threads
// ---------------------------------------------------------------------------------------------

export const digestSchedules = sqliteTable('digest_schedules', {
  channelId: text('channel_id').primaryKey(),
  day: text('day', { enum: WEEKDAYS }).notNull(),
  /** "HH:MM", 24-hour, in `timezone`. */
  time: text('time').notNull(),
  /** IANA zone name ("Europe/Madrid"). */
  timezone: text('timezone').notNull(),
  /** A data source (SEGBOT_SOURCES_FILE) pulled into the channel before each digest; null for none. */
  pullSource: text('pull_source'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
});

/** One row per digest period per channel; the unique key is what makes a digest post exactly once. */
export const digestLedger = sqliteTable(
  'digest_ledger',
  {
    channelId: text('channel_id').notNull(),
    /** Identifies the period, e.g. the due instant in ISO form ("2026-11-23T09:00:00.000Z"). */
    periodKey: text('period_key').notNull(),
    postedAt: integer('posted_at', { mode: 'timestamp_ms' }).notNull(),
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    /** Slack ts of the posted digest; null while claimed but not yet confirmed posted. */
    messageTs: text('message_ts'),
    /** The instance posting it while unconfirmed; another takes over once the lease has run out. */
    claimedBy: text('claimed_by'),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.periodKey] })],
);

export const alertSettings = sqliteTable('alert_settings', {
  channelId: text('channel_id').primaryKey(),
  /** Share change, in percentage points, that opens a "segments changed" thread. */
  thresholdPp: real('threshold_pp').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const changeThreads = sqliteTable(
  'change_threads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: text('channel_id').notNull(),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    previousRunId: integer('previous_run_id').references(() => runs.id, { onDelete: 'cascade' }),
    threadTs: text('thread_ts').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('change_threads_channel_thread_unique').on(t.channelId, t.threadTs)],
);

// ---------------------------------------------------------------------------------------------
// Access control
// ---------------------------------------------------------------------------------------------

export const admins = sqliteTable('admins', {
  userId: text('user_id').primaryKey(),
  /** Who added them; 'SEGBOT_ADMINS' for admins seeded from configuration. */
  addedBy: text('added_by').notNull(),
  createdAt: createdAt(),
});

export const allowedChannels = sqliteTable('allowed_channels', {
  channelId: text('channel_id').primaryKey(),
  allowedBy: text('allowed_by').notNull(),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------------------------------------
// Jobs (crash recovery)
// ---------------------------------------------------------------------------------------------

export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: text('channel_id').notNull(),
    /** 'upload', 'segment', 'predict', 'digest', … */
    kind: text('kind').notNull(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed', 'interrupted'] }).notNull(),
    userId: text('user_id'),
    /** Slack ts of the progress message, so a restart can update it. */
    progressTs: text('progress_ts'),
    createdAt: createdAt(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    error: text('error'),
    /**
     * What any instance needs to run the job again (the command typed, the file shared), or null
     * for work only its own instance can do (a digest's re-run), which is reported instead.
     */
    request: storedJson('request', JOB_REQUEST_FORMAT),
    /** The instance that queued or runs the job; another may take it once the lease has run out. */
    owner: text('owner'),
    /** Renewed by the owner's heartbeats while the job is queued or running. */
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    /** How many times an instance started it (more than one after a takeover). */
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [index('jobs_status_idx').on(t.status), index('jobs_channel_idx').on(t.channelId, t.id)],
);

// ---------------------------------------------------------------------------------------------
// Request ledger (idempotency)
// ---------------------------------------------------------------------------------------------

/**
 * Keys of work already accepted (an event id, a request signature, a shared file), so a retried or
 * replayed delivery is not done twice. A key is free again once `expires_at` has passed.
 */
export const requestLedger = sqliteTable(
  'request_ledger',
  {
    key: text('key').primaryKey(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('request_ledger_expires_idx').on(t.expiresAt)],
);

// ---------------------------------------------------------------------------------------------
// Campaigns
// ---------------------------------------------------------------------------------------------

/** A campaign: its audience definition as built, its status and its latest measured lift. */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: text('channel_id').notNull(),
    name: text('name').notNull(),
    /** Lower-cased name, so "Loan push" and "loan push" are one campaign. */
    nameKey: text('name_key').notNull(),
    status: text('status', { enum: ['live', 'closed'] }).notNull(),
    /** The dataset the audience was drawn from (its ids and, for a product, its flags at assignment). */
    datasetId: integer('dataset_id').notNull(),
    runId: integer('run_id'),
    /** The product column whose uptake the campaign seeks, or null for a campaign without one. */
    product: text('product'),
    definition: storedJson('definition', CAMPAIGN_DEFINITION_FORMAT).notNull(),
    latestResult: storedJson('latest_result', CAMPAIGN_RESULT_FORMAT),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('campaigns_channel_name_unique').on(t.channelId, t.nameKey)],
);

/**
 * Who is in a campaign and in which group, as assigned: written once when the campaign is created
 * and never changed (a trigger in the migration refuses updates), so a result is always measured
 * against the split that was actually made.
 */
export const campaignMembers = sqliteTable(
  'campaign_members',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    customerId: text('customer_id').notNull(),
    group: text('group_name', { enum: ['treatment', 'control'] }).notNull(),
    /** Segment name at assignment ('' without a segmentation). */
    segment: text('segment').notNull(),
    /** Propensity at assignment, or null for a campaign without a product. */
    score: real('score'),
    decile: integer('decile').notNull(),
    assignedAt: integer('assigned_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('campaign_members_campaign_idx').on(t.campaignId, t.group)],
);

/** A channel's suppression list: customers never to be put in a campaign audience, uploaded by an admin. */
export const suppressionEntries = sqliteTable(
  'suppression_entries',
  {
    channelId: text('channel_id').notNull(),
    customerId: text('customer_id').notNull(),
    addedBy: text('added_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.customerId] })],
);
