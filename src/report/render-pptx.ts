/**
 * Draws laid-out slides as an editable PowerPoint file: real text boxes, bullet lists and tables
 * (a person can retype a word or a number), charts as pictures with alt text, Inter throughout,
 * and slide numbers as PowerPoint's own slide-number field.
 */
import { createRequire } from 'node:module';
import type * as pptxgen from 'pptxgenjs';
import { DECK_FONT } from './deck-fonts.js';
import { DECK_COLORS, FOOTER, LINE_HEIGHT, PAGE, type PlacedItem, type PlacedSlide } from './layout-deck.js';

type PptxClass = typeof pptxgen.default.default;
// pptxgenjs's types describe its CommonJS build (the class is `default` of module.exports), while
// an ESM import would load its ES build: requiring the CommonJS build makes the two agree.
const PptxGenJS: PptxClass = createRequire(import.meta.url)('pptxgenjs');
type Presentation = InstanceType<PptxClass>;
type Slide = ReturnType<Presentation['addSlide']>;

const POINTS_PER_INCH = 72;
const MASTER = 'SEGBOT';

function inches(points: number): number {
  return Math.round((points / POINTS_PER_INCH) * 10000) / 10000;
}

function box(item: { x: number; y: number; w: number; h: number }) {
  return { x: inches(item.x), y: inches(item.y), w: inches(item.w), h: inches(item.h) };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function addItem(pptx: Presentation, slide: Slide, item: PlacedItem): void {
  const text = { fontFace: DECK_FONT, margin: 0, valign: 'top' as const, fit: 'none' as const };
  switch (item.type) {
    case 'text':
      slide.addText(item.text, {
        ...box(item),
        ...text,
        // A little room below the last line, so a viewer with other line metrics does not clip it.
        h: inches(item.h + item.style.size * 0.3),
        fontSize: item.style.size,
        bold: item.style.weight >= 600,
        color: item.style.color,
        align: item.align,
        lineSpacing: item.style.size * LINE_HEIGHT,
      });
      return;
    case 'bullets':
      slide.addText(
        item.items.map((entry) => ({
          text: entry.text,
          options: { bullet: { indent: item.indent }, paraSpaceAfter: item.gap, breakLine: true },
        })),
        {
          ...box(item),
          ...text,
          h: inches(item.h + item.style.size * 0.3),
          fontSize: item.style.size,
          color: item.style.color,
          lineSpacing: item.style.size * LINE_HEIGHT,
        },
      );
      return;
    case 'table': {
      const rows = item.cells.map((row, r) =>
        row.map((cell, c) => ({
          text: cell.text,
          options: {
            bold: r === 0,
            align: item.columns[c]?.align ?? ('left' as const),
            color: r === 0 ? DECK_COLORS.ink : DECK_COLORS.ink,
            ...(r === 0
              ? { fill: { color: DECK_COLORS.headerFill } }
              : r % 2 === 0
                ? { fill: { color: DECK_COLORS.stripeFill } }
                : {}),
          },
        })),
      );
      const pad = inches(item.padding);
      slide.addTable(rows, {
        x: inches(item.x),
        y: inches(item.y),
        w: inches(item.w),
        colW: item.colWidths.map(inches),
        rowH: item.rowHeights.map(inches),
        fontFace: DECK_FONT,
        fontSize: item.size,
        valign: 'top',
        margin: [pad, pad, pad, pad],
        border: { type: 'solid', pt: 0.5, color: DECK_COLORS.rule },
        autoPage: false,
      });
      return;
    }
    case 'image':
      slide.addImage({ data: `image/png;base64,${base64(item.png)}`, ...box(item), altText: item.altText });
      return;
    case 'rule':
      slide.addShape(pptx.ShapeType.line, {
        x: inches(item.x),
        y: inches(item.y),
        w: inches(item.w),
        h: 0,
        line: { color: item.color, width: item.color === DECK_COLORS.accent ? 3 : 0.75 },
      });
      return;
  }
}

/** The deck as .pptx bytes. */
export async function renderPptx(slides: readonly PlacedSlide[], meta: { title: string }): Promise<Buffer> {
  const pptx = new PptxGenJS();
  pptx.defineLayout({ name: 'SEGBOT_WIDE', width: inches(PAGE.width), height: inches(PAGE.height) });
  pptx.layout = 'SEGBOT_WIDE';
  pptx.title = meta.title;
  pptx.author = 'segbot';
  pptx.company = 'segbot';
  pptx.theme = { headFontFace: DECK_FONT, bodyFontFace: DECK_FONT };
  pptx.defineSlideMaster({
    title: MASTER,
    background: { color: 'FFFFFF' },
    slideNumber: {
      x: inches(PAGE.width - FOOTER.x - 40),
      y: inches(FOOTER.y - 3),
      w: inches(40),
      h: inches(FOOTER.size * 2),
      fontFace: DECK_FONT,
      fontSize: FOOTER.size,
      color: FOOTER.color,
      align: 'right',
    },
  });
  for (const placed of slides) {
    const slide = placed.footer === null ? pptx.addSlide() : pptx.addSlide({ masterName: MASTER });
    slide.background = { color: placed.background };
    for (const item of placed.items) addItem(pptx, slide, item);
    if (placed.footer !== null) {
      slide.addText(placed.footer, {
        x: inches(FOOTER.x),
        y: inches(FOOTER.y - 3),
        w: inches(FOOTER.w - 60),
        h: inches(FOOTER.size * 2),
        fontFace: DECK_FONT,
        fontSize: FOOTER.size,
        color: FOOTER.color,
        margin: 0,
        valign: 'top',
      });
    }
  }
  const bytes = await pptx.write({ outputType: 'nodebuffer', compression: true });
  if (!(bytes instanceof Uint8Array)) throw new Error('pptxgenjs returned no bytes');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
