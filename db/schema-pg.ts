/**
 * segbot's PostgreSQL schema (SEGBOT_DATABASE_URL): the same tables, columns and keys as the
 * SQLite schema in schema.ts, in PostgreSQL's types. Per-customer data stays in typed-array blobs
 * (bytea); times are timestamptz; JSON columns of runs, models and campaigns carry their format
 * number as in SQLite (stored-json.ts). The repositories read and write both schemas through the
 * same interfaces.
 *
 * Changing this file means changing schema.ts the same way, then `npx drizzle-kit generate` for
 * each (`--config drizzle-pg.config.ts` for this one) and committing both migrations.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  CampaignAction,
  FeatureProfile,
  PersonaKey,
  QualityReport,
  Schema,
  Segment,
  Trait,
} from '../src/analytics/types.js';
import { WEEKDAYS } from '../src/domain/weekdays.js';
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
import { decodeStored, encodeStored, type StoredFormat } from './stored-json.js';

/** Typed-array bytes; node-postgres hands bytea back as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** A text column holding JSON in `format`, checked on every read (as stored-json.ts does for SQLite). */
function storedJson<T>(name: string, format: StoredFormat<T>) {
  return customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => encodeStored(format, value),
    fromDriver: (text) => decodeStored(format, text),
  })(name);
}

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => at('created_at').notNull().default(sql`now()`);

// ---------------------------------------------------------------------------------------------
// Datasets
// ---------------------------------------------------------------------------------------------

export const datasets = pgTable(
  'datasets',
  {
    id: serial('id').primaryKey(),
    channelId: text('channel_id').notNull(),
    version: integer('version').notNull(),
    fileName: text('file_name').notNull(),
    fingerprint: text('fingerprint').notNull(),
    rowCount: integer('row_count').notNull(),
    delimiter: text('delimiter').notNull().$type<',' | ';' | '\t'>(),
    schema: json('schema').notNull().$type<Schema>(),
    quality: json('quality').notNull().$type<QualityReport>(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('datasets_channel_version_unique').on(t.channelId, t.version)],
);

export const datasetColumns = pgTable(
  'dataset_columns',
  {
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['numeric', 'text'] }).notNull(),
    missing: integer('missing').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.position] })],
);

export const customers = pgTable(
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

export const runs = pgTable(
  'runs',
  {
    id: serial('id').primaryKey(),
    channelId: text('channel_id').notNull(),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    params: storedJson('params', RUN_PARAMS_FORMAT).notNull(),
    k: integer('k'),
    silhouette: doublePrecision('silhouette'),
    inertia: doublePrecision('inertia'),
    transform: storedJson('transform', RUN_TRANSFORM_FORMAT),
    kSelection: storedJson('k_selection', K_SELECTION_FORMAT),
    silhouetteSample: storedJson('silhouette_sample', SILHOUETTE_SAMPLE_FORMAT),
    pca: storedJson('pca', RUN_PCA_FORMAT),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: at('finished_at'),
  },
  (t) => [index('runs_channel_idx').on(t.channelId, t.id), index('runs_dataset_idx').on(t.datasetId)],
);

export const runSegments = pgTable(
  'run_segments',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    segmentIndex: integer('segment_index').notNull(),
    name: text('name').notNull(),
    persona: text('persona').notNull().$type<PersonaKey>(),
    size: integer('size').notNull(),
    share: doublePrecision('share').notNull(),
    profile: json('profile').notNull().$type<FeatureProfile[]>(),
    traits: json('traits').notNull().$type<Trait[]>(),
    actions: json('actions').notNull().$type<CampaignAction[]>(),
    centroid: json('centroid').notNull().$type<Segment['centroid']>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.segmentIndex] })],
);

export const assignments = pgTable('assignments', {
  runId: integer('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  labels: bytea('labels').notNull(),
  projection: bytea('projection'),
});

// ---------------------------------------------------------------------------------------------
// Prediction models
// ---------------------------------------------------------------------------------------------

export const models = pgTable(
  'models',
  {
    id: serial('id').primaryKey(),
    channelId: text('channel_id').notNull(),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    product: text('product').notNull(),
    modelFormat: text('model_format', { enum: ['json', 'binary'] }).notNull(),
    model: bytea('model').notNull(),
    metrics: storedJson('metrics', MODEL_METRICS_FORMAT).notNull(),
    transform: storedJson('transform', MODEL_TRANSFORM_FORMAT),
    createdAt: createdAt(),
  },
  (t) => [index('models_channel_dataset_product_idx').on(t.channelId, t.datasetId, t.product)],
);

// ---------------------------------------------------------------------------------------------
// Digests, alerts and change threads
// ---------------------------------------------------------------------------------------------

export const digestSchedules = pgTable('digest_schedules', {
  channelId: text('channel_id').primaryKey(),
  day: text('day', { enum: WEEKDAYS }).notNull(),
  time: text('time').notNull(),
  timezone: text('timezone').notNull(),
  pullSource: text('pull_source'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
});

export const digestLedger = pgTable(
  'digest_ledger',
  {
    channelId: text('channel_id').notNull(),
    periodKey: text('period_key').notNull(),
    postedAt: at('posted_at').notNull(),
    late: boolean('late').notNull().default(false),
    messageTs: text('message_ts'),
    claimedBy: text('claimed_by'),
    leaseUntil: at('lease_until'),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.periodKey] })],
);

export const alertSettings = pgTable('alert_settings', {
  channelId: text('channel_id').primaryKey(),
  thresholdPp: doublePrecision('threshold_pp').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: at('updated_at').notNull(),
});

export const changeThreads = pgTable(
  'change_threads',
  {
    id: serial('id').primaryKey(),
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

export const admins = pgTable('admins', {
  userId: text('user_id').primaryKey(),
  addedBy: text('added_by').notNull(),
  createdAt: createdAt(),
});

export const allowedChannels = pgTable('allowed_channels', {
  channelId: text('channel_id').primaryKey(),
  allowedBy: text('allowed_by').notNull(),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------

export const jobs = pgTable(
  'jobs',
  {
    id: serial('id').primaryKey(),
    channelId: text('channel_id').notNull(),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed', 'interrupted'] }).notNull(),
    userId: text('user_id'),
    progressTs: text('progress_ts'),
    createdAt: createdAt(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    error: text('error'),
    request: storedJson('request', JOB_REQUEST_FORMAT),
    owner: text('owner'),
    leaseUntil: at('lease_until'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [index('jobs_status_idx').on(t.status), index('jobs_channel_idx').on(t.channelId, t.id)],
);

// ---------------------------------------------------------------------------------------------
// Request ledger (idempotency)
// ---------------------------------------------------------------------------------------------

export const requestLedger = pgTable(
  'request_ledger',
  {
    key: text('key').primaryKey(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('request_ledger_expires_idx').on(t.expiresAt)],
);

// ---------------------------------------------------------------------------------------------
// Campaigns
// ---------------------------------------------------------------------------------------------

export const campaigns = pgTable(
  'campaigns',
  {
    id: serial('id').primaryKey(),
    channelId: text('channel_id').notNull(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    status: text('status', { enum: ['live', 'closed'] }).notNull(),
    datasetId: integer('dataset_id').notNull(),
    runId: integer('run_id'),
    product: text('product'),
    definition: storedJson('definition', CAMPAIGN_DEFINITION_FORMAT).notNull(),
    latestResult: storedJson('latest_result', CAMPAIGN_RESULT_FORMAT),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    closedAt: at('closed_at'),
  },
  (t) => [uniqueIndex('campaigns_channel_name_unique').on(t.channelId, t.nameKey)],
);

export const campaignMembers = pgTable(
  'campaign_members',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    customerId: text('customer_id').notNull(),
    group: text('group_name', { enum: ['treatment', 'control'] }).notNull(),
    segment: text('segment').notNull(),
    score: doublePrecision('score'),
    decile: integer('decile').notNull(),
    assignedAt: at('assigned_at').notNull(),
  },
  (t) => [index('campaign_members_campaign_idx').on(t.campaignId, t.group)],
);

export const suppressionEntries = pgTable(
  'suppression_entries',
  {
    channelId: text('channel_id').notNull(),
    customerId: text('customer_id').notNull(),
    addedBy: text('added_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.customerId] })],
);
