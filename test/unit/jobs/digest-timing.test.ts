import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors.js';
import {
  cronPattern,
  type DigestTiming,
  latestDue,
  nextDue,
  parseDigestTiming,
} from '../../../src/jobs/digest-timing.js';

const monday9London: DigestTiming = {
  day: 'monday',
  time: '09:00',
  timezone: 'Europe/London',
  since: new Date('2026-01-01T00:00:00Z'),
};

describe('digest timing', () => {
  it('builds a weekly cron pattern', () => {
    expect(cronPattern({ day: 'monday', time: '09:05' })).toBe('5 9 * * 1');
    expect(cronPattern({ day: 'sunday', time: '23:59' })).toBe('59 23 * * 0');
  });

  it('is due exactly at the local time, and on time within the grace period', () => {
    // 2026-11-23 is a Monday; London is on GMT in November.
    const due = latestDue(monday9London, new Date('2026-11-23T09:00:00Z'));
    expect(due?.periodKey).toBe('2026-11-23T09:00:00.000Z');
    expect(due?.late).toBe(false);
    expect(latestDue(monday9London, new Date('2026-11-23T09:10:00Z'))?.late).toBe(false);
  });

  it('marks a digest late when the due time passed long ago, and owes only the latest one', () => {
    const due = latestDue(monday9London, new Date('2026-12-16T12:00:00Z'));
    expect(due?.periodKey).toBe('2026-12-14T09:00:00.000Z');
    expect(due?.late).toBe(true);
  });

  it('owes nothing that was due before the subscription', () => {
    const timing = { ...monday9London, since: new Date('2026-11-24T00:00:00Z') };
    expect(latestDue(timing, new Date('2026-11-25T00:00:00Z'))).toBeNull();
    expect(latestDue(timing, new Date('2026-11-30T09:00:00Z'))?.periodKey).toBe('2026-11-30T09:00:00.000Z');
  });

  it('follows summer time: the same local time is a different UTC instant', () => {
    expect(nextDue(monday9London, new Date('2026-06-01T00:00:00Z')).toISOString()).toBe(
      '2026-06-01T08:00:00.000Z',
    );
    expect(nextDue(monday9London, new Date('2026-12-01T00:00:00Z')).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
  });

  it('fires once at the next valid minute when the local time does not exist (spring forward)', () => {
    // Europe/Berlin skips 02:00-03:00 on 2026-03-29 (a Sunday).
    const timing: DigestTiming = {
      day: 'sunday',
      time: '02:30',
      timezone: 'Europe/Berlin',
      since: new Date('2026-01-01'),
    };
    expect(nextDue(timing, new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('fires once when the local time happens twice (fall back)', () => {
    // Europe/Berlin repeats 02:00-03:00 on 2026-10-25 (a Sunday).
    const timing: DigestTiming = {
      day: 'sunday',
      time: '02:30',
      timezone: 'Europe/Berlin',
      since: new Date('2026-01-01'),
    };
    const first = nextDue(timing, new Date('2026-10-24T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // Right after the first firing, the next one is a week later, not an hour later.
    expect(nextDue(timing, first).toISOString()).toBe('2026-11-01T01:30:00.000Z');
    expect(latestDue(timing, new Date('2026-10-25T01:45:00Z'))?.periodKey).toBe('2026-10-25T00:30:00.000Z');
  });

  it('parses the /segbot digest arguments', () => {
    expect(parseDigestTiming(['weekly', 'Mon', '9:00'], 'UTC')).toEqual({
      day: 'monday',
      time: '09:00',
      timezone: 'UTC',
    });
    expect(parseDigestTiming(['weekly', 'friday', '16:30', 'America/New_York'], 'UTC')).toEqual({
      day: 'friday',
      time: '16:30',
      timezone: 'America/New_York',
    });
    expect(() => parseDigestTiming(['weekly', 'someday', '09:00'], 'UTC')).toThrow(/not a day of the week/);
    expect(() => parseDigestTiming(['weekly', 'monday', '25:00'], 'UTC')).toThrow(/not a time/);
    expect(() => parseDigestTiming(['weekly', 'monday', '09:00', 'Mars/Olympus'], 'UTC')).toThrow(
      BadInputError,
    );
    expect(() => parseDigestTiming(['daily'], 'UTC')).toThrow(/incomplete/);
  });
});
