import { beforeAll, describe, expect, it } from 'vitest';
import type { SegmentationResult } from '../../../src/analytics/types.js';
import { deckFonts } from '../../../src/report/deck-fonts.js';
import { buildDeck, deckText, type ReportInput } from '../../../src/report/deck-model.js';
import { type ChartImage, layoutDeck, PAGE, type PlacedItem } from '../../../src/report/layout-deck.js';
import { reportInputFromResult } from '../../../src/services/build-report.js';
import { REPORT_DATE, seededRun } from './seeded-run.js';

let result: SegmentationResult;
let input: ReportInput;

beforeAll(async () => {
  result = await seededRun();
  input = reportInputFromResult(result, { createdAt: REPORT_DATE });
});

function allText(deck: ReturnType<typeof buildDeck>, kind: string): string {
  const slide = deck.slides.find((s) => s.kind === kind);
  if (!slide) throw new Error(`no ${kind} slide`);
  const blocks = [...slide.left, ...slide.right];
  return [
    slide.title,
    slide.headline,
    ...blocks.flatMap((b) =>
      b.type === 'bullets'
        ? [b.heading ?? '', ...b.items]
        : b.type === 'table'
          ? [b.heading ?? '', ...b.columns.map((c) => c.header), ...b.rows.flat()]
          : [b.chart.name],
    ),
  ].join('\n');
}

describe('buildDeck', () => {
  it('lists title, method, overview, one slide per segment and the appendix, in that order', () => {
    const deck = buildDeck(input);
    expect(deck.slides.map((s) => s.kind)).toEqual([
      'title',
      'method',
      'overview',
      'segment',
      'segment',
      'segment',
      'appendix-quality',
      'appendix-k',
    ]);
    expect(deck.slides.filter((s) => s.kind === 'segment').map((s) => s.title)).toEqual(
      result.segments.map((s) => `${s.index}. ${s.name}`),
    );
    expect(deck.footer).toContain('5 December 2026');
  });

  it('puts every segment’s size and share in the overview table, and a sizes chart beside it', () => {
    const overview = buildDeck(input).slides.find((s) => s.kind === 'overview')!;
    const table = overview.right.find((b) => b.type === 'table');
    if (table?.type !== 'table') throw new Error('no table');
    for (const segment of result.segments) {
      const row = table.rows.find((r) => r[0] === `${segment.index}. ${segment.name}`);
      expect(row?.[1]).toBe(segment.size.toLocaleString('en-US'));
      expect(row?.[2]).toBe(`${(segment.share * 100).toFixed(1)}%`);
    }
    expect(overview.left.map((b) => b.type)).toEqual(['chart']);
  });

  it('tells the data and the method in plain words, with the seed and how k was set', () => {
    const text = allText(buildDeck(input), 'method');
    expect(text).toContain('600 customers');
    expect(text).toContain('Random seed 1');
    expect(text).toContain('Number of segments fixed at 3');
    expect(text).toMatch(/Separation score \(silhouette\) \d\.\d\d/);
  });

  it('gives each segment its traits and its actions with their reasons', () => {
    const deck = buildDeck(input);
    const segment = result.segments[0]!;
    const text = allText(deck, 'segment');
    expect(text).toContain(segment.traits[0]!.text);
    const action = segment.actions[0];
    if (action) expect(text).toContain(`${action.title}: ${action.reason}`);
    else expect(text).toContain('No campaign fits');
  });

  it('adds the propensity table, the changes slide and the campaign slide only when given them', () => {
    const [first, second] = result.segments;
    const deck = buildDeck({
      ...input,
      propensity: [
        {
          product: 'personal loan',
          auc: 0.81,
          baseRate: 0.2,
          bySegment: [{ segmentIndex: first!.index, meanProbability: 0.345, holderShare: 0.125 }],
        },
      ],
      changes: {
        previousRunId: 4,
        previousAt: new Date('2026-11-28T09:00:00Z'),
        comparison: {
          previousRunId: 4,
          currentRunId: 5,
          changes: [
            {
              status: 'matched',
              previous: { index: 0, name: first!.name, size: 100, share: 0.25 },
              current: { index: 0, name: first!.name, size: 120, share: 0.3 },
              distance: 0.1,
              sizeChange: 20,
              shareChangePp: 5,
              shifts: [],
            },
          ],
          currentNames: [first!.name],
          causes: ['k changed from 4 to 3'],
          migration: {
            from: [first!.name],
            to: [first!.name],
            fromIndex: [0],
            toIndex: [0],
            pairs: 1,
            counts: [[90]],
          },
          commonCustomers: 90,
          departedCustomers: 10,
          newCustomers: 30,
          maxShareChangePp: 5,
          headline: `${first!.name} grew by 5 points`,
        },
      },
      campaigns: {
        campaigns: [
          {
            name: 'Loan top-up',
            audience: second!.name,
            treatment: { customers: 1000, conversions: 84, rate: 0.084, low: 0.068, high: 0.103 },
            control: { customers: 100, conversions: 4, rate: 0.04, low: 0.016, high: 0.098 },
            lift: { value: 0.044, low: -0.012, high: 0.071 },
            verdict: 'inconclusive',
          },
        ],
      },
    });
    expect(deck.slides.map((s) => s.kind).slice(-4)).toEqual([
      'changes',
      'campaigns',
      'appendix-quality',
      'appendix-k',
    ]);
    const segmentSlide = deck.slides.find((s) => s.title === `${first!.index}. ${first!.name}`)!;
    const table = segmentSlide.right.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows).toEqual([['personal loan', '34.5%', '12.5%', '20.0%']]);
    // Only the segment the model covers gets the table.
    const other = deck.slides.find((s) => s.title === `${second!.index}. ${second!.name}`)!;
    expect(other.right.some((b) => b.type === 'table')).toBe(false);
    expect(allText(deck, 'changes')).toContain('+5.0 pp');
    expect(allText(deck, 'changes')).toContain('Settings changed: k changed from 4 to 3');
    const campaigns = allText(deck, 'campaigns');
    for (const text of ['8.4% (1,000)', '4.0% (100)', '+4.4 (−1.2 to +7.1)', 'Inconclusive'])
      expect(campaigns).toContain(text);
    expect(deck.slides.find((s) => s.kind === 'campaigns')!.headline).toBe(
      'No campaign has shown a lift its interval supports yet; 1 measured: 1 inconclusive',
    );
  });

  it('removes control characters and line breaks from data-derived text', () => {
    expect(deckText('Big\u0007 spenders\nof\u202E 2026\t')).toBe('Big spenders of 2026');
  });
});

describe('layoutDeck', () => {
  const inside = (item: PlacedItem) => {
    const h = item.type === 'rule' ? 0 : item.h;
    return (
      item.x >= 0 && item.y >= 0 && item.x + item.w <= PAGE.width + 0.01 && item.y + h <= PAGE.height - 40
    );
  };
  const chart: ChartImage = { png: new Uint8Array(8), width: 1400, height: 900 };

  it('keeps every item on its page, shrinking and cutting text that would overflow', () => {
    const long = 'a very long trait that goes on and on about balances and purchases '.repeat(8);
    const segments = input.segments.map((s) => ({
      ...s,
      traits: Array.from({ length: 12 }, (_, i) => ({ ...s.traits[0]!, text: `${i} ${long}` })),
      actions: Array.from({ length: 6 }, (_, i) => ({ title: `Action ${i}`, reason: long })),
    }));
    const deck = buildDeck({ ...input, segments });
    const charts = new Map<string, ChartImage>(
      deck.slides
        .flatMap((s) => [...s.left, ...s.right])
        .flatMap((b) => (b.type === 'chart' ? [[b.chart.name, chart] as const] : [])),
    );
    const slides = layoutDeck(deck, deckFonts().measure, charts);
    expect(slides).toHaveLength(deck.slides.length);
    for (const slide of slides) {
      for (const item of slide.items) expect(inside(item), `${slide.kind} ${item.type}`).toBe(true);
    }
    const segmentSlide = slides.find((s) => s.kind === 'segment')!;
    const bullets = segmentSlide.items.filter((i) => i.type === 'bullets');
    expect(
      bullets.some((b) => b.type === 'bullets' && b.items.some((e) => /^…and \d+ more$/.test(e.text))),
    ).toBe(true);
    expect(segmentSlide.items.some((i) => i.type === 'image' && i.h >= 100)).toBe(true);
  });

  it('numbers the slides and leaves the footer off the title slide', () => {
    const slides = layoutDeck(buildDeck(input), deckFonts().measure, new Map());
    expect(slides.map((s) => s.number)).toEqual(slides.map((_, i) => i + 1));
    expect(slides[0]!.footer).toBeNull();
    expect(slides.slice(1).every((s) => s.footer?.includes('customers.csv'))).toBe(true);
  });
});
