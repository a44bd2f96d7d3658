import { describe, expect, it } from 'vitest';
import {
  CHART_CONFIG,
  FONT_FAMILY,
  formatCount,
  formatPercent,
  SEGMENT_PALETTE,
  segmentColor,
  segmentColorScale,
} from '../../../charts/theme.js';

describe('segmentColor', () => {
  it('gives each of ten segments its own colour and cycles after that', () => {
    const colours = Array.from({ length: 10 }, (_, i) => segmentColor(i));
    expect(new Set(colours).size).toBe(10);
    expect(segmentColor(10)).toBe(segmentColor(0));
    expect(segmentColor(-1)).toBe(SEGMENT_PALETTE[SEGMENT_PALETTE.length - 1]);
  });

  it('keeps no yellow, which disappears on white', () => {
    expect(SEGMENT_PALETTE.map((c) => c.toUpperCase())).not.toContain('#F0E442');
  });
});

describe('segmentColorScale', () => {
  it('orders by index and keeps each segment on its own colour when only some are shown', () => {
    const scale = segmentColorScale([
      { index: 3, name: 'Dormant' },
      { index: 1, name: 'Revolvers' },
    ]);
    expect(scale.domain).toEqual(['Revolvers', 'Dormant']);
    expect(scale.range).toEqual([segmentColor(1), segmentColor(3)]);
  });
});

describe('formatting', () => {
  it('formats counts with thousands separators whatever the locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-12345.6)).toBe('-12,346');
  });

  it('formats shares as percentages', () => {
    expect(formatPercent(0.2474)).toBe('24.7%');
    expect(formatPercent(0.5, 0)).toBe('50%');
  });
});

describe('CHART_CONFIG', () => {
  it('sets the shipped font everywhere text appears', () => {
    expect(CHART_CONFIG.font).toBe(FONT_FAMILY);
    expect(CHART_CONFIG.axis?.labelFont).toBe(FONT_FAMILY);
    expect(CHART_CONFIG.legend?.labelFont).toBe(FONT_FAMILY);
    expect(CHART_CONFIG.title?.font).toBe(FONT_FAMILY);
    expect(CHART_CONFIG.background).toBe('#FFFFFF');
  });
});
