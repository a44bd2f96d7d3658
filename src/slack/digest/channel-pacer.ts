/**
 * Paces what segbot posts per channel. chat.postMessage allows about one message per second per
 * channel, with short bursts tolerated: each channel has a small bucket of posts (default 3) that
 * refills at one per `intervalMs`, so a digest or a change thread (two or three messages) goes out
 * at once, and anything more keeps to one a second. Channels do not wait for each other.
 *
 * Rate limits (HTTP 429) are not retried here: @slack/web-api's WebClient already waits for the
 * Retry-After it is given and sends the same request again (within its retryConfig), pausing its
 * whole request queue meanwhile. Retrying here as well would send a message twice as often as
 * needed and double the wait.
 */

export interface ChannelPacer {
  /** Runs `send` once the channel has a post to spare, in the order posts were asked for. */
  run<T>(channelId: string, send: () => Promise<T>): Promise<T>;
}

export interface ChannelPacerOptions {
  /** Time to earn one more post (default 1,100 ms: a margin over Slack's one per second). */
  intervalMs?: number;
  /** Posts a quiet channel may send at once (default 3). */
  burst?: number;
  /** Monotonic milliseconds; real time even when the digest clock is moved (local mode). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_INTERVAL_MS = 1100;
const DEFAULT_BURST = 3;

/** Creates a per-channel pacer. */
export function createChannelPacer(options: ChannelPacerOptions = {}): ChannelPacer {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const burst = Math.max(1, options.burst ?? DEFAULT_BURST);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tails = new Map<string, Promise<unknown>>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  const take = async (channelId: string) => {
    const bucket = buckets.get(channelId) ?? { tokens: burst, at: now() };
    const refill = (at: number) => {
      const earned = intervalMs > 0 ? (at - bucket.at) / intervalMs : burst;
      bucket.tokens = Math.min(burst, bucket.tokens + earned);
      bucket.at = at;
    };
    refill(now());
    if (bucket.tokens < 1) {
      await sleep(Math.round((1 - bucket.tokens) * intervalMs));
      refill(now());
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    buckets.set(channelId, bucket);
  };

  return {
    run(channelId, send) {
      const previous = tails.get(channelId) ?? Promise.resolve();
      const next = previous
        .catch(() => {})
        .then(async () => {
          await take(channelId);
          return send();
        });
      const tail = next.catch(() => {});
      tails.set(channelId, tail);
      void tail.then(() => {
        if (tails.get(channelId) === tail) tails.delete(channelId);
      });
      return next;
    },
  };
}
