/**
 * Reads the text of each page of a PDF written by pdfkit with embedded fonts, for tests: content
 * streams are inflated and glyph codes mapped back to characters through each font's ToUnicode
 * map. Enough for segbot's own PDFs; not a general PDF parser.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  // latin1 keeps one character per byte, so stream offsets stay byte offsets.
  const text = pdf.toString('latin1');
  const found = new Map<number, PdfObject>();
  for (const match of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = match[2]!;
    const streamAt = body.indexOf('stream');
    if (streamAt < 0) {
      found.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, streamAt);
    let start = streamAt + 'stream'.length;
    if (body[start] === '\r') start++;
    if (body[start] === '\n') start++;
    const end = body.lastIndexOf('endstream');
    const raw = Buffer.from(body.slice(start, end).replace(/\r?\n$/, ''), 'latin1');
    found.set(Number(match[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  return found;
}

function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (hex: string) =>
    String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const line of block[1]!.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
    )) {
      const from = Number.parseInt(line[1]!, 16);
      const target = line[3]!;
      if (target.startsWith('[')) {
        for (const [i, t] of [...target.matchAll(/<([0-9a-fA-F]+)>/g)].entries()) {
          map.set(from + i, hexText(t[1]!));
        }
      } else {
        const to = Number.parseInt(line[2]!, 16);
        const base = Number.parseInt(target.slice(1, -1), 16);
        for (let code = from; code <= to; code++) map.set(code, String.fromCodePoint(base + code - from));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const line of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      map.set(Number.parseInt(line[1]!, 16), hexText(line[2]!));
    }
  }
  return map;
}

/** The text of every page, in page order: one line per text operation. */
export function pdfPageTexts(pdf: Uint8Array): string[] {
  const objs = objects(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
  const ref = (dict: string, key: string) => {
    const match = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
    return match ? Number(match[1]) : null;
  };
  const pagesRoot = [...objs.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict));
  if (!pagesRoot) throw new Error('no page tree');
  const kids = [...(/\/Kids\s*\[([^\]]*)\]/.exec(pagesRoot.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map(
    (m) => Number(m[1]),
  );
  return kids.map((id) => {
    const page = objs.get(id)!;
    const resourcesId = ref(page.dict, 'Resources');
    const resources = resourcesId === null ? page.dict : objs.get(resourcesId)!.dict;
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const fonts = new Map<string, Map<number, string>>();
    for (const entry of fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const cmapId = ref(objs.get(Number(entry[2]))!.dict, 'ToUnicode');
      fonts.set(
        entry[1]!,
        cmapId === null ? new Map() : toUnicode(objs.get(cmapId)!.stream!.toString('latin1')),
      );
    }
    const content = objs.get(ref(page.dict, 'Contents')!)!.stream!.toString('latin1');
    const lines: string[] = [];
    let font = new Map<number, string>();
    for (const op of content.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (op[1] !== undefined) {
        font = fonts.get(op[1]) ?? new Map();
        continue;
      }
      const hexes =
        op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!) : [op[3]!];
      const codes = hexes.flatMap((hex) => (hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
      lines.push(codes.map((code) => font.get(code) ?? '\uFFFD').join(''));
    }
    return lines.join('\n');
  });
}
