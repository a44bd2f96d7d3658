import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { createScheduleStore } from '../../../db/repositories/schedule-store.js';
import {
  type ClaimResult,
  createDigestScheduler,
  type DigestLedgerPort,
  type DigestSubscription,
  type DigestToPost,
} from '../../../src/jobs/digest-scheduler.js';
import { createFakeClock } from '../../helpers/fake-clock.js';

/** An in-memory ledger with the same insert-if-absent semantics as the SQLite one; it survives "restarts". */
function memoryLedger(subscriptions: DigestSubscription[]) {
  const entries = new Map<string, { late: boolean; ts: string | null }>();
  const ledger: DigestLedgerPort = {
    listSubscriptions: () => subscriptions,
    claim(channelId, periodKey, late): ClaimResult {
      const key = `${channelId}|${periodKey}`;
      const existing = entries.get(key);
      if (existing) return existing.ts ? 'posted' : 'pending';
      entries.set(key, { late, ts: null });
      return 'claimed';
    },
    markPosted(channelId, periodKey, ts) {
      entries.get(`${channelId}|${periodKey}`)!.ts = ts;
    },
  };
  return { ledger, entries };
}

const mondayNineLondon: DigestSubscription = {
  channelId: 'C1',
  day: 'monday',
  time: '09:00',
  timezone: 'Europe/London',
  createdAt: new Date('2026-11-20T10:00:00Z'),
};

function recorder() {
  const posted: DigestToPost[] = [];
  const post = async (digest: DigestToPost) => {
    posted.push(digest);
    return `ts-${posted.length}`;
  };
  return { posted, post };
}

describe('digest scheduler', () => {
  it('posts at the due time, once, and again a week later', async () => {
    const clock = createFakeClock('2026-11-22T12:00:00Z'); // Sunday
    const { ledger } = memoryLedger([mondayNineLondon]);
    const { posted, post } = recorder();
    const scheduler = createDigestScheduler({ clock, ledger, post });
    await scheduler.start();
    expect(posted).toHaveLength(0);

    await clock.advance(20 * 3600 * 1000 + 59 * 60 * 1000); // Monday 08:59
    expect(posted).toHaveLength(0);
    await clock.advance(60 * 1000); // Monday 09:00
    expect(posted.map((p) => [p.periodKey, p.late])).toEqual([['2026-11-23T09:00:00.000Z', false]]);

    await clock.advance(6 * 24 * 3600 * 1000);
    expect(posted).toHaveLength(1);
    await clock.advance(24 * 3600 * 1000);
    expect(posted.map((p) => p.periodKey)).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-30T09:00:00.000Z']);
    scheduler.stop();
  });

  it('does not post twice after a restart in the same period', async () => {
    const clock = createFakeClock('2026-11-23T09:00:00Z');
    const { ledger } = memoryLedger([mondayNineLondon]);
    const { posted, post } = recorder();
    const first = createDigestScheduler({ clock, ledger, post });
    await first.start();
    expect(posted).toHaveLength(1);
    first.stop();

    await clock.advance(5 * 60 * 1000);
    const second = createDigestScheduler({ clock, ledger, post });
    await second.start();
    expect(posted).toHaveLength(1);
    second.stop();
  });

  it('posts one late digest on start-up after downtime, not one per missed week', async () => {
    const clock = createFakeClock('2026-12-09T15:00:00Z'); // down since before 2026-11-23
    const { ledger, entries } = memoryLedger([mondayNineLondon]);
    const { posted, post } = recorder();
    const scheduler = createDigestScheduler({ clock, ledger, post });
    await scheduler.start();
    expect(posted.map((p) => [p.periodKey, p.late])).toEqual([['2026-12-07T09:00:00.000Z', true]]);
    expect(entries.get('C1|2026-12-07T09:00:00.000Z')).toEqual({ late: true, ts: 'ts-1' });
    scheduler.stop();
  });

  it('retries a period whose post failed, flagged so the poster checks Slack first', async () => {
    const clock = createFakeClock('2026-11-23T09:00:00Z');
    const { ledger } = memoryLedger([mondayNineLondon]);
    const attempts: DigestToPost[] = [];
    const errors: unknown[] = [];
    const scheduler = createDigestScheduler({
      clock,
      ledger,
      post: async (digest) => {
        attempts.push(digest);
        if (attempts.length === 1) throw new Error('slack unavailable');
        return 'ts-ok';
      },
      onError: (error) => errors.push(error),
    });
    await scheduler.start();
    expect(errors).toHaveLength(1);
    await scheduler.tick();
    expect(attempts.map((a) => a.recovering)).toEqual([false, true]);
    await scheduler.tick();
    expect(attempts).toHaveLength(2);
    scheduler.stop();
  });

  it('follows each channel in its own time zone', async () => {
    const clock = createFakeClock('2026-11-23T00:00:00Z');
    const newYork: DigestSubscription = {
      ...mondayNineLondon,
      channelId: 'C2',
      timezone: 'America/New_York',
    };
    const { ledger } = memoryLedger([mondayNineLondon, newYork]);
    const { posted, post } = recorder();
    const scheduler = createDigestScheduler({ clock, ledger, post });
    await scheduler.start();
    await clock.advance(24 * 3600 * 1000);
    expect(posted.map((p) => [p.channelId, p.periodKey])).toEqual([
      ['C1', '2026-11-23T09:00:00.000Z'],
      ['C2', '2026-11-23T14:00:00.000Z'],
    ]);
    scheduler.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('digest scheduler, two instances on one ledger', () => {
  it('an instance that dies mid-post leaves the digest to the other once its lease runs out, posted once', async () => {
    const clock = createFakeClock('2026-11-23T09:00:30Z'); // Monday, just after 09:00 in London
    const database = openDatabase(':memory:');
    const store = createScheduleStore(database, { now: () => clock.now() });
    const portFor = (owner: string): DigestLedgerPort => ({
      listSubscriptions: () => [mondayNineLondon],
      claim: (channelId, periodKey, late) =>
        store.claimDigest({ channelId, periodKey, late, claimant: { owner, leaseMs: 30_000 } }),
      markPosted: (channelId, periodKey, ts) => store.confirmDigest(channelId, periodKey, ts),
    });
    // "a" claims and starts posting, then dies: its post never returns and it never confirms.
    const dying = createDigestScheduler({ clock, ledger: portFor('a'), post: () => new Promise(() => {}) });
    void dying.tick();
    await new Promise((resolve) => setImmediate(resolve));
    const { posted, post } = recorder();
    const busy: DigestToPost[] = [];
    const survivor = createDigestScheduler({
      clock,
      ledger: portFor('b'),
      post,
      onBusy: (digest) => busy.push(digest),
    });
    // While "a"'s lease holds, "b" leaves the digest alone.
    expect(await survivor.tick()).toEqual([]);
    expect(busy).toHaveLength(1);
    await clock.advance(30_001);
    // Then it takes the claim over, as a recovery (it looks in Slack before posting).
    expect((await survivor.tick()).map((d) => d.recovering)).toEqual([true]);
    expect(posted).toHaveLength(1);
    expect((await store.getLedgerEntry('C1', posted[0]!.periodKey))?.messageTs).toBe('ts-1');
    // Confirmed: neither instance posts it again.
    expect(await survivor.tick()).toEqual([]);
    expect(posted).toHaveLength(1);
    database.close();
  });
});
