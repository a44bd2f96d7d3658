import { describe, expect, it } from 'vitest';
import { gainsChartSpec, gainsFromScores } from '../../../../charts/specs/gains-chart.js';
import { asJson, get, getArray } from './helpers.js';

describe('gainsFromScores', () => {
  it('accumulates the share of holders found, best scores first', () => {
    // 10 customers, 2 holders: the best score and the 5th best.
    const scores = [0.9, 0.1, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.05];
    const holders = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    const points = gainsFromScores(scores, holders, 10);
    expect(points[0]).toEqual({ population: 0, captured: 0 });
    expect(points[1]).toEqual({ population: 0.1, captured: 0.5 });
    expect(points[4]!.captured).toBe(0.5);
    expect(points[5]!.captured).toBe(1);
    expect(points[10]).toEqual({ population: 1, captured: 1 });
  });

  it('breaks ties by input order and copes with no holders', () => {
    expect(gainsFromScores([1, 1], [0, 1], 2)[1]!.captured).toBe(0);
    expect(gainsFromScores([1, 0], [false, false], 2).every((p) => p.captured === 0)).toBe(true);
  });
});

describe('gainsChartSpec', () => {
  const points = [
    { population: 0.1, captured: 0.34 },
    { population: 0.5, captured: 0.8 },
    { population: 1, captured: 1 },
  ];

  it('draws the model curve from the origin against the random diagonal', () => {
    const spec = asJson(gainsChartSpec({ product: 'personal loan', points }));
    expect(get(spec, 'layer.0.data.values')).toEqual([
      { population: 0, captured: 0 },
      { population: 1, captured: 1 },
    ]);
    expect(get(spec, 'layer.0.mark.strokeDash')).toBeDefined();
    expect(getArray(spec, 'layer.1.data.values').map((v) => get(v, 'population'))).toEqual([0, 0.1, 0.5, 1]);
  });

  it('writes the top-decile lift on the chart and names the product', () => {
    const spec = asJson(gainsChartSpec({ product: 'personal loan', points }));
    expect(get(spec, 'layer.3.data.values.0.text')).toBe(
      'Top 10% of scores finds 34% of holders: 3.4× random',
    );
    expect(get(spec, 'title.text')).toBe('Who to target first for personal loan');
    expect(get(spec, 'title.subtitle.0')).toContain('personal loan holders');
  });
});
