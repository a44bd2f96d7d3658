import { BadInputError } from '../../errors.js';
import type { Table } from '../types.js';

export type Delimiter = Table['delimiter'];

const SAVE_AS_CSV =
  'Open it in Excel (or your spreadsheet tool) and use File > Save As > "CSV UTF-8 (comma delimited)", then upload that file.';

/** Signatures of file types people upload by mistake instead of a CSV. */
const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel file (.xlsx) or another zip archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel file (.xls)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file' },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
];

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  if (head.length < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (head[i] !== bytes[i]) return false;
  return true;
}

/** Length of a UTF-8 byte-order mark at the start of `bytes` (0 or 3). */
export function utf8BomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * Rejects input that is not UTF-8 text, judging from its first bytes: known binary formats,
 * UTF-16/UTF-32 (byte-order mark or the NUL pattern of ASCII text in UTF-16), and NUL bytes.
 * Invalid UTF-8 further on is caught by the parsers.
 */
export function assertLooksLikeText(head: Uint8Array, fileName: string): void {
  const location = { file: fileName };
  for (const { bytes, what } of MAGIC) {
    if (startsWith(head, bytes)) {
      throw new BadInputError(`This looks like ${what}, not a CSV text file.`, {
        hint: SAVE_AS_CSV,
        location,
      });
    }
  }
  const utf16 =
    startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]) || startsWith(head, [0, 0, 0xfe, 0xff]);
  let evenNul = 0;
  let oddNul = 0;
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  if (utf16 || (n >= 4 && Math.max(evenNul, oddNul) >= n / 4)) {
    throw new BadInputError('This file is saved as UTF-16 (or UTF-32) text; segbot reads UTF-8 CSV files.', {
      hint: 'In Excel use File > Save As > "CSV UTF-8 (comma delimited)"; in other tools choose the UTF-8 encoding.',
      location,
    });
  }
  if (evenNul + oddNul > 0) throw binaryError(fileName);
}

/** Share of control characters (other than tab and line breaks) above which text is binary. */
const MAX_CONTROL_SHARE = 0.01;

/**
 * Refuses content that is not text, whatever the file is called, before anything reads it as a
 * table or a list of ids: the checks of assertLooksLikeText, then invalid UTF-8 or more than a
 * trace of control characters in the first bytes. (A sequence cut at the end of `head` is fine.)
 */
export function assertTextContent(head: Uint8Array, fileName: string): void {
  assertLooksLikeText(head, fileName);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    throw binaryError(fileName);
  }
  const controls = text.match(/(?![\t\n\r])\p{Cc}/gu)?.length ?? 0;
  if (controls > Math.max(1, text.length * MAX_CONTROL_SHARE)) throw binaryError(fileName);
}

/** The error for NUL bytes or invalid UTF-8 anywhere in the file. */
export function binaryError(fileName: string, line?: number): BadInputError {
  return new BadInputError(
    'This file is not UTF-8 text (it contains bytes that are not valid UTF-8); it may be a spreadsheet or another binary file, or use an older encoding such as Windows-1252.',
    { hint: SAVE_AS_CSV, location: line === undefined ? { file: fileName } : { file: fileName, line } },
  );
}

/** Counts each candidate delimiter in a line, outside double quotes. */
function countDelimiters(line: string): Record<Delimiter, number> {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  return counts;
}

/**
 * Picks the field delimiter from the first lines of the file: the candidate that splits every
 * sampled line into the same number of fields (most fields wins), else the one most frequent in the
 * header. A file with none of them is a single-column file and gets ','.
 */
export function detectDelimiter(firstLines: string[]): Delimiter {
  const lines = firstLines.filter((l) => l.trim() !== '').slice(0, 20);
  const header = lines[0];
  if (header === undefined) return ',';
  const counts = lines.map(countDelimiters);
  const candidates: Delimiter[] = [',', ';', '\t'];
  let best: Delimiter | null = null;
  let bestCount = 0;
  for (const d of candidates) {
    const first = counts[0]![d];
    if (first === 0) continue;
    // Quoted fields may span lines, so only the header's count is required to be positive.
    const consistent = counts.every((c) => c[d] === first);
    if (consistent && first > bestCount) {
      best = d;
      bestCount = first;
    }
  }
  if (best !== null) return best;
  for (const d of candidates) {
    if (counts[0]![d] > bestCount) {
      best = d;
      bestCount = counts[0]![d];
    }
  }
  return best ?? ',';
}
