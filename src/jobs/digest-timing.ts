import { Cron } from 'croner';
import { isValidTimezone } from '../domain/time-zone.js';
import { WEEKDAYS, type Weekday } from '../domain/weekdays.js';
import { BadInputError } from '../errors.js';

/** When a channel's weekly digest is due, in the channel's chosen time zone. */
export interface DigestTiming {
  day: Weekday;
  /** Local wall-clock time, "HH:MM" (24-hour). */
  time: string;
  /** IANA time zone name, e.g. "Europe/London". */
  timezone: string;
  /** Digests due before the subscription existed are never sent. */
  since: Date;
}

export interface DueDigest {
  /** The occurrence this digest is for; also the ledger key that makes sending exactly-once. */
  dueAt: Date;
  periodKey: string;
  /** True when the due time passed more than the grace period ago (the bot was down). */
  late: boolean;
}

/** A digest sent within this long after its due time is on time; later ones say they are late. */
export const LATE_AFTER_MS = 15 * 60 * 1000;

/**
 * The cron pattern for a timing. Croner evaluates it in the timing's zone, which is what makes
 * daylight-saving days behave: a time that does not exist (spring forward) fires at the next valid
 * minute, and a time that happens twice (fall back) fires once, at its first occurrence.
 */
export function cronPattern(timing: Pick<DigestTiming, 'day' | 'time'>): string {
  const [hours, minutes] = timing.time.split(':');
  return `${Number(minutes)} ${Number(hours)} * * ${WEEKDAYS.indexOf(timing.day)}`;
}

function cronFor(timing: DigestTiming): Cron {
  return new Cron(cronPattern(timing), { timezone: timing.timezone, paused: true });
}

/**
 * The most recent occurrence at or before `now` that is owed: due after the subscription started.
 * Returns null when nothing is owed yet. Only the latest occurrence counts, so a bot that was down
 * for three weeks sends one late digest, not three.
 */
export function latestDue(timing: DigestTiming, now: Date): DueDigest | null {
  // previousRuns looks strictly before its reference; nudge by 1 ms so a digest due exactly now counts.
  const [dueAt] = cronFor(timing).previousRuns(1, new Date(now.getTime() + 1));
  if (!dueAt || dueAt.getTime() < timing.since.getTime()) return null;
  return { dueAt, periodKey: dueAt.toISOString(), late: now.getTime() - dueAt.getTime() > LATE_AFTER_MS };
}

/** The next occurrence strictly after `now`. */
export function nextDue(timing: DigestTiming, now: Date): Date {
  const next = cronFor(timing).nextRun(now);
  if (!next) throw new Error('a weekly schedule always has a next occurrence');
  return next;
}

/**
 * Parses `weekly <day> <HH:MM> [timezone]` (the arguments after `/segbot digest`). Day names may be
 * abbreviated to three letters; the time zone defaults to `defaultTimezone`.
 */
export function parseDigestTiming(
  args: readonly string[],
  defaultTimezone: string,
): Pick<DigestTiming, 'day' | 'time' | 'timezone'> {
  const usage =
    'Use `/segbot digest weekly <day> <HH:MM> [timezone]`, for example `/segbot digest weekly monday 09:00 Europe/London`.';
  const [period, dayText, timeText, timezoneText, ...rest] = args;
  if (period?.toLowerCase() !== 'weekly' || !dayText || !timeText || rest.length > 0) {
    throw new BadInputError('That digest schedule is incomplete.', { hint: usage });
  }
  const day = WEEKDAYS.find((d) => d === dayText.toLowerCase() || d.slice(0, 3) === dayText.toLowerCase());
  if (!day) throw new BadInputError(`"${dayText}" is not a day of the week.`, { hint: usage });
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(timeText);
  if (!match)
    throw new BadInputError(`"${timeText}" is not a time like 09:00 (24-hour clock).`, { hint: usage });
  const time = `${match[1]!.padStart(2, '0')}:${match[2]}`;
  const timezone = timezoneText ?? defaultTimezone;
  if (!isValidTimezone(timezone)) {
    throw new BadInputError(`"${timezone}" is not a time zone I know.`, {
      hint: 'Use an IANA name such as Europe/London, America/New_York or UTC.',
    });
  }
  return { day, time, timezone };
}
