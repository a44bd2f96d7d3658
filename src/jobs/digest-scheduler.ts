import type { Clock } from '../domain/clock.js';
import type { Weekday } from '../domain/weekdays.js';
import { type DigestTiming, type DueDigest, latestDue, nextDue } from './digest-timing.js';

export interface DigestSubscription {
  channelId: string;
  day: Weekday;
  time: string;
  timezone: string;
  createdAt: Date;
}

/**
 * The ledger of sent digests. `claim` is an insert-if-absent on (channel, period): whoever claims a
 * period first sends it, so neither a restart nor two ticks racing can post a digest twice.
 */
export interface DigestLedgerPort {
  listSubscriptions(): Promise<DigestSubscription[]> | DigestSubscription[];
  /**
   * 'claimed': this caller now owns the period and must post it;
   * 'posted': already sent;
   * 'pending': claimed before but never confirmed (the process died mid-post), now this caller's;
   * 'busy': another instance claimed it and is posting it now (its lease holds).
   */
  claim(channelId: string, periodKey: string, late: boolean): Promise<ClaimResult> | ClaimResult;
  markPosted(channelId: string, periodKey: string, messageTs: string): Promise<void> | void;
}

export type ClaimResult = 'claimed' | 'posted' | 'pending' | 'busy';

export interface DigestToPost extends DueDigest {
  channelId: string;
  /**
   * True when an earlier attempt may already have reached Slack: the poster must look for it
   * (by message metadata) before posting, so a crash between posting and recording loses nothing
   * and duplicates nothing.
   */
  recovering: boolean;
}

export interface DigestSchedulerOptions {
  clock: Clock;
  ledger: DigestLedgerPort;
  /** Posts one digest and returns the message ts. */
  post(digest: DigestToPost): Promise<string>;
  /** Told about a failed post (the period stays pending and is retried on the next tick). */
  onError?(error: unknown, digest: DigestToPost): void;
  /**
   * Told when another instance holds the digest (claim 'busy'): the caller looks again once that
   * claim could have lapsed, in case its instance dies before confirming.
   */
  onBusy?(digest: DigestToPost): void;
}

export interface DigestScheduler {
  /** Sends whatever is owed now (late ones included) and arms the timer for the next due time. */
  start(): Promise<void>;
  /** Re-reads subscriptions (after `/segbot digest weekly …` or `off`) and re-arms the timer. */
  refresh(): Promise<void>;
  /** Sends whatever is owed at the clock's current time; returns what was sent. */
  tick(): Promise<DigestToPost[]>;
  stop(): void;
}

// setTimeout's delay is a signed 32-bit number of milliseconds; longer waits are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

function timingOf(subscription: DigestSubscription): DigestTiming {
  return {
    day: subscription.day,
    time: subscription.time,
    timezone: subscription.timezone,
    since: subscription.createdAt,
  };
}

/**
 * Weekly digests, exactly once per period. Croner computes the occurrences in each channel's time
 * zone; the ledger decides who sends; the timer only says when to look again. Because every tick
 * asks "what is owed at this moment", a missed timer (process down, laptop asleep) turns into a
 * late digest on the next tick instead of a skipped one.
 */
export function createDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  const { clock, ledger } = options;
  let timer: unknown = null;
  let stopped = false;
  let running: Promise<DigestToPost[]> | null = null;

  const arm = async (): Promise<void> => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const subscriptions = await ledger.listSubscriptions();
    if (subscriptions.length === 0) return;
    const now = clock.now();
    const soonest = Math.min(...subscriptions.map((s) => nextDue(timingOf(s), now).getTime()));
    const delay = Math.min(Math.max(soonest - now.getTime(), 0), MAX_TIMER_MS);
    timer = clock.setTimeout(() => {
      timer = null;
      void scheduler.tick().finally(() => arm());
    }, delay);
  };

  const runTick = async (): Promise<DigestToPost[]> => {
    const sent: DigestToPost[] = [];
    const now = clock.now();
    for (const subscription of await ledger.listSubscriptions()) {
      const due = latestDue(timingOf(subscription), now);
      if (!due) continue;
      const claim = await ledger.claim(subscription.channelId, due.periodKey, due.late);
      if (claim === 'posted') continue;
      const digest: DigestToPost = {
        ...due,
        channelId: subscription.channelId,
        recovering: claim === 'pending',
      };
      if (claim === 'busy') {
        options.onBusy?.(digest);
        continue;
      }
      try {
        const ts = await options.post(digest);
        await ledger.markPosted(subscription.channelId, due.periodKey, ts);
        sent.push(digest);
      } catch (error) {
        options.onError?.(error, digest);
      }
    }
    return sent;
  };

  const scheduler: DigestScheduler = {
    async start() {
      stopped = false;
      await scheduler.tick();
      await arm();
    },
    async refresh() {
      await arm();
    },
    tick() {
      // Ticks never overlap: a timer firing during a slow post waits for it rather than racing it.
      const next = (running ?? Promise.resolve([])).then(() => runTick());
      running = next.finally(() => {
        if (running === next) running = null;
      });
      return next;
    },
    stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
  return scheduler;
}
