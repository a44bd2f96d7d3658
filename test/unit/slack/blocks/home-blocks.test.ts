import { describe, expect, it } from 'vitest';
import { findViewViolations } from '../../../../src/local/check-blocks.js';
import { type HomeChannel, homeView, MAX_HOME_BLOCKS } from '../../../../src/slack/blocks/home-blocks.js';

function channel(i: number, campaigns: HomeChannel['campaigns'] = []): HomeChannel {
  return {
    channelId: `C0CHAN${String(i).padStart(3, '0')}`,
    dataset: {
      id: i,
      fileName: 'customers.csv',
      version: 1,
      rows: 5000,
      createdAt: new Date('2026-12-01T09:00:00Z'),
    },
    run: {
      id: i,
      datasetVersion: 1,
      segments: [
        { name: 'Revolvers', share: 0.6 },
        { name: 'Transactors', share: 0.4 },
      ],
      createdAt: new Date('2026-12-01T09:05:00Z'),
    },
    nextDigest: { at: new Date('2026-12-07T09:00:00Z'), timezone: 'Europe/London' },
    campaigns,
  };
}

const text = (view: unknown) => JSON.stringify(view);

describe('homeView', () => {
  it('lists live campaigns with their verdict, or "not measured yet", escaped', () => {
    const view = homeView([
      channel(1, [
        { name: 'Loan <push>', verdict: 'worked: +3.1 pp (0.4 to 5.8)' },
        { name: 'Card drive', verdict: null },
      ]),
    ]);
    expect(text(view)).toContain(
      '*Live campaigns*\\n• *Loan &lt;push&gt;*: worked: +3.1 pp (0.4 to 5.8)\\n• *Card drive*: not measured yet',
    );
    expect(findViewViolations(view)).toEqual([]);
  });

  it('draws segment sizes as text bars in proportion to their share', () => {
    const bars = text(homeView([channel(1)]));
    expect(bars).toContain(`1. Revolvers   ${'█'.repeat(12)} 60.0%`);
    expect(bars).toContain(`2. Transactors ${'█'.repeat(8)} 40.0%`);
  });

  it('stays within 100 blocks however many channels and campaigns, and counts the channels left out', () => {
    for (const count of [1, 10, 13, 14, 15, 16, 40]) {
      const channels = Array.from({ length: count }, (_, i) =>
        channel(i, i % 2 === 0 ? [{ name: `Campaign ${i}`, verdict: null }] : []),
      );
      const view = homeView(channels);
      expect(view.blocks.length, `${count} channels`).toBeLessThanOrEqual(MAX_HOME_BLOCKS);
      expect(findViewViolations(view), `${count} channels`).toEqual([]);
      const shown = channels.filter((c) => text(view).includes(`<#${c.channelId}>`)).length;
      const more = /…and (\d+) more channels/.exec(text(view));
      expect(shown + Number(more?.[1] ?? 0), `${count} channels`).toBe(count);
      if (shown < count) expect(shown).toBeGreaterThanOrEqual(13);
    }
  });

  it('lists at most five campaigns per channel and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ name: `C${i}`, verdict: null }));
    const view = text(homeView([channel(1, many)]));
    expect(view).toContain('*C4*');
    expect(view).not.toContain('*C5*');
    expect(view).toContain('…and 3 more');
  });
});
