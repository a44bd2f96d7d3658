import { describe, expect, it } from 'vitest';
import {
  fitMessage,
  MAX_BLOCKS,
  MAX_SECTION_TEXT,
  splitText,
} from '../../../../src/slack/blocks/fit-message.js';
import { type KnownBlock, section } from '../../../../src/slack/blocks/format.js';

function sectionTexts(blocks: readonly KnownBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}

describe('splitText', () => {
  it('splits at line breaks and keeps every line', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `• line ${i} ${'x'.repeat(20)}`);
    const pieces = splitText(lines.join('\n'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(pieces.join('\n')).toBe(lines.join('\n'));
  });

  it('re-fences each piece of a long code block', () => {
    const table =
      '```\n' + Array.from({ length: 300 }, (_, i) => `FEATURE_${i}   1,234.5   +1.25`).join('\n') + '\n```';
    const pieces = splitText(table);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.startsWith('```\n')).toBe(true);
      expect(piece.endsWith('```')).toBe(true);
      expect(piece.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    }
  });

  it('cuts a single overlong line hard rather than exceeding the limit', () => {
    const pieces = splitText('y'.repeat(7000));
    expect(pieces.map((p) => p.length)).toEqual([3000, 3000, 1000]);
  });
});

describe('fitMessage', () => {
  it('leaves a message within limits untouched', () => {
    const blocks = [section('a'), section('b')];
    expect(fitMessage(blocks)).toEqual({ blocks, overflow: [] });
  });

  it('moves blocks beyond 50 into thread replies and says so', () => {
    const blocks = Array.from({ length: 120 }, (_, i) => section(`segment ${i}`));
    const fitted = fitMessage(blocks);
    expect(fitted.blocks).toHaveLength(MAX_BLOCKS);
    expect(fitted.blocks.at(-1)).toMatchObject({ type: 'context' });
    expect(JSON.stringify(fitted.blocks.at(-1))).toMatch(/71 more parts in the thread/);
    expect(fitted.overflow.map((o) => o.length)).toEqual([50, 21]);
    const all = [...sectionTexts(fitted.blocks), ...fitted.overflow.flatMap(sectionTexts)];
    expect(all).toEqual(blocks.map((_, i) => `segment ${i}`));
  });

  it('splits a long section into several sections in place', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} ${'z'.repeat(30)}`).join('\n');
    const fitted = fitMessage([section('before'), section(long), section('after')]);
    const texts = sectionTexts(fitted.blocks);
    expect(texts[0]).toBe('before');
    expect(texts.at(-1)).toBe('after');
    expect(texts.slice(1, -1).join('\n')).toBe(long);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
  });
});
