import type { ScheduleStore } from '../../../../db/repositories/schedule-store.js';
import { ingestCsv } from '../../../../src/analytics/ingest/ingest-csv.js';
import type { DigestService } from '../../../../src/jobs/digest-service.js';
import { createFakeClient, type FakeClient, sampleCustomersCsv } from '../../../helpers/command-args.js';
import { createFakeClock, type FakeClock } from '../../../helpers/fake-clock.js';
import { allowAll, createTestDeps, type TestDeps } from '../../../helpers/test-deps.js';

export interface DigestFixture extends TestDeps {
  fake: FakeClient;
  clock: FakeClock;
  schedules: ScheduleStore;
  digests: DigestService;
  /** Stores a generated dataset in the channel. */
  upload(rows?: number, seed?: number, channelId?: string): Promise<void>;
  /** Runs segmentation directly (no Slack) and stores the run. */
  segment(k: number, channelId?: string): Promise<number>;
  /** Messages posted with chat.postMessage, with their metadata. */
  posts(): Record<string, unknown>[];
}

export interface FixtureOptions {
  start?: string;
  /** users.info's tz for everyone ('' for none). */
  userTz?: string;
  /** What conversations.history returns, newest first. */
  history?: Record<string, unknown>[];
}

export function createDigestFixture(options: FixtureOptions = {}): DigestFixture {
  const clock = createFakeClock(options.start ?? '2026-11-22T12:00:00Z');
  const fake = createFakeClient();
  const client = fake.client as unknown as Record<string, unknown>;
  client.users = {
    info: async (args: Record<string, unknown>) => {
      fake.calls.push({ method: 'users.info', args });
      return { ok: true, user: { id: args.user, ...(options.userTz ? { tz: options.userTz } : {}) } };
    },
  };
  client.conversations = {
    history: async (args: Record<string, unknown>) => {
      fake.calls.push({ method: 'conversations.history', args });
      return { ok: true, messages: options.history ?? [], has_more: false };
    },
  };
  const test = createTestDeps({ guard: allowAll() }, { clock, digestClient: fake });
  const { deps } = test;
  const { schedules, digests } = deps;
  return {
    ...test,
    deps,
    fake,
    clock,
    schedules,
    digests,
    async upload(rows = 200, seed = 11, channelId = 'C0TEST') {
      const ingest = await ingestCsv(new TextEncoder().encode(sampleCustomersCsv(rows, seed)), {
        fileName: `customers-${seed}.csv`,
      });
      await deps.datasets.saveDataset({ channelId, userId: 'U0BOB', ingest });
    },
    async segment(k, channelId = 'C0TEST') {
      const dataset = (await deps.datasets.latestDataset(channelId))!;
      const run = await deps.runs.startRun({
        channelId,
        datasetId: dataset.id,
        userId: 'U0BOB',
        params: { k, seed: 7 },
      });
      const table = await deps.datasets.loadTable(dataset.id);
      const result = await deps.segmentCustomers(
        { table, schema: dataset.schema, quality: dataset.quality },
        { k, seed: 7 },
      );
      return (await deps.runs.completeRun(run.id, result)).id;
    },
    posts: () => fake.callsOf('chat.postMessage'),
  };
}
