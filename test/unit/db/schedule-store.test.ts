import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import type { StorageDatabase } from '../../../db/client-pg.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { createRunStore } from '../../../db/repositories/run-store.js';
import {
  createScheduleStore,
  DEFAULT_ALERT_THRESHOLD_PP,
  type ScheduleStore,
} from '../../../db/repositories/schedule-store.js';
import { storageBackends } from '../../helpers/storage-backends.js';
import { buildIngest } from './build-ingest.js';

describe.each(storageBackends())('on $name', (backend) => {
  let database: StorageDatabase;
  let store: ScheduleStore;
  let clock: Date;
  beforeEach(async () => {
    database = await backend.open();
    clock = new Date('2026-11-23T09:00:00Z');
    store = createScheduleStore(database, { now: () => clock });
  });
  afterEach(() => database.close());

  describe('digest schedules', () => {
    it('creates, replaces, lists and removes a channel schedule', async () => {
      expect(await store.getSchedule('A')).toBeNull();
      await store.setSchedule({
        channelId: 'A',
        day: 'monday',
        time: '09:00',
        timezone: 'Europe/Madrid',
        createdBy: 'U1',
        pullSource: 'warehouse',
      });
      expect((await store.getSchedule('A'))?.pullSource).toBe('warehouse');
      const replaced = await store.setSchedule({
        channelId: 'A',
        day: 'friday',
        time: '16:30',
        timezone: 'UTC',
        createdBy: 'U2',
      });
      expect(replaced).toEqual({
        channelId: 'A',
        day: 'friday',
        time: '16:30',
        timezone: 'UTC',
        // A schedule set again without pull= no longer pulls.
        pullSource: null,
        createdBy: 'U2',
        createdAt: clock,
      });
      await store.setSchedule({
        channelId: 'B',
        day: 'sunday',
        time: '00:00',
        timezone: 'UTC',
        createdBy: 'U1',
      });
      expect((await store.listSchedules()).map((s) => s.channelId)).toEqual(['A', 'B']);
      expect(await store.removeSchedule('A')).toBe(true);
      expect(await store.removeSchedule('A')).toBe(false);
      expect(await store.getSchedule('A')).toBeNull();
    });
  });

  describe('digest ledger', () => {
    it('lets exactly one claim win per channel and period', async () => {
      const key = '2026-11-23T08:00:00.000Z';
      expect(await store.claimDigest({ channelId: 'A', periodKey: key })).toBe('claimed');
      expect(await store.claimDigest({ channelId: 'A', periodKey: key })).toBe('pending');
      expect(await store.claimDigest({ channelId: 'B', periodKey: key })).toBe('claimed');
      await store.confirmDigest('A', key, '1700000000.000100');
      expect(await store.claimDigest({ channelId: 'A', periodKey: key, late: true })).toBe('posted');
      expect(await store.getLedgerEntry('A', key)).toEqual({
        channelId: 'A',
        periodKey: key,
        postedAt: clock,
        late: false,
        messageTs: '1700000000.000100',
        claimedBy: 'segbot',
        leaseUntil: clock,
      });
      expect((await store.unconfirmedDigests()).map((e) => e.channelId)).toEqual(['B']);
    });

    it('lets another instance take an unconfirmed digest over only once its claimant’s lease has run out', async () => {
      const key = 'p-lease';
      const one = { owner: 'one', leaseMs: 1000 };
      const two = { owner: 'two', leaseMs: 1000 };
      const claim = (claimant: { owner: string; leaseMs: number }) =>
        store.claimDigest({ channelId: 'A', periodKey: key, claimant });
      expect(await claim(one)).toBe('claimed');
      expect(await claim(two)).toBe('busy');
      // Its own claimant may try again (a failed post), and renews the lease while posting.
      expect(await claim(one)).toBe('pending');
      expect((await store.getLedgerEntry('A', key))?.leaseUntil).toEqual(new Date(clock.getTime() + 1000));
      // "one" dies: the lease lapses, and exactly one taker gets the digest.
      clock = new Date(clock.getTime() + 1001);
      expect(await claim(two)).toBe('pending');
      expect(await claim({ owner: 'three', leaseMs: 1000 })).toBe('busy');
      await store.renewDigest('A', key, one);
      expect((await store.getLedgerEntry('A', key))?.claimedBy).toBe('two');
      await store.confirmDigest('A', key, '1.5');
      expect(await claim(one)).toBe('posted');
    });

    it('releases an unconfirmed claim so a retry can claim it, but never a posted one', async () => {
      expect(await store.claimDigest({ channelId: 'A', periodKey: 'p1', late: true })).toBe('claimed');
      expect((await store.getLedgerEntry('A', 'p1'))?.late).toBe(true);
      expect(await store.releaseDigest('A', 'p1')).toBe(true);
      expect(await store.claimDigest({ channelId: 'A', periodKey: 'p1' })).toBe('claimed');
      await store.confirmDigest('A', 'p1', '1.2');
      expect(await store.releaseDigest('A', 'p1')).toBe(false);
      expect(await store.claimDigest({ channelId: 'A', periodKey: 'p1' })).toBe('posted');
    });

    it('remembers claims across a restart (the database reopened)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'segbot-ledger-'));
      try {
        const path = join(dir, 'segbot.sqlite');
        const first = openDatabase(path);
        expect(await createScheduleStore(first).claimDigest({ channelId: 'A', periodKey: 'w48' })).toBe(
          'claimed',
        );
        await createScheduleStore(first).confirmDigest('A', 'w48', '9.9');
        first.close();
        const second = openDatabase(path);
        const reopened = createScheduleStore(second);
        expect(await reopened.claimDigest({ channelId: 'A', periodKey: 'w48' })).toBe('posted');
        expect((await reopened.lastDigest('A'))?.messageTs).toBe('9.9');
        second.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('returns the most recent digest of a channel', async () => {
      await store.claimDigest({ channelId: 'A', periodKey: 'w1' });
      clock = new Date('2026-11-30T09:00:00Z');
      await store.claimDigest({ channelId: 'A', periodKey: 'w2' });
      expect((await store.lastDigest('A'))?.periodKey).toBe('w2');
      expect(await store.lastDigest('B')).toBeNull();
    });
  });

  describe('alert thresholds', () => {
    it('defaults to 5 points and keeps a channel setting', async () => {
      expect(await store.getAlertThreshold('A')).toBe(DEFAULT_ALERT_THRESHOLD_PP);
      expect(DEFAULT_ALERT_THRESHOLD_PP).toBe(5);
      await store.setAlertThreshold('A', 2.5, 'U1');
      await store.setAlertThreshold('A', 8, 'U2');
      expect(await store.getAlertThreshold('A')).toBe(8);
      expect(await store.getAlertThreshold('B')).toBe(5);
    });
  });

  describe('change threads', () => {
    it('finds a thread by its ts within the channel only', async () => {
      const dataset = await createDatasetStore(database).saveDataset({
        channelId: 'A',
        userId: 'U1',
        ingest: buildIngest({ rows: 5 }),
      });
      const runs = createRunStore(database);
      const r1 = await runs.startRun({
        channelId: 'A',
        datasetId: dataset.id,
        userId: 'U1',
        params: { k: 2, seed: 1 },
      });
      const r2 = await runs.startRun({
        channelId: 'A',
        datasetId: dataset.id,
        userId: 'U1',
        params: { k: 2, seed: 1 },
      });
      const thread = await store.recordChangeThread({
        channelId: 'A',
        runId: r2.id,
        previousRunId: r1.id,
        threadTs: '17.5',
      });
      expect(await store.findChangeThread('A', '17.5')).toEqual(thread);
      expect(await store.findChangeThread('B', '17.5')).toBeNull();
      expect((await store.changeThreadForRun('A', r2.id))?.previousRunId).toBe(r1.id);
      expect(await store.changeThreadForRun('B', r2.id)).toBeNull();
    });
  });
});
