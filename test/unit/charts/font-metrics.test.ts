import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFontMetrics } from '../../../charts/font-metrics.js';
import { interFontFiles } from '../../../charts/render-chart.js';

describe('readFontMetrics', () => {
  const [regular, , bold] = interFontFiles();
  const metrics = readFontMetrics(readFileSync(regular!.path));

  it('measures Inter: wide letters are wider, nothing is zero, width scales with size', () => {
    expect(metrics.width('', 12)).toBe(0);
    expect(metrics.width('W', 12)).toBeGreaterThan(metrics.width('i', 12));
    expect(metrics.width('Revolvers', 24)).toBeCloseTo(2 * metrics.width('Revolvers', 12), 6);
    // Inter's average lowercase advance is a little over half an em, far below Vega's 0.8 em guess.
    const perChar = metrics.width('abcdefghijklmnopqrstuvwxyz', 10) / 26 / 10;
    expect(perChar).toBeGreaterThan(0.45);
    expect(perChar).toBeLessThan(0.65);
  });

  it('reads the bold face as wider than the regular one', () => {
    const boldMetrics = readFontMetrics(readFileSync(bold!.path));
    expect(boldMetrics.width('VIP high spenders', 14)).toBeGreaterThan(
      metrics.width('VIP high spenders', 14),
    );
  });

  it('gives unknown characters a typical width instead of zero', () => {
    expect(metrics.width('\u{10FFFD}', 12)).toBeGreaterThan(0);
  });

  it('rejects bytes that are not a font', () => {
    expect(() => readFontMetrics(new TextEncoder().encode('not a font at all, just some text'))).toThrow();
  });
});
