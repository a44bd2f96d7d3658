/**
 * Draws laid-out slides as a PDF with Inter embedded: the same frames as the PowerPoint file, with
 * the lines exactly as the layout wrapped them, so what was measured is what is printed.
 */
import PDFDocument from 'pdfkit';
import type { DeckFonts } from './deck-fonts.js';
import {
  DECK_COLORS,
  FOOTER,
  type FontWeight,
  LINE_HEIGHT,
  PAGE,
  type PlacedItem,
  type PlacedSlide,
  type TextMeasure,
} from './layout-deck.js';

const FACE: Record<FontWeight, string> = { 400: 'Inter-Regular', 600: 'Inter-SemiBold', 700: 'Inter-Bold' };

function hex(color: string): string {
  return `#${color}`;
}

function drawLines(
  doc: PDFKit.PDFDocument,
  measure: TextMeasure,
  lines: readonly string[],
  at: { x: number; y: number; w: number },
  style: { size: number; weight: FontWeight; color: string },
  align: 'left' | 'right' = 'left',
): void {
  doc.font(FACE[style.weight]).fontSize(style.size).fillColor(hex(style.color));
  lines.forEach((line, i) => {
    const x = align === 'right' ? at.x + at.w - measure.width(line, style.size, style.weight) : at.x;
    doc.text(line, x, at.y + i * style.size * LINE_HEIGHT, { lineBreak: false });
  });
}

function drawItem(doc: PDFKit.PDFDocument, measure: TextMeasure, item: PlacedItem): void {
  switch (item.type) {
    case 'text':
      drawLines(doc, measure, item.lines, item, item.style, item.align);
      return;
    case 'bullets': {
      let y = item.y;
      for (const entry of item.items) {
        drawLines(doc, measure, ['•'], { x: item.x, y, w: item.indent }, item.style);
        drawLines(
          doc,
          measure,
          entry.lines,
          { x: item.x + item.indent, y, w: item.w - item.indent },
          item.style,
        );
        y += entry.lines.length * item.style.size * LINE_HEIGHT + item.gap;
      }
      return;
    }
    case 'table': {
      let y = item.y;
      item.cells.forEach((row, r) => {
        const h = item.rowHeights[r]!;
        const fill = r === 0 ? DECK_COLORS.headerFill : r % 2 === 0 ? DECK_COLORS.stripeFill : null;
        if (fill) doc.rect(item.x, y, item.w, h).fill(hex(fill));
        let x = item.x;
        row.forEach((cell, c) => {
          const w = item.colWidths[c]!;
          drawLines(
            doc,
            measure,
            cell.lines,
            { x: x + item.padding, y: y + item.padding, w: w - 2 * item.padding },
            { size: item.size, weight: r === 0 ? 600 : 400, color: DECK_COLORS.ink },
            item.columns[c]?.align ?? 'left',
          );
          x += w;
        });
        y += h;
      });
      doc.lineWidth(0.5).strokeColor(hex(DECK_COLORS.rule));
      doc.rect(item.x, item.y, item.w, item.h).stroke();
      let lineY = item.y;
      for (const h of item.rowHeights.slice(0, -1)) {
        lineY += h;
        doc
          .moveTo(item.x, lineY)
          .lineTo(item.x + item.w, lineY)
          .stroke();
      }
      let lineX = item.x;
      for (const w of item.colWidths.slice(0, -1)) {
        lineX += w;
        doc
          .moveTo(lineX, item.y)
          .lineTo(lineX, item.y + item.h)
          .stroke();
      }
      return;
    }
    case 'image':
      doc.image(Buffer.from(item.png.buffer, item.png.byteOffset, item.png.byteLength), item.x, item.y, {
        width: item.w,
        height: item.h,
      });
      return;
    case 'rule':
      doc
        .lineWidth(item.color === DECK_COLORS.accent ? 3 : 0.75)
        .strokeColor(hex(item.color))
        .moveTo(item.x, item.y)
        .lineTo(item.x + item.w, item.y)
        .stroke();
      return;
  }
}

/** The deck as PDF bytes, one page per slide. */
export function renderPdf(
  slides: readonly PlacedSlide[],
  meta: { title: string },
  fonts: DeckFonts,
): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    info: { Title: meta.title, Author: 'segbot', Creator: 'segbot' },
  });
  for (const [weight, bytes] of fonts.files) {
    doc.registerFont(FACE[weight], Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const slide of slides) {
    doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    doc.rect(0, 0, PAGE.width, PAGE.height).fill(hex(slide.background));
    for (const item of slide.items) drawItem(doc, fonts.measure, item);
    if (slide.footer !== null) {
      const style = { size: FOOTER.size, weight: 400 as const, color: FOOTER.color };
      drawLines(doc, fonts.measure, [slide.footer], FOOTER, style);
      drawLines(doc, fonts.measure, [String(slide.number)], FOOTER, style, 'right');
    }
  }
  doc.end();
  return done;
}
