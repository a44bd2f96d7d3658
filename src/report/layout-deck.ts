/**
 * Places a deck's blocks on 16:9 pages, in points, with the Inter metrics: text is wrapped and
 * measured here once, shrunk a step at a time when a column would overflow, and cut with
 * "…and N more" only when the smallest size still does not fit. The PowerPoint and PDF renderers
 * both draw these frames, so the two files match and neither can spill off a slide.
 */
import type { Deck, DeckBlock, DeckSlide, DeckTableColumn, SlideKind } from './deck-model.js';

/** A 13.33 x 7.5 inch slide (PowerPoint's widescreen), in points. */
export const PAGE = { width: 960, height: 540 } as const;

export const DECK_COLORS = {
  ink: '1F2933',
  muted: '52606D',
  accent: '0072B2',
  rule: 'D9DEE4',
  headerFill: 'EEF1F4',
  stripeFill: 'F7F8FA',
  titleBackground: '1F2933',
  titleInk: 'FFFFFF',
  titleMuted: 'C7D0D9',
} as const;

/** Measures text in the deck's font. */
export interface TextMeasure {
  width(text: string, size: number, weight: FontWeight): number;
}

export type FontWeight = 400 | 600 | 700;

export interface TextStyle {
  size: number;
  weight: FontWeight;
  /** Hex without '#'. */
  color: string;
}

/** Line height as a multiple of the font size, the same in both renderers. */
export const LINE_HEIGHT = 1.25;

export type PlacedItem =
  | {
      type: 'text';
      x: number;
      y: number;
      w: number;
      h: number;
      lines: string[];
      text: string;
      style: TextStyle;
      align: 'left' | 'right';
    }
  | {
      type: 'bullets';
      x: number;
      y: number;
      w: number;
      h: number;
      items: { text: string; lines: string[] }[];
      style: TextStyle;
      /** Space between items, in points. */
      gap: number;
      indent: number;
    }
  | {
      type: 'table';
      x: number;
      y: number;
      w: number;
      h: number;
      columns: readonly DeckTableColumn[];
      colWidths: number[];
      rowHeights: number[];
      /** Header first, then the body rows; each cell wrapped into lines. */
      cells: { text: string; lines: string[] }[][];
      size: number;
      padding: number;
    }
  | {
      type: 'image';
      x: number;
      y: number;
      w: number;
      h: number;
      name: string;
      altText: string;
      png: Uint8Array;
    }
  | { type: 'rule'; x: number; y: number; w: number; color: string };

export interface PlacedSlide {
  kind: SlideKind;
  /** 1-based. */
  number: number;
  /** Hex background, without '#'. */
  background: string;
  items: PlacedItem[];
  /** Footer text and whether the slide number is shown (not on the title slide). */
  footer: string | null;
}

/** A rendered chart: its PNG and pixel size. */
export interface ChartImage {
  png: Uint8Array;
  width: number;
  height: number;
}

const MARGIN = 40;
const CONTENT_TOP = 104;
const CONTENT_BOTTOM = PAGE.height - 46;
const COLUMN_GAP = 28;
const BLOCK_GAP = 14;
const HEADING = { size: 13, weight: 600 as FontWeight, color: DECK_COLORS.accent };
/** Font sizes tried, largest first: bullets and tables shrink together, a step at a time. */
const BULLET_SIZES = [14, 13, 12, 11, 10];
const TABLE_SIZES = [12, 11, 10, 9.5, 9];
/** A chart squeezed below this height is unreadable: text shrinks first. */
const MIN_CHART_HEIGHT = 170;

/** Splits text into lines no wider than `width` (a word longer than a line is broken inside). */
export function wrapText(
  measure: TextMeasure,
  text: string,
  size: number,
  weight: FontWeight,
  width: number,
): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (candidate: string) => measure.width(candidate, size, weight) <= width;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (!fits(rest) && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One column's blocks at a given size step; returns the items and the height they take. */
function placeColumn(
  measure: TextMeasure,
  blocks: readonly DeckBlock[],
  frame: Frame,
  step: number,
  charts: ReadonlyMap<string, ChartImage>,
): { items: PlacedItem[]; height: number; fits: boolean } {
  const items: PlacedItem[] = [];
  const bulletSize = BULLET_SIZES[step]!;
  const tableSize = TABLE_SIZES[step]!;
  // Text blocks first, so a chart gets whatever height is left.
  const textHeights = blocks.map((block) =>
    block.type === 'chart' ? 0 : blockHeight(measure, block, frame.w, bulletSize, tableSize),
  );
  const chartCount = blocks.filter((b) => b.type === 'chart').length;
  const gaps = BLOCK_GAP * Math.max(0, blocks.length - 1);
  const textTotal = textHeights.reduce((a, b) => a + b, 0) + gaps;
  const chartRoom = chartCount > 0 ? (frame.h - textTotal) / chartCount : 0;
  let y = frame.y;
  for (const block of blocks) {
    if (block.type === 'chart') {
      const image = charts.get(block.chart.name);
      if (!image) continue;
      const aspect = image.width / image.height;
      const h = Math.max(0, Math.min(chartRoom, frame.w / aspect));
      const w = h * aspect;
      items.push({
        type: 'image',
        x: frame.x,
        y,
        w,
        h,
        name: block.chart.name,
        altText: block.chart.altText,
        png: image.png,
      });
      y += h + BLOCK_GAP;
      continue;
    }
    y = placeText(measure, block, { ...frame, y }, bulletSize, tableSize, items) + BLOCK_GAP;
  }
  const height = y - BLOCK_GAP - frame.y;
  const fits = textTotal <= frame.h - (chartCount > 0 ? MIN_CHART_HEIGHT * chartCount : 0) + 0.01;
  return { items, height, fits };
}

function headingHeight(heading: string | undefined): number {
  return heading ? HEADING.size * LINE_HEIGHT + 4 : 0;
}

function bulletItems(measure: TextMeasure, items: readonly string[], size: number, width: number) {
  return items.map((text) => ({ text, lines: wrapText(measure, text, size, 400, width) }));
}

function bulletsHeight(lines: { lines: string[] }[], size: number): number {
  const count = lines.reduce((sum, item) => sum + item.lines.length, 0);
  return count * size * LINE_HEIGHT + Math.max(0, lines.length - 1) * size * 0.5;
}

function tableLayout(
  measure: TextMeasure,
  block: Extract<DeckBlock, { type: 'table' }>,
  width: number,
  size: number,
) {
  const total = block.columns.reduce((sum, c) => sum + c.weight, 0);
  const colWidths = block.columns.map((c) => (width * c.weight) / total);
  const padding = Math.round(size * 0.45);
  const rows = [block.columns.map((c) => c.header), ...block.rows];
  const cells = rows.map((row, r) =>
    row.map((text, c) => ({
      text,
      lines: wrapText(measure, text, size, r === 0 ? 600 : 400, colWidths[c]! - 2 * padding),
    })),
  );
  const rowHeights = cells.map(
    (row) => Math.max(1, ...row.map((cell) => cell.lines.length)) * size * LINE_HEIGHT + 2 * padding,
  );
  return { colWidths, padding, cells, rowHeights, height: rowHeights.reduce((a, b) => a + b, 0) };
}

function blockHeight(
  measure: TextMeasure,
  block: DeckBlock,
  width: number,
  bulletSize: number,
  tableSize: number,
): number {
  if (block.type === 'bullets') {
    return (
      headingHeight(block.heading) +
      bulletsHeight(bulletItems(measure, block.items, bulletSize, width - bulletSize), bulletSize)
    );
  }
  if (block.type === 'table')
    return headingHeight(block.heading) + tableLayout(measure, block, width, tableSize).height;
  return 0;
}

/** Places a bullets or table block at frame.y; returns the y below it. */
function placeText(
  measure: TextMeasure,
  block: Exclude<DeckBlock, { type: 'chart' }>,
  frame: Frame,
  bulletSize: number,
  tableSize: number,
  items: PlacedItem[],
): number {
  let y = frame.y;
  if (block.heading) {
    items.push({
      type: 'text',
      x: frame.x,
      y,
      w: frame.w,
      h: HEADING.size * LINE_HEIGHT,
      lines: [block.heading],
      text: block.heading,
      style: HEADING,
      align: 'left',
    });
    y += headingHeight(block.heading);
  }
  if (block.type === 'bullets') {
    const indent = bulletSize;
    const placed = bulletItems(measure, block.items, bulletSize, frame.w - indent);
    const h = bulletsHeight(placed, bulletSize);
    items.push({
      type: 'bullets',
      x: frame.x,
      y,
      w: frame.w,
      h,
      items: placed,
      style: { size: bulletSize, weight: 400, color: DECK_COLORS.ink },
      gap: bulletSize * 0.5,
      indent,
    });
    return y + h;
  }
  const table = tableLayout(measure, block, frame.w, tableSize);
  items.push({
    type: 'table',
    x: frame.x,
    y,
    w: frame.w,
    h: table.height,
    columns: block.columns,
    colWidths: table.colWidths,
    rowHeights: table.rowHeights,
    cells: table.cells,
    size: tableSize,
    padding: table.padding,
  });
  return y + table.height;
}

/** The block with its last item (bullet or row) replaced by a count of what was left out; null when nothing is left to cut. */
function shorten(block: DeckBlock): DeckBlock | null {
  if (block.type === 'chart') return null;
  const firsts = block.type === 'bullets' ? block.items : block.rows.map((row) => row[0] ?? '');
  const hidden = countHidden(firsts);
  const kept = hidden > 0 ? firsts.length - 1 : firsts.length;
  if (kept <= 1) return null;
  if (block.type === 'bullets') {
    return { ...block, items: [...block.items.slice(0, kept - 1), `…and ${hidden + 1} more`] };
  }
  const filler = block.columns.map((_, i) => (i === 0 ? `…and ${hidden + 1} more rows` : ''));
  return { ...block, rows: [...block.rows.slice(0, kept - 1), filler] };
}

function countHidden(texts: readonly string[]): number {
  const marker = texts.find((text) => text.startsWith('…and '));
  const match = marker ? /…and (\d+)/.exec(marker) : null;
  return match ? Number(match[1]) : 0;
}

/** Lays one column out: the largest size that fits, else the smallest with items cut from the longest block. */
function fitColumn(
  measure: TextMeasure,
  blocks: readonly DeckBlock[],
  frame: Frame,
  charts: ReadonlyMap<string, ChartImage>,
): PlacedItem[] {
  for (let step = 0; step < BULLET_SIZES.length; step++) {
    const placed = placeColumn(measure, blocks, frame, step, charts);
    if (placed.fits) return placed.items;
  }
  const smallest = BULLET_SIZES.length - 1;
  let current = [...blocks];
  for (let guard = 0; guard < 200; guard++) {
    const placed = placeColumn(measure, current, frame, smallest, charts);
    if (placed.fits) return placed.items;
    // Cut from the tallest text block, which has the most to give.
    const heights = current.map((b) =>
      blockHeight(measure, b, frame.w, BULLET_SIZES[smallest]!, TABLE_SIZES[smallest]!),
    );
    const order = heights.map((h, i) => [h, i] as const).sort((a, b) => b[0] - a[0]);
    let changed = false;
    for (const [, i] of order) {
      const shorter = shorten(current[i]!);
      if (shorter) {
        current = current.map((b, j) => (j === i ? shorter : b));
        changed = true;
        break;
      }
    }
    if (!changed) return placed.items;
  }
  return placeColumn(measure, current, frame, smallest, charts).items;
}

/** The text, cut at a word with "…" when it is wider than `width`. */
function ellipsize(
  measure: TextMeasure,
  text: string,
  size: number,
  width: number,
  weight: FontWeight = 400,
): string {
  if (measure.width(text, size, weight) <= width) return text;
  const words = text.split(' ');
  while (words.length > 1 && measure.width(`${words.join(' ')}…`, size, weight) > width) words.pop();
  return `${words.join(' ')}…`;
}

function titleItems(measure: TextMeasure, slide: DeckSlide): PlacedItem[] {
  const width = PAGE.width - 2 * MARGIN;
  const titleStyle: TextStyle = { size: 26, weight: 600, color: DECK_COLORS.ink };
  let size = titleStyle.size;
  while (size > 18 && measure.width(slide.title, size, 600) > width) size -= 1;
  const title = [ellipsize(measure, slide.title, size, width, 600)];
  // One line under the title: a smaller size first, then a cut with an ellipsis.
  let headlineSize = 14;
  while (headlineSize > 11 && measure.width(slide.headline, headlineSize, 400) > width) headlineSize -= 1;
  const headline = [ellipsize(measure, slide.headline, headlineSize, width)];
  return [
    {
      type: 'text',
      x: MARGIN,
      y: 30,
      w: width,
      h: size * LINE_HEIGHT,
      lines: title,
      text: title[0]!,
      style: { ...titleStyle, size },
      align: 'left',
    },
    {
      type: 'text',
      x: MARGIN,
      y: 30 + size * LINE_HEIGHT + 4,
      w: width,
      h: headline.length * headlineSize * LINE_HEIGHT,
      lines: headline,
      text: headline[0]!,
      style: { size: headlineSize, weight: 400, color: DECK_COLORS.muted },
      align: 'left',
    },
    { type: 'rule', x: MARGIN, y: CONTENT_TOP - 12, w: width, color: DECK_COLORS.rule },
  ];
}

function coverSlide(measure: TextMeasure, slide: DeckSlide, subtitle: string): PlacedItem[] {
  const x = 72;
  const width = PAGE.width - 2 * x;
  const lines = wrapText(measure, subtitle, 36, 700, width).slice(0, 2);
  const headline = wrapText(measure, slide.headline, 18, 400, width).slice(0, 2);
  const facts = slide.left.flatMap((b) => (b.type === 'bullets' ? b.items : []));
  const items: PlacedItem[] = [
    { type: 'rule', x, y: 150, w: 72, color: DECK_COLORS.accent },
    {
      type: 'text',
      x,
      y: 168,
      w: width,
      h: lines.length * 36 * LINE_HEIGHT,
      lines,
      text: subtitle,
      style: { size: 36, weight: 700, color: DECK_COLORS.titleInk },
      align: 'left',
    },
  ];
  let y = 168 + lines.length * 36 * LINE_HEIGHT + 10;
  items.push({
    type: 'text',
    x,
    y,
    w: width,
    h: headline.length * 18 * LINE_HEIGHT,
    lines: headline,
    text: slide.headline,
    style: { size: 18, weight: 400, color: DECK_COLORS.titleMuted },
    align: 'left',
  });
  y += headline.length * 18 * LINE_HEIGHT + 48;
  for (const fact of facts) {
    const factLines = wrapText(measure, fact, 14, 400, width).slice(0, 2);
    items.push({
      type: 'text',
      x,
      y,
      w: width,
      h: factLines.length * 14 * LINE_HEIGHT,
      lines: factLines,
      text: fact,
      style: { size: 14, weight: 400, color: DECK_COLORS.titleMuted },
      align: 'left',
    });
    y += factLines.length * 14 * LINE_HEIGHT + 6;
  }
  return items;
}

/** Share of the content width the left column takes, per slide kind, when both columns are used. */
const LEFT_SHARE: Partial<Record<SlideKind, number>> = {
  overview: 0.45,
  segment: 0.47,
  changes: 0.5,
  'appendix-k': 0.55,
};

/** Places every slide of a deck; `charts` holds the rendered chart of each chart block, by name. */
export function layoutDeck(
  deck: Deck,
  measure: TextMeasure,
  charts: ReadonlyMap<string, ChartImage>,
): PlacedSlide[] {
  return deck.slides.map((slide, i) => {
    if (slide.kind === 'title') {
      return {
        kind: slide.kind,
        number: i + 1,
        background: DECK_COLORS.titleBackground,
        items: coverSlide(measure, slide, deck.title),
        footer: null,
      };
    }
    const items = titleItems(measure, slide);
    const width = PAGE.width - 2 * MARGIN;
    const height = CONTENT_BOTTOM - CONTENT_TOP;
    if (slide.right.length === 0) {
      items.push(
        ...fitColumn(measure, slide.left, { x: MARGIN, y: CONTENT_TOP, w: width, h: height }, charts),
      );
    } else {
      const share = LEFT_SHARE[slide.kind] ?? 0.5;
      const leftWidth = (width - COLUMN_GAP) * share;
      const rightWidth = width - COLUMN_GAP - leftWidth;
      items.push(
        ...fitColumn(measure, slide.left, { x: MARGIN, y: CONTENT_TOP, w: leftWidth, h: height }, charts),
      );
      items.push(
        ...fitColumn(
          measure,
          slide.right,
          { x: MARGIN + leftWidth + COLUMN_GAP, y: CONTENT_TOP, w: rightWidth, h: height },
          charts,
        ),
      );
    }
    return { kind: slide.kind, number: i + 1, background: 'FFFFFF', items, footer: deck.footer };
  });
}

/** Where the footer and the slide number go. */
export const FOOTER = {
  x: MARGIN,
  y: PAGE.height - 30,
  w: PAGE.width - 2 * MARGIN,
  size: 9,
  color: DECK_COLORS.muted,
} as const;
