import { describe, expect, it } from 'vitest';
import { summarizeDigest } from '../../../../src/analytics/compare/summarize-digest.js';
import type { Segment } from '../../../../src/analytics/types.js';
import { findBlockKitViolations } from '../../../../src/local/check-blocks.js';
import {
  changeAlertMessage,
  changeDetailsMessage,
  digestMessage,
  formatInZone,
  formatPp,
} from '../../../../src/slack/digest/digest-blocks.js';
import { twoRuns } from './fixtures.js';

describe('digest blocks', () => {
  it('formats moments in the schedule’s zone, across a daylight-saving change', () => {
    expect(formatInZone(new Date('2026-03-30T07:00:00Z'), 'Europe/London')).toBe(
      'Mon 30 Mar 2026, 08:00 Europe/London',
    );
    expect(formatInZone(new Date('2026-03-23T08:00:00Z'), 'Europe/London')).toBe(
      'Mon 23 Mar 2026, 08:00 Europe/London',
    );
    expect(formatPp(4.96)).toBe('+5.0 pp');
    expect(formatPp(-0.04)).toBe('±0.0 pp');
  });

  it('shows sizes, week-over-week changes and top actions, and says when it is late', () => {
    const runs = twoRuns();
    const summary = summarizeDigest(runs.current.segments as Segment[], runs.comparison);
    const message = digestMessage({
      summary,
      dueAt: new Date('2026-11-23T09:00:00Z'),
      timezone: 'UTC',
      late: true,
      runId: 2,
      previousRunId: 1,
      datasetVersion: 2,
      rerun: false,
      chartInThread: true,
    });
    expect(message.text).toBe(
      `Weekly segment digest (late): ${runs.comparison.headline}\nLate: this digest was due Mon 23 Nov 2026, 09:00 UTC; segbot was offline then and sends it now.`,
    );
    const all = JSON.stringify(message.blocks);
    expect(all).toContain('*2. Revolvers*: 30 customers, 37.5% (−10, −12.5 pp week over week)');
    expect(all).toContain(':dart: Balance transfer offer');
    expect(all).toContain(
      '10 of 79 customers present in both runs changed segment. The migration chart is in the thread.',
    );
    expect(findBlockKitViolations(message.blocks)).toEqual([]);
  });

  it('builds a change alert and its details within Block Kit limits', () => {
    const runs = twoRuns();
    const alert = changeAlertMessage(runs.comparison, 5);
    expect(alert.text).toMatch(
      /^:bell: Segments changed in run #2 \(vs run #1\): a segment’s share moved 12\.5 pp\./,
    );
    const details = changeDetailsMessage(runs.comparison, runs.current.segments as Segment[]);
    const all = JSON.stringify(details.blocks);
    expect(all).toContain('*Revolvers*: 40 → 30 (−10, −12.5 pp)');
    expect(all).toContain('average cash advances up 38% (1,000 → 1,380)');
    expect(all).toContain('Suggested actions');
    expect(findBlockKitViolations([...alert.blocks, ...details.blocks])).toEqual([]);
  });
});
