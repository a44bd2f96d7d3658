import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../../src/analytics/types.js';
import { MAX_BLOCKS, MAX_SECTION_TEXT } from '../../../../src/slack/blocks/fit-message.js';
import {
  type RunFacts,
  runHistoryMessage,
  runSummaryMessage,
  segmentDetailMessage,
  segmentsOverviewMessage,
} from '../../../../src/slack/blocks/segment-blocks.js';

function segment(index: number, name: string, size: number, share: number, features = 3): Segment {
  return {
    index,
    name,
    persona: 'revolver',
    size,
    share,
    profile: Array.from({ length: features }, (_, f) => ({
      feature: `FEATURE_${f}`,
      mean: 100 + f,
      median: 90,
      populationMean: 50,
      z: f % 2 === 0 ? 1.5 - f * 0.1 : -0.4,
    })),
    traits: [
      { feature: 'BALANCE', direction: 'high', z: 1.8, text: 'BALANCE 2.4x the average (3,050 vs 1,270)' },
      { feature: 'PRC_FULL_PAYMENT', direction: 'low', z: -0.9, text: 'Rarely pays in full' },
    ],
    actions: [{ title: 'Balance-transfer offer', reason: 'They carry a balance month to month.' }],
    centroid: { standardized: [], original: {} },
  };
}

function facts(overrides: Partial<RunFacts> = {}): RunFacts {
  return {
    id: 12,
    userId: 'U0ALICE',
    datasetVersion: 3,
    fileName: 'customers.csv',
    createdAt: new Date('2026-11-22T14:30:00Z'),
    params: { k: 'auto', seed: 42 },
    k: 2,
    silhouette: 0.314,
    silhouetteSample: { exact: true, size: 1000 },
    kSelection: {
      k: 2,
      scores: [],
      silhouetteSample: { exact: true, size: 1000 },
      reason: 'k=2: best silhouette 0.31 among 2..10',
    },
    segments: [segment(0, 'Revolvers', 600, 0.6), segment(1, 'VIP <high> spenders', 400, 0.4)],
    ...overrides,
  };
}

function allText(message: { blocks: unknown[] }): string {
  return JSON.stringify(message.blocks);
}

describe('runSummaryMessage', () => {
  it('shows every segment with size, share, traits and a suggested action', () => {
    const message = runSummaryMessage(facts());
    expect(message.text).toBe(
      'Run #12: 2 segments of 1,000 customers in customers.csv (v3): Revolvers, VIP &lt;high&gt; spenders.',
    );
    const body = allText(message);
    expect(body).toContain('*1. Revolvers* — 600 customers (60.0%)');
    expect(body).toContain('*2. VIP &lt;high&gt; spenders* — 400 customers (40.0%)');
    expect(body).toContain('BALANCE 2.4x the average (3,050 vs 1,270)');
    expect(body).toContain('*Balance-transfer offer*: They carry a balance month to month.');
    expect(body).toContain('k=2, chosen automatically; silhouette 0.31: segments are reasonably separated');
    expect(body).toContain('How k was chosen: k=2: best silhouette 0.31 among 2..10');
    expect(body).toContain('<@U0ALICE>');
  });

  it('says when k was requested and when the silhouette was sampled', () => {
    const body = allText(
      runSummaryMessage(
        facts({
          params: { k: 2, seed: 7, features: ['BALANCE'] },
          silhouetteSample: { exact: false, size: 20000 },
        }),
      ),
    );
    expect(body).toContain('k=2 as requested');
    expect(body).toContain('(on a sample of 20,000)');
    expect(body).toContain('Seed 7 · features: BALANCE');
    expect(body).not.toContain('How k was chosen');
  });

  it('stays within Block Kit limits for the largest k', () => {
    const segments = Array.from({ length: 20 }, (_, i) => segment(i, `Segment ${i}`, 50, 0.05));
    const message = runSummaryMessage(facts({ segments, k: 20 }));
    expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  });
});

describe('segmentDetailMessage', () => {
  it('shows the profile table, traits and the playbook with reasons', () => {
    const f = facts();
    const message = segmentDetailMessage(f, f.segments[1]!);
    expect(message.text).toBe('Segment 2: VIP &lt;high&gt; spenders, 400 customers (40.0%).');
    const body = allText(message);
    expect(body).toContain('Segment 2: VIP &lt;high&gt; spenders'); // headers are escaped too
    // Features by their readable label, values in original units.
    expect(body).toMatch(/Feature 0 +100 +50 +\+1\.50/);
    expect(body).toContain('1. *Balance-transfer offer*: They carry a balance month to month.');
    expect(body).toContain('*What sets them apart*');
  });

  it('keeps a wide profile readable: strongest features first, the rest summarised', () => {
    const wide = segment(0, 'Wide', 10, 1, 60);
    const message = segmentDetailMessage(facts({ segments: [wide] }), wide);
    const body = allText(message);
    expect(body).toContain('…and 40 features closer to average');
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text)
        expect(block.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    }
  });
});

describe('segmentsOverviewMessage', () => {
  it('lists every segment briefly', () => {
    const body = allText(segmentsOverviewMessage(facts()));
    expect(body).toContain('*1. Revolvers*');
    expect(body).toContain('*2. VIP &lt;high&gt; spenders*');
  });
});

describe('runHistoryMessage', () => {
  it('shows when, who, dataset version, params, k, silhouette and sizes, and failures', () => {
    const message = runHistoryMessage([
      {
        id: 5,
        userId: 'U0BOB',
        status: 'done',
        createdAt: new Date('2026-11-20T09:05:00Z'),
        datasetVersion: 2,
        params: { k: 'auto', seed: 42 },
        k: 4,
        silhouette: 0.27,
        sizes: [1200, 800, 500, 300],
        error: null,
      },
      {
        id: 4,
        userId: 'U0BOB',
        status: 'failed',
        createdAt: new Date('2026-11-20T09:00:00Z'),
        datasetVersion: 2,
        params: { k: 3, seed: 1, features: ['BALANCE'] },
        k: null,
        silhouette: null,
        sizes: [],
        error: 'Cannot make 3 segments from 2 customers.',
      },
    ]);
    const body = allText(message);
    expect(body).toContain('*#5* · 2026-11-20 09:05 UTC · <@U0BOB> · dataset v2');
    expect(body).toContain('k=auto→4 · seed 42 · features: all');
    expect(body).toContain('silhouette 0.27 · sizes 1,200 / 800 / 500 / 300');
    expect(body).toContain(':x: failed: Cannot make 3 segments from 2 customers.');
    expect(message.text).toBe('2 segmentation runs in this channel.');
  });
});
