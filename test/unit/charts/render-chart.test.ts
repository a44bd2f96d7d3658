import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import {
  ChartRenderError,
  compileChart,
  createChartRenderer,
  pruneOffCanvas,
  renderChartPng,
  renderChartSvg,
} from '../../../charts/render-chart.js';
import { featureImportancesSpec } from '../../../charts/specs/feature-importances.js';
import { gainsChartSpec } from '../../../charts/specs/gains-chart.js';
import { kSelectionSpec } from '../../../charts/specs/k-selection.js';
import { migrationMatrixSpec } from '../../../charts/specs/migration-matrix.js';
import { pcaScatterSpec } from '../../../charts/specs/pca-scatter.js';
import { profileHeatmapSpec } from '../../../charts/specs/profile-heatmap.js';
import { segmentProfileSpec } from '../../../charts/specs/segment-profile.js';
import { segmentSizesSpec } from '../../../charts/specs/segment-sizes.js';
import { segmentTrendSpec } from '../../../charts/specs/segment-trend.js';
import { SegbotError, userMessage } from '../../../src/errors.js';

const names = ['VIP high spenders', 'Revolvers', 'Cash-advance users'];
const segments = names.map((name, index) => ({ index, name }));

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function svgWidth(svg: string): number {
  return Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
}

const sizesSpec = segmentSizesSpec(segments.map((s, i) => ({ ...s, size: 1000 * (i + 1) })));

function everySpec(): [string, TopLevelSpec][] {
  const n = 300;
  const projection = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    projection[2 * i] = (i % 3) + ((i * 7) % 11) / 11;
    projection[2 * i + 1] = ((i * 13) % 17) / 17;
  }
  return [
    ['sizes', sizesSpec],
    ['scatter', pcaScatterSpec({ projection, labels, segments, explainedVarianceRatio: [0.3, 0.2] })],
    [
      'heatmap',
      profileHeatmapSpec({
        segments,
        features: ['BALANCE', 'PURCHASES'],
        z: [
          [1, 4],
          [-1, 0],
          [0.5, -2],
        ],
      }),
    ],
    [
      'k',
      kSelectionSpec({
        chosenK: 3,
        scores: [2, 3, 4].map((k) => ({ k, silhouette: 0.2 + k / 100, inertia: 1000 / k })),
      }),
    ],
    [
      'migration',
      migrationMatrixSpec({
        from: names,
        to: names,
        pairs: names.length,
        counts: [
          [9, 1, 0],
          [2, 8, 1],
          [0, 3, 7],
        ],
      }),
    ],
    [
      'gains',
      gainsChartSpec({
        product: 'credit card',
        points: [
          { population: 0.1, captured: 0.3 },
          { population: 1, captured: 1 },
        ],
      }),
    ],
    [
      'importances',
      featureImportancesSpec([
        { feature: 'BALANCE', importance: 2 },
        { feature: 'TENURE', importance: 1 },
      ]),
    ],
    [
      'profile',
      segmentProfileSpec({
        name: 'Dormant',
        features: [
          { feature: 'TENURE', z: -1.2 },
          { feature: 'BALANCE', z: 0.4 },
        ],
      }),
    ],
    [
      'trend',
      segmentTrendSpec([{ at: '2026-11-02T00:00:00Z', segments: segments.map((s) => ({ ...s, size: 10 })) }]),
    ],
  ];
}

describe('compileChart', () => {
  it('compiles every chart without a single Vega-Lite warning', () => {
    for (const [name, spec] of everySpec()) {
      expect({ name, warnings: compileChart(spec).warnings }).toEqual({ name, warnings: [] });
    }
  });
});

describe('renderChartPng', () => {
  it('produces a PNG at twice the chart size, of non-trivial weight', async () => {
    const [png, svg] = await Promise.all([renderChartPng(sizesSpec), renderChartSvg(sizesSpec)]);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const size = pngSize(png);
    expect(size.width).toBe(Math.round(svgWidth(svg) * 2));
    expect(size.width).toBeGreaterThanOrEqual(1000);
    expect(size.width).toBeLessThanOrEqual(1600);
    expect(size.height).toBeGreaterThan(300);
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('gives identical bytes for the same spec', async () => {
    const a = await renderChartPng(sizesSpec);
    const b = await renderChartPng(sizesSpec);
    expect(a.equals(b)).toBe(true);
  });

  it('keeps a wide chart at 1,600 px by default', async () => {
    const many = Array.from({ length: 10 }, (_, index) => ({ index, name: `Segment number ${index + 1}` }));
    const spec = profileHeatmapSpec({ segments: many, features: ['BALANCE'], z: many.map(() => [1]) });
    const png = await renderChartPng(spec);
    expect(pngSize(png).width).toBe(1600);
  });

  it('honours the scale option', async () => {
    const [one, svg] = await Promise.all([
      renderChartPng(sizesSpec, { scale: 1 }),
      renderChartSvg(sizesSpec),
    ]);
    expect(pngSize(one).width).toBe(Math.round(svgWidth(svg)));
  });

  it('does not take the process down for a clipped point far outside the canvas', async () => {
    // A scatter with one extreme customer: the axis zooms on the bulk and the outlier lies far off
    // canvas, where the rasteriser would abort unless the renderer drops it first.
    const n = 400;
    const projection = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      projection[2 * i] = (i % 20) / 20;
      projection[2 * i + 1] = (i % 7) / 7;
    }
    projection[0] = 5000;
    projection[3] = 5000;
    const png = await renderChartPng(pcaScatterSpec({ projection, labels, segments }), { scale: 1 });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

describe('renderChartSvg', () => {
  it('writes segment names, titles and labels as text in the Inter font', async () => {
    const svg = await renderChartSvg(sizesSpec);
    for (const name of names) expect(svg).toContain(`>${name}</text>`);
    expect(svg).toContain('>Customers per segment</text>');
    expect(svg).toContain('>3,000 · 50.0%</text>');
    expect(svg).toContain('font-family="Inter"');
  });

  it('sizes labels with the real font widths, so nothing is cut short', async () => {
    const spec = featureImportancesSpec([{ feature: 'PURCHASES_INSTALLMENTS_FREQUENCY', importance: 1 }]);
    const svg = await renderChartSvg(spec);
    expect(svg).toContain('>PURCHASES_INSTALLMENTS_FREQUENCY</text>');
  });
});

describe('errors', () => {
  it('turns a broken spec into a coded error with a safe message', async () => {
    const broken = { title: 'Broken', mark: 'nonsense', data: { values: [] } } as unknown as TopLevelSpec;
    const error = await renderChartPng(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChartRenderError);
    expect(error).toBeInstanceOf(SegbotError);
    expect((error as ChartRenderError).code).toBe('bad_input');
    expect(userMessage(error)).toContain('The chart "Broken" could not be drawn.');
    expect(userMessage(error)).not.toContain('    at ');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('fails at creation, with a coded error, when the font file is missing', () => {
    expect(() =>
      createChartRenderer({ fontFiles: [{ path: '/nonexistent/Inter.ttf', weight: 400 }] }),
    ).toThrow(ChartRenderError);
  });

  it('refuses to load data from outside the spec', async () => {
    const remote = { mark: 'bar', data: { url: 'https://example.com/data.json' } } as unknown as TopLevelSpec;
    await expect(renderChartSvg(remote)).rejects.toBeInstanceOf(ChartRenderError);
  });
});

describe('pruneOffCanvas', () => {
  it('drops leaf items wholly outside the canvas, accounting for group offsets', () => {
    const bounds = (x1: number, y1: number, x2: number, y2: number) => ({ x1, y1, x2, y2 });
    const symbols = {
      marktype: 'symbol',
      items: [
        { bounds: bounds(10, 10, 14, 14) }, // inside
        { bounds: bounds(195, 10, 199, 14) }, // inside only before the group's offset of 100
        { bounds: bounds(-3, 5, 2, 9) }, // straddles the left edge once offset
        { bounds: bounds(5000, 5, 5004, 9) }, // far outside
      ],
    };
    const root = {
      marktype: 'group',
      items: [{ x: 100, y: 0, bounds: bounds(0, 0, 300, 300), items: [symbols] }],
    };
    expect(pruneOffCanvas(root, { width: 250, height: 200 }, 0, 0)).toBe(2);
    expect(symbols.items.map((i) => i.bounds.x1)).toEqual([10, -3]);
  });
});
