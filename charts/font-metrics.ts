/**
 * Advance widths read straight from a TrueType file, so Vega can size labels, legends and titles
 * for the font the PNG is actually drawn with. Without this Vega guesses 0.8 em per character,
 * which makes axes reserve far too much room and cuts labels short.
 */

/** Measures text set in one font face. */
export interface FontMetrics {
  /** Width in pixels of `text` at `fontSize` px (kerning ignored: a pixel or two on long labels). */
  width(text: string, fontSize: number): number;
}

interface TableRecord {
  offset: number;
  length: number;
}

function readTables(view: DataView): Map<string, TableRecord> {
  const count = view.getUint16(4);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(
      view.getUint8(at),
      view.getUint8(at + 1),
      view.getUint8(at + 2),
      view.getUint8(at + 3),
    );
    tables.set(tag, { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  return tables;
}

function requireTable(tables: Map<string, TableRecord>, tag: string): TableRecord {
  const table = tables.get(tag);
  if (!table) throw new Error(`font has no ${tag} table`);
  return table;
}

/** Code point -> glyph id, from a format 12 (full Unicode) or format 4 (BMP) cmap subtable. */
function readCmap(view: DataView, cmap: TableRecord): Map<number, number> {
  const glyphs = new Map<number, number>();
  const subtables = view.getUint16(cmap.offset + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < subtables; i++) {
    const at = cmap.offset + 4 + 8 * i;
    const platform = view.getUint16(at);
    const encoding = view.getUint16(at + 2);
    const offset = cmap.offset + view.getUint32(at + 4);
    const format = view.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12) format12 = offset;
    else if (format === 4) format4 = offset;
  }
  if (format12 >= 0) {
    const groups = view.getUint32(format12 + 12);
    for (let g = 0; g < groups; g++) {
      const at = format12 + 16 + 12 * g;
      const start = view.getUint32(at);
      const end = view.getUint32(at + 4);
      const glyph = view.getUint32(at + 8);
      for (let c = start; c <= end; c++) glyphs.set(c, glyph + (c - start));
    }
    return glyphs;
  }
  if (format4 < 0) throw new Error('font has no Unicode cmap');
  const segCount = view.getUint16(format4 + 6) / 2;
  const endCodes = format4 + 14;
  const startCodes = endCodes + 2 * segCount + 2;
  const deltas = startCodes + 2 * segCount;
  const rangeOffsets = deltas + 2 * segCount;
  for (let s = 0; s < segCount; s++) {
    const end = view.getUint16(endCodes + 2 * s);
    const start = view.getUint16(startCodes + 2 * s);
    const delta = view.getInt16(deltas + 2 * s);
    const rangeOffsetAt = rangeOffsets + 2 * s;
    const rangeOffset = view.getUint16(rangeOffsetAt);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const raw = view.getUint16(rangeOffsetAt + rangeOffset + 2 * (c - start));
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) glyphs.set(c, glyph);
    }
  }
  return glyphs;
}

/** Reads the metrics of one TrueType face. Throws on a file that is not a TrueType font. */
export function readFontMetrics(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = readTables(view);
  const head = requireTable(tables, 'head');
  const hhea = requireTable(tables, 'hhea');
  const hmtx = requireTable(tables, 'hmtx');
  const unitsPerEm = view.getUint16(head.offset + 18);
  const longMetrics = view.getUint16(hhea.offset + 34);
  const advance = (glyph: number): number =>
    view.getUint16(hmtx.offset + 4 * Math.min(glyph, longMetrics - 1));
  const cmap = readCmap(view, requireTable(tables, 'cmap'));
  const fallback = advance(cmap.get(0x6e) ?? 0); // 'n': a typical lowercase width for unknown glyphs
  const cache = new Map<number, number>();
  const advanceOf = (codePoint: number): number => {
    let value = cache.get(codePoint);
    if (value === undefined) {
      const glyph = cmap.get(codePoint);
      value = glyph === undefined ? fallback : advance(glyph);
      cache.set(codePoint, value);
    }
    return value;
  };
  return {
    width(text, fontSize) {
      let units = 0;
      for (const ch of text) units += advanceOf(ch.codePointAt(0)!);
      return (units / unitsPerEm) * fontSize;
    },
  };
}
