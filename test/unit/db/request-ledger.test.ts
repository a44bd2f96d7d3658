import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import {
  createMemoryRequestLedger,
  createSqliteRequestLedger,
  type RequestLedger,
} from '../../../db/repositories/request-ledger.js';

/** A clock the test moves. */
function movableNow(start = Date.UTC(2026, 0, 1)) {
  let ms = start;
  return {
    now: () => new Date(ms),
    advance: (by: number) => (ms += by),
    at: (by: number) => new Date(ms + by),
  };
}

const ledgers: [string, (now: () => Date) => RequestLedger][] = [
  ['sqlite', (now) => createSqliteRequestLedger(openDatabase(':memory:'), { now })],
  ['memory', (now) => createMemoryRequestLedger({ now })],
];

describe.each(ledgers)('request ledger (%s)', (_name, create) => {
  it('lets a key be claimed once until it expires, then again', async () => {
    const clock = movableNow();
    const ledger = create(clock.now);
    expect(await ledger.claim('event:Ev1', clock.at(1000))).toBe(true);
    expect(await ledger.claim('event:Ev1', clock.at(5000))).toBe(false);
    expect(await ledger.claim('event:Ev2', clock.at(1000))).toBe(true);
    clock.advance(1000);
    expect(await ledger.claim('event:Ev1', clock.at(1000))).toBe(true);
    expect(await ledger.claim('event:Ev1', clock.at(1000))).toBe(false);
  });

  it('frees a released key at once', async () => {
    const clock = movableNow();
    const ledger = create(clock.now);
    await ledger.claim('file:C1:F1', clock.at(60_000));
    await ledger.release('file:C1:F1');
    expect(await ledger.claim('file:C1:F1', clock.at(60_000))).toBe(true);
  });

  it('prunes expired keys only', async () => {
    const clock = movableNow();
    const ledger = create(clock.now);
    await ledger.claim('a', clock.at(10));
    await ledger.claim('b', clock.at(10_000));
    clock.advance(100);
    expect(await ledger.prune()).toBe(1);
    expect(await ledger.claim('b', clock.at(10_000))).toBe(false);
  });
});

describe('sqlite request ledger', () => {
  it('survives a restart: a key claimed before reopening the file is still claimed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-ledger-'));
    try {
      const path = join(dir, 'segbot.sqlite');
      const first = openDatabase(path);
      const expires = new Date(Date.now() + 60_000);
      expect(await createSqliteRequestLedger(first).claim('event:Ev9', expires)).toBe(true);
      first.close();
      const second = openDatabase(path);
      expect(await createSqliteRequestLedger(second).claim('event:Ev9', expires)).toBe(false);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes expired rows by itself while claiming, at most once per interval', async () => {
    const clock = movableNow();
    const database = openDatabase(':memory:');
    const ledger = createSqliteRequestLedger(database, { now: clock.now, pruneEveryMs: 1000 });
    for (let i = 0; i < 5; i += 1) await ledger.claim(`old:${i}`, clock.at(10));
    const rows = () =>
      database.sqlite.prepare('select count(*) as n from request_ledger').get() as { n: number };
    clock.advance(2000);
    await ledger.claim('new', clock.at(10_000));
    expect(rows().n).toBe(1);
  });
});

describe('request ledger while another connection holds the write lock', () => {
  it('waits for the lock without blocking the event loop, then claims', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-ledger-'));
    const path = join(dir, 'segbot.db');
    const holder = openDatabase(path);
    const database = openDatabase(path, { busyTimeoutMs: 3000 });
    try {
      const ledger = createSqliteRequestLedger(database);
      holder.sqlite.exec('BEGIN IMMEDIATE');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const started = performance.now();
      const claim = ledger.claim('signature:a', new Date(Date.now() + 60_000));
      // The lock goes after 200 ms; meanwhile the event loop keeps turning.
      setTimeout(() => holder.sqlite.exec('COMMIT'), 200);
      expect(await claim).toBe(true);
      clearInterval(ticker);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(await ledger.claim('signature:a', new Date(Date.now() + 60_000))).toBe(false);
      // The connection's own busy timeout is back in place for every other statement.
      expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(3000);
    } finally {
      holder.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with the busy error once the busy timeout has passed, as a blocking write would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-ledger-'));
    const path = join(dir, 'segbot.db');
    const holder = openDatabase(path);
    const database = openDatabase(path, { busyTimeoutMs: 100 });
    try {
      holder.sqlite.exec('BEGIN IMMEDIATE');
      const error = await createSqliteRequestLedger(database)
        .claim('signature:b', new Date(Date.now() + 60_000))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SQLITE_BUSY' });
      holder.sqlite.exec('ROLLBACK');
    } finally {
      holder.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
