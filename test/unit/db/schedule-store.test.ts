import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SegbotDatabase } from '../../../db/client.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { createRunStore } from '../../../db/repositories/run-store.js';
import {
  createScheduleStore,
  DEFAULT_ALERT_THRESHOLD_PP,
  type ScheduleStore,
} from '../../../db/repositories/schedule-store.js';
import { buildIngest } from './build-ingest.js';

let database: SegbotDatabase;
let store: ScheduleStore;
let clock: Date;
beforeEach(() => {
  database = openDatabase(':memory:');
  clock = new Date('2026-11-23T09:00:00Z');
  store = createScheduleStore(database, { now: () => clock });
});
afterEach(() => database.close());

describe('digest schedules', () => {
  it('creates, replaces, lists and removes a channel schedule', () => {
    expect(store.getSchedule('A')).toBeNull();
    store.setSchedule({
      channelId: 'A',
      day: 'monday',
      time: '09:00',
      timezone: 'Europe/Madrid',
      createdBy: 'U1',
      pullSource: 'warehouse',
    });
    expect(store.getSchedule('A')?.pullSource).toBe('warehouse');
    const replaced = store.setSchedule({
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
    store.setSchedule({ channelId: 'B', day: 'sunday', time: '00:00', timezone: 'UTC', createdBy: 'U1' });
    expect(store.listSchedules().map((s) => s.channelId)).toEqual(['A', 'B']);
    expect(store.removeSchedule('A')).toBe(true);
    expect(store.removeSchedule('A')).toBe(false);
    expect(store.getSchedule('A')).toBeNull();
  });
});

describe('digest ledger', () => {
  it('lets exactly one claim win per channel and period', () => {
    const key = '2026-11-23T08:00:00.000Z';
    expect(store.claimDigest({ channelId: 'A', periodKey: key })).toBe('claimed');
    expect(store.claimDigest({ channelId: 'A', periodKey: key })).toBe('pending');
    expect(store.claimDigest({ channelId: 'B', periodKey: key })).toBe('claimed');
    store.confirmDigest('A', key, '1700000000.000100');
    expect(store.claimDigest({ channelId: 'A', periodKey: key, late: true })).toBe('posted');
    expect(store.getLedgerEntry('A', key)).toEqual({
      channelId: 'A',
      periodKey: key,
      postedAt: clock,
      late: false,
      messageTs: '1700000000.000100',
      claimedBy: 'segbot',
      leaseUntil: clock,
    });
    expect(store.unconfirmedDigests().map((e) => e.channelId)).toEqual(['B']);
  });

  it('lets another instance take an unconfirmed digest over only once its claimant’s lease has run out', () => {
    const key = 'p-lease';
    const one = { owner: 'one', leaseMs: 1000 };
    const two = { owner: 'two', leaseMs: 1000 };
    expect(store.claimDigest({ channelId: 'A', periodKey: key, claimant: one })).toBe('claimed');
    expect(store.claimDigest({ channelId: 'A', periodKey: key, claimant: two })).toBe('busy');
    // Its own claimant may try again (a failed post), and renews the lease while posting.
    expect(store.claimDigest({ channelId: 'A', periodKey: key, claimant: one })).toBe('pending');
    expect(store.getLedgerEntry('A', key)?.leaseUntil).toEqual(new Date(clock.getTime() + 1000));
    // "one" dies: the lease lapses, and exactly one taker gets the digest.
    clock = new Date(clock.getTime() + 1001);
    expect(store.claimDigest({ channelId: 'A', periodKey: key, claimant: two })).toBe('pending');
    expect(
      store.claimDigest({ channelId: 'A', periodKey: key, claimant: { owner: 'three', leaseMs: 1000 } }),
    ).toBe('busy');
    store.renewDigest('A', key, one);
    expect(store.getLedgerEntry('A', key)?.claimedBy).toBe('two');
    store.confirmDigest('A', key, '1.5');
    expect(store.claimDigest({ channelId: 'A', periodKey: key, claimant: one })).toBe('posted');
  });

  it('releases an unconfirmed claim so a retry can claim it, but never a posted one', () => {
    expect(store.claimDigest({ channelId: 'A', periodKey: 'p1', late: true })).toBe('claimed');
    expect(store.getLedgerEntry('A', 'p1')?.late).toBe(true);
    expect(store.releaseDigest('A', 'p1')).toBe(true);
    expect(store.claimDigest({ channelId: 'A', periodKey: 'p1' })).toBe('claimed');
    store.confirmDigest('A', 'p1', '1.2');
    expect(store.releaseDigest('A', 'p1')).toBe(false);
    expect(store.claimDigest({ channelId: 'A', periodKey: 'p1' })).toBe('posted');
  });

  it('remembers claims across a restart (a file database reopened)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-ledger-'));
    try {
      const path = join(dir, 'segbot.sqlite');
      const first = openDatabase(path);
      expect(createScheduleStore(first).claimDigest({ channelId: 'A', periodKey: 'w48' })).toBe('claimed');
      createScheduleStore(first).confirmDigest('A', 'w48', '9.9');
      first.close();
      const second = openDatabase(path);
      const reopened = createScheduleStore(second);
      expect(reopened.claimDigest({ channelId: 'A', periodKey: 'w48' })).toBe('posted');
      expect(reopened.lastDigest('A')?.messageTs).toBe('9.9');
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns the most recent digest of a channel', () => {
    store.claimDigest({ channelId: 'A', periodKey: 'w1' });
    clock = new Date('2026-11-30T09:00:00Z');
    store.claimDigest({ channelId: 'A', periodKey: 'w2' });
    expect(store.lastDigest('A')?.periodKey).toBe('w2');
    expect(store.lastDigest('B')).toBeNull();
  });
});

describe('alert thresholds', () => {
  it('defaults to 5 points and keeps a channel setting', () => {
    expect(store.getAlertThreshold('A')).toBe(DEFAULT_ALERT_THRESHOLD_PP);
    expect(DEFAULT_ALERT_THRESHOLD_PP).toBe(5);
    store.setAlertThreshold('A', 2.5, 'U1');
    store.setAlertThreshold('A', 8, 'U2');
    expect(store.getAlertThreshold('A')).toBe(8);
    expect(store.getAlertThreshold('B')).toBe(5);
  });
});

describe('change threads', () => {
  it('finds a thread by its ts within the channel only', () => {
    const dataset = createDatasetStore(database).saveDataset({
      channelId: 'A',
      userId: 'U1',
      ingest: buildIngest({ rows: 5 }),
    });
    const runs = createRunStore(database);
    const r1 = runs.startRun({
      channelId: 'A',
      datasetId: dataset.id,
      userId: 'U1',
      params: { k: 2, seed: 1 },
    });
    const r2 = runs.startRun({
      channelId: 'A',
      datasetId: dataset.id,
      userId: 'U1',
      params: { k: 2, seed: 1 },
    });
    const thread = store.recordChangeThread({
      channelId: 'A',
      runId: r2.id,
      previousRunId: r1.id,
      threadTs: '17.5',
    });
    expect(store.findChangeThread('A', '17.5')).toEqual(thread);
    expect(store.findChangeThread('B', '17.5')).toBeNull();
    expect(store.changeThreadForRun('A', r2.id)?.previousRunId).toBe(r1.id);
    expect(store.changeThreadForRun('B', r2.id)).toBeNull();
  });
});
