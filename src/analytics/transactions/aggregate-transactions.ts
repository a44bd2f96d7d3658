/**
 * Aggregates a transaction file into one row per customer, in one streaming pass: only a few
 * numbers per customer are kept, never the rows, so 5,000,000 transactions fit in the memory of a
 * small machine (see `npm run bench transactions`).
 *
 * Features per customer, relative to the as-of date (given, or the file's last transaction date):
 * recency_days, transactions (the frequency), monetary, avg_ticket, tenure_days, trend_3m (the last
 * 3 calendar months up to the as-of month against the 3 before, as (last − before) / (last +
 * before), so −1 means stopped, 0 steady, +1 new), and when the file has them top_channel,
 * categories_used, merchants_used and the 0/1 flag columns (1 when any of the customer's rows has 1).
 */
import { Buffer } from 'node:buffer';
import { BadInputError } from '../../errors.js';
import { type Delimiter, detectDelimiter, utf8BomLength } from '../ingest/detect-format.js';
import { EXACT_POW10, parseNumberText } from '../ingest/parse-cell.js';
import { detectTransactionColumns, type TransactionColumns } from './detect-transactions.js';

/** Months in the trend window: the last TREND_HALF against the TREND_HALF before. */
const TREND_HALF = 3;
const TREND_MONTHS = 2 * TREND_HALF;
/** Distinct channels told apart for top_channel; further ones count as "other". */
const MAX_CHANNELS = 15;
/** Distinct categories told apart for categories_used (one bit each); further ones share the last bit. */
const MAX_CATEGORY_BITS = 32;
const MS_PER_DAY = 86_400_000;
/** Merchants are numbered below this (2^24), so a (customer, merchant) pair packs exactly into a double. */
const MERCHANT_RANGE = 16_777_216;

export interface AggregateOptions {
  fileName: string;
  /** ISO date (YYYY-MM-DD); transactions after it are left out. Default: the file's last date. */
  asOf?: string;
  /**
   * Awaited after each megabyte of a file given as one buffer, so the app can let other work (Slack
   * acknowledgements) run during a big aggregation.
   */
  pause?: () => Promise<void>;
}

const SLICE_BYTES = 1 << 20;

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += SLICE_BYTES) yield bytes.subarray(i, i + SLICE_BYTES);
}

/** Per-customer features, in order of each customer's first transaction in the file. */
export interface AggregatedTransactions {
  fileName: string;
  columns: TransactionColumns;
  /** Transaction rows read, and rows left out because they fall after the as-of date. */
  rows: number;
  skippedAfterAsOf: number;
  firstDate: string;
  lastDate: string;
  asOf: string;
  customerIds: string[];
  recencyDays: Int32Array;
  frequency: Int32Array;
  monetary: Float64Array;
  tenureDays: Int32Array;
  spendTrend: Float64Array;
  /** Most used channel per customer (null when the file has no channel column). */
  topChannel: string[] | null;
  categoriesUsed: Int32Array | null;
  /** Distinct merchants per customer (null when the file has no merchant column). */
  merchantsUsed: Int32Array | null;
  flags: { name: string; values: Uint8Array }[];
}

/** Days since 1970-01-01 of an ISO date string; NaN when it is not a valid date. */
export function dayNumber(text: string): number {
  if (!/^\d{4}[-/]\d{2}[-/]\d{2}/.test(text)) return Number.NaN;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  if (m < 1 || m > 12 || d < 1 || d > 31) return Number.NaN;
  const ms = Date.UTC(y, m - 1, d);
  // 2024-02-31 rolls into March: not a real date.
  if (new Date(ms).getUTCDate() !== d) return Number.NaN;
  return ms / MS_PER_DAY;
}

function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

let cachedDay = Number.NaN;
let cachedMonth = 0;

/** Months since year 0 of a day number (rows of one file mostly repeat the previous row's day). */
function monthOf(day: number): number {
  if (day !== cachedDay) {
    const date = new Date(day * MS_PER_DAY);
    cachedDay = day;
    cachedMonth = date.getUTCFullYear() * 12 + date.getUTCMonth();
  }
  return cachedMonth;
}

/** Splits one line into trimmed cells, honouring double quotes (for the header and the sample). */
function splitLine(line: string, delimiter: Delimiter): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** What the first bytes of a file say: its delimiter and, for a transaction file, its columns. */
export interface TransactionSniff {
  delimiter: Delimiter;
  columns: TransactionColumns;
}

/**
 * Whether a file whose first bytes are `head` is a transaction file; null for anything else
 * (customer tables, lists of ids), which then goes through the ordinary ingest.
 */
export function sniffTransactions(head: Uint8Array): TransactionSniff | null {
  const bom = utf8BomLength(head);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(bom, bom + 64 * 1024));
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  // The last piece may be a cut line.
  if (head.length > 64 * 1024) lines.pop();
  if (lines.length < 2) return null;
  const delimiter = detectDelimiter(lines.slice(0, 20));
  const [header, ...rest] = lines.slice(0, 200).map((line) => splitLine(line, delimiter));
  const columns = detectTransactionColumns(header!, rest);
  return columns === null ? null : { delimiter, columns };
}

/** Growable per-customer state: a few typed arrays, doubled as customers arrive. */
class CustomerState {
  capacity = 1024;
  count = 0;
  readonly index = new Map<string, number>();
  ids: string[] = [];
  first = new Int32Array(this.capacity);
  last = new Int32Array(this.capacity);
  frequency = new Int32Array(this.capacity);
  monetary = new Float64Array(this.capacity);
  /** The trend window's last month at which each customer's month slots were last aligned. */
  windowEnd = new Int32Array(this.capacity);
  /** TREND_MONTHS slots per customer; slot 0 is the window's last month. */
  months = new Float64Array(this.capacity * TREND_MONTHS);
  channels: Int32Array;
  categories: Uint32Array;
  flags: Uint8Array[];

  constructor(
    readonly channelCount: number,
    hasCategory: boolean,
    flagCount: number,
  ) {
    this.channels = new Int32Array(channelCount > 0 ? this.capacity * (MAX_CHANNELS + 1) : 0);
    this.categories = new Uint32Array(hasCategory ? this.capacity : 0);
    this.flags = Array.from({ length: flagCount }, () => new Uint8Array(this.capacity));
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grown = <T extends Int32Array | Float64Array | Uint32Array | Uint8Array>(
      array: T,
      width = 1,
    ): T => {
      if (array.length === 0) return array;
      const next = new (array.constructor as new (n: number) => T)(capacity * width);
      next.set(array);
      return next;
    };
    this.first = grown(this.first);
    this.last = grown(this.last);
    this.frequency = grown(this.frequency);
    this.monetary = grown(this.monetary);
    this.windowEnd = grown(this.windowEnd);
    this.months = grown(this.months, TREND_MONTHS);
    this.channels = grown(this.channels, MAX_CHANNELS + 1);
    this.categories = grown(this.categories);
    this.flags = this.flags.map((f) => grown(f));
    this.capacity = capacity;
  }

  /** The customer's slot, created on first sight. */
  slot(id: string, day: number, windowEnd: number): number {
    const known = this.index.get(id);
    if (known !== undefined) return known;
    if (this.count === this.capacity) this.grow();
    const c = this.count++;
    this.index.set(id, c);
    this.ids.push(id);
    this.first[c] = day;
    this.last[c] = day;
    this.windowEnd[c] = windowEnd;
    return c;
  }

  /** Moves a customer's month slots so slot 0 is `windowEnd` (the window only ever moves forward). */
  align(c: number, windowEnd: number): void {
    const shift = windowEnd - this.windowEnd[c]!;
    if (shift === 0) return;
    const base = c * TREND_MONTHS;
    for (let s = TREND_MONTHS - 1; s >= 0; s--) {
      this.months[base + s] = s - shift >= 0 ? this.months[base + s - shift]! : 0;
    }
    this.windowEnd[c] = windowEnd;
  }
}

/**
 * The distinct values of a low-cardinality text column (channel, category), numbered in order of
 * first sight. Cells are looked up by a hash of their bytes, so the common case decodes no text.
 */
class Vocabulary {
  readonly names: string[] = [];
  private readonly byText = new Map<string, number>();
  private readonly byHash = new Map<number, number>();
  private readonly bytes: Uint8Array[] = [];

  indexOfText(text: string): number {
    let k = this.byText.get(text);
    if (k === undefined) {
      k = this.names.push(text) - 1;
      this.byText.set(text, k);
      this.bytes.push(Buffer.from(text, 'utf8'));
    }
    return k;
  }

  indexOfBytes(buf: Buffer, start: number, end: number): number {
    // Cells are compared trimmed, as their text would be.
    while (start < end && (buf[start] === 0x20 || buf[start] === 0x09)) start++;
    while (end > start && (buf[end - 1] === 0x20 || buf[end - 1] === 0x09)) end--;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const k = this.byHash.get(hash);
    if (k !== undefined && this.sameBytes(k, buf, start, end)) return k;
    const found = this.indexOfText(buf.toString('utf8', start, end));
    // A hash shared by two names keeps its first; the second takes the text path each time.
    if (k === undefined) this.byHash.set(hash, found);
    return found;
  }

  private sameBytes(k: number, buf: Buffer, start: number, end: number): boolean {
    const known = this.bytes[k]!;
    if (known.length !== end - start) return false;
    for (let i = 0; i < known.length; i++) if (known[i] !== buf[start + i]) return false;
    return true;
  }
}

/**
 * The distinct (customer, merchant) pairs seen, as an open-addressing set of packed doubles: 8 bytes
 * a slot, kept at most three-quarters full, so millions of pairs cost tens of megabytes rather than
 * the hundreds a Set of boxed numbers would. Merchants are too many for a bit per merchant.
 */
class PairSet {
  private slots = new Float64Array(1 << 16);
  private size = 0;

  /** Adds the pair; true when it was not there before. */
  add(customer: number, merchant: number): boolean {
    // 0 marks an empty slot, so keys start at 1.
    const key = customer * MERCHANT_RANGE + merchant + 1;
    const mask = this.slots.length - 1;
    let i = Math.imul(customer, 0x9e3779b1) ^ Math.imul(merchant + 1, 0x85ebca6b);
    for (i &= mask; ; i = (i + 1) & mask) {
      const held = this.slots[i]!;
      if (held === key) return false;
      if (held === 0) break;
    }
    this.slots[i] = key;
    if (++this.size * 4 > this.slots.length * 3) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.size = 0;
    for (const key of old) {
      if (key === 0) continue;
      const pair = key - 1;
      this.add(Math.floor(pair / MERCHANT_RANGE), pair % MERCHANT_RANGE);
    }
  }
}

/** Reads the rows of a transaction file as byte ranges and folds them into CustomerState. */
class TransactionReader {
  readonly state: CustomerState;
  rows = 0;
  skipped = 0;
  line = 1;
  maxDay = Number.NEGATIVE_INFINITY;
  minDay = Number.POSITIVE_INFINITY;
  windowEnd: number;
  readonly asOfDay: number | null;
  readonly channels = new Vocabulary();
  readonly categories = new Vocabulary();
  readonly merchants = new Vocabulary();
  readonly merchantPairs = new PairSet();
  /** Distinct merchants per customer slot, grown with the customer state. */
  merchantCounts = new Int32Array(0);
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly delimiterByte: number;
  private readonly decimalComma: boolean;

  constructor(
    readonly sniff: TransactionSniff,
    readonly fileName: string,
    asOf: string | undefined,
  ) {
    const { columns } = sniff;
    this.state = new CustomerState(
      columns.channel === null ? 0 : 1,
      columns.category !== null,
      columns.flags.length,
    );
    this.starts = new Int32Array(columns.names.length);
    this.ends = new Int32Array(columns.names.length);
    this.delimiterByte = sniff.delimiter.charCodeAt(0);
    this.decimalComma = sniff.delimiter === ';';
    this.asOfDay = asOf === undefined ? null : dayNumber(asOf);
    this.windowEnd = this.asOfDay === null ? Number.MIN_SAFE_INTEGER : monthOf(this.asOfDay);
  }

  private error(message: string, column: number | null, hint: string): BadInputError {
    const name = column === null ? undefined : this.sniff.columns.names[column];
    return new BadInputError(message, {
      hint,
      location: { file: this.fileName, line: this.line, ...(name === undefined ? {} : { column: name }) },
    });
  }

  /** Splits the line buf[from, to) into the starts/ends of its fields; false when it has the wrong count. */
  private split(buf: Buffer, from: number, to: number): boolean {
    const want = this.starts.length;
    let field = 0;
    let start = from;
    for (let i = from; i < to; i++) {
      const byte = buf[i];
      if (byte === 0x22) return this.splitQuoted(buf, from, to);
      if (byte === this.delimiterByte) {
        if (field >= want) return false;
        this.starts[field] = start;
        this.ends[field++] = i;
        start = i + 1;
      }
    }
    if (field !== want - 1) return false;
    this.starts[field] = start;
    this.ends[field] = to;
    return true;
  }

  private quotedCells: string[] | null = null;

  private splitQuoted(buf: Buffer, from: number, to: number): boolean {
    this.quotedCells = splitLine(buf.toString('utf8', from, to), this.sniff.delimiter);
    return this.quotedCells.length === this.starts.length;
  }

  private cell(buf: Buffer, index: number): string {
    if (this.quotedCells !== null) return this.quotedCells[index]!;
    return buf.toString('utf8', this.starts[index]!, this.ends[index]!).trim();
  }

  private lastDateKey = -1;
  private lastDay = Number.NaN;

  /**
   * The day number of a date cell. Rows of one file share few dates, so the digits are read from the
   * bytes and the calendar is consulted only when the date changes.
   */
  private dayAt(buf: Buffer, index: number): number {
    if (this.quotedCells === null) {
      const s = this.starts[index]!;
      const e = this.ends[index]!;
      let key = 0;
      let ok = e - s >= 10 && (e - s === 10 || buf[s + 10] === 0x20 || buf[s + 10] === 0x54);
      for (let i = 0; ok && i < 10; i++) {
        const c = buf[s + i]!;
        if (i === 4 || i === 7) ok = c === 0x2d || c === 0x2f;
        else if (c >= 0x30 && c <= 0x39) key = key * 10 + (c - 0x30);
        else ok = false;
      }
      if (ok) {
        if (key !== this.lastDateKey) {
          this.lastDateKey = key;
          this.lastDay = dayNumber(buf.toString('latin1', s, s + 10));
        }
        return this.lastDay;
      }
    }
    return dayNumber(this.cell(buf, index));
  }

  /** An amount cell: plain decimals are read from the bytes, anything else by parseNumberText. */
  private amountAt(buf: Buffer, index: number): number | undefined {
    if (this.quotedCells === null) {
      const s = this.starts[index]!;
      const e = this.ends[index]!;
      let i = s;
      const negative = buf[i] === 0x2d;
      if (negative) i++;
      let mantissa = 0;
      let digits = 0;
      let fraction = -1;
      for (; i < e; i++) {
        const c = buf[i]!;
        if (c >= 0x30 && c <= 0x39) {
          mantissa = mantissa * 10 + (c - 0x30);
          digits++;
          if (fraction >= 0) fraction++;
        } else if (c === 0x2e && fraction < 0) fraction = 0;
        else break;
      }
      // Short plain decimals are exact this way; the rest takes the general parser.
      if (i === e && digits > 0 && digits <= 15 && fraction !== 0) {
        const value = fraction > 0 ? mantissa / EXACT_POW10[fraction]! : mantissa;
        return negative ? -value : value;
      }
    }
    return parseNumberText(this.cell(buf, index), this.decimalComma);
  }

  /** Folds one data line (without its line ending) into the state. */
  addLine(buf: Buffer, from: number, to: number): void {
    if (to > from && buf[to - 1] === 0x0d) to--;
    if (to <= from) return;
    this.quotedCells = null;
    const { columns } = this.sniff;
    if (!this.split(buf, from, to)) {
      throw this.error(
        `This line does not have the ${columns.names.length} values the header names.`,
        null,
        'Check the line for a missing or extra separator, then upload again.',
      );
    }
    const id = this.cell(buf, columns.customer);
    if (id === '') {
      throw this.error(
        'The customer id is missing.',
        columns.customer,
        'Every transaction needs the customer it belongs to.',
      );
    }
    const day = this.dayAt(buf, columns.date);
    if (Number.isNaN(day)) {
      throw this.error(
        'The date is not a date segbot reads.',
        columns.date,
        'Write dates as YYYY-MM-DD (for example 2025-03-31), then upload again.',
      );
    }
    const amount = this.amountAt(buf, columns.amount);
    if (amount === undefined) {
      throw this.error(
        'The amount is missing or not a number.',
        columns.amount,
        'Write amounts as plain numbers (1234.56, -20), without currency signs or thousands separators.',
      );
    }
    this.rows++;
    if (this.asOfDay !== null && day > this.asOfDay) {
      this.skipped++;
      return;
    }
    if (day > this.maxDay) {
      this.maxDay = day;
      if (this.asOfDay === null) this.windowEnd = Math.max(this.windowEnd, monthOf(day));
    }
    if (day < this.minDay) this.minDay = day;
    this.fold(buf, id, day, amount);
  }

  private fold(buf: Buffer, id: string, day: number, amount: number): void {
    const s = this.state;
    const c = s.slot(id, day, this.windowEnd);
    if (day < s.first[c]!) s.first[c] = day;
    if (day > s.last[c]!) s.last[c] = day;
    s.frequency[c]!++;
    s.monetary[c]! += amount;
    s.align(c, this.windowEnd);
    const back = this.windowEnd - monthOf(day);
    if (back >= 0 && back < TREND_MONTHS) s.months[c * TREND_MONTHS + back]! += amount;
    const { columns } = this.sniff;
    if (columns.channel !== null) {
      const k = this.nameIndex(buf, columns.channel, this.channels);
      s.channels[c * (MAX_CHANNELS + 1) + Math.min(k, MAX_CHANNELS)]!++;
    }
    if (columns.category !== null) {
      const bit = Math.min(this.nameIndex(buf, columns.category, this.categories), MAX_CATEGORY_BITS - 1);
      s.categories[c] = s.categories[c]! | (1 << bit);
    }
    if (columns.merchant !== null) this.countMerchant(buf, c, columns.merchant);
    columns.flags.forEach((column, f) => {
      if (this.cell(buf, column) === '1') s.flags[f]![c] = 1;
    });
  }

  private countMerchant(buf: Buffer, c: number, column: number): void {
    const merchant = this.nameIndex(buf, column, this.merchants);
    if (merchant >= MERCHANT_RANGE) {
      throw this.error(
        `The file names more than ${MERCHANT_RANGE.toLocaleString('en-US')} different merchants.`,
        column,
        'Group merchants (for example by merchant category) before uploading, or leave the merchant column out.',
      );
    }
    if (c >= this.merchantCounts.length) {
      const grown = new Int32Array(Math.max(1024, this.merchantCounts.length * 2));
      grown.set(this.merchantCounts);
      this.merchantCounts = grown;
    }
    if (this.merchantPairs.add(c, merchant)) this.merchantCounts[c]!++;
  }

  /** The vocabulary index of a text cell, read from its bytes where it is not quoted. */
  private nameIndex(buf: Buffer, index: number, vocabulary: Vocabulary): number {
    if (this.quotedCells !== null) return vocabulary.indexOfText(this.quotedCells[index]!);
    return vocabulary.indexOfBytes(buf, this.starts[index]!, this.ends[index]!);
  }
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * Reads a transaction file (bytes or a stream of chunks) whose first bytes `sniffTransactions`
 * recognised, and returns its per-customer features. Bad rows are errors naming the line and
 * column, never the value.
 */
export async function aggregateTransactions(
  source: Uint8Array | AsyncIterable<Uint8Array>,
  sniff: TransactionSniff,
  options: AggregateOptions,
): Promise<AggregatedTransactions> {
  if (options.asOf !== undefined && Number.isNaN(dayNumber(options.asOf))) {
    throw new BadInputError(`The as-of date "${options.asOf}" is not a date.`, {
      hint: 'Give it as YYYY-MM-DD, for example 2025-06-30.',
    });
  }
  const reader = new TransactionReader(sniff, options.fileName, options.asOf);
  let carry: Buffer = Buffer.alloc(0);
  let header = true;
  const chunks = source instanceof Uint8Array ? slices(source) : source;
  for await (const chunk of chunks) {
    if (options.pause && source instanceof Uint8Array) await options.pause();
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry.length > 0) buf = Buffer.concat([carry, buf]);
    let from = 0;
    for (let nl = buf.indexOf(0x0a, from); nl >= 0; nl = buf.indexOf(0x0a, from)) {
      if (header) header = false;
      else reader.addLine(buf, from, nl);
      reader.line++;
      from = nl + 1;
    }
    carry = Buffer.from(buf.subarray(from));
  }
  if (carry.length > 0 && !header) reader.addLine(carry, 0, carry.length);
  return finish(reader, options.fileName);
}

function finish(reader: TransactionReader, fileName: string): AggregatedTransactions {
  const s = reader.state;
  const n = s.count;
  if (n === 0) {
    throw new BadInputError(
      `${fileName} has no transactions${reader.skipped > 0 ? ' on or before the as-of date' : ''}.`,
      {
        hint: 'Check the file (and the as-of date, when given): segbot needs at least one transaction row.',
        location: { file: fileName },
      },
    );
  }
  const asOfDay = reader.asOfDay ?? reader.maxDay;
  const recencyDays = new Int32Array(n);
  const tenureDays = new Int32Array(n);
  const spendTrend = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    s.align(c, reader.windowEnd);
    recencyDays[c] = asOfDay - s.last[c]!;
    tenureDays[c] = asOfDay - s.first[c]!;
    let recent = 0;
    let before = 0;
    for (let m = 0; m < TREND_MONTHS; m++) {
      const v = Math.max(0, s.months[c * TREND_MONTHS + m]!);
      if (m < TREND_HALF) recent += v;
      else before += v;
    }
    spendTrend[c] = recent + before > 0 ? (recent - before) / (recent + before) : 0;
  }
  let topChannel: string[] | null = null;
  if (reader.sniff.columns.channel !== null) {
    topChannel = new Array<string>(n);
    const width = MAX_CHANNELS + 1;
    for (let c = 0; c < n; c++) {
      let best = 0;
      for (let k = 1; k < width; k++)
        if (s.channels[c * width + k]! > s.channels[c * width + best]!) best = k;
      topChannel[c] = best === MAX_CHANNELS ? 'other' : (reader.channels.names[best] ?? '');
    }
  }
  let categoriesUsed: Int32Array | null = null;
  if (reader.sniff.columns.category !== null) {
    categoriesUsed = new Int32Array(n);
    for (let c = 0; c < n; c++) categoriesUsed[c] = popcount(s.categories[c]!);
  }
  return {
    fileName,
    columns: reader.sniff.columns,
    rows: reader.rows,
    skippedAfterAsOf: reader.skipped,
    firstDate: isoDate(reader.minDay),
    lastDate: isoDate(reader.maxDay),
    asOf: isoDate(asOfDay),
    customerIds: s.ids,
    recencyDays,
    frequency: s.frequency.slice(0, n),
    monetary: s.monetary.slice(0, n),
    tenureDays,
    spendTrend,
    topChannel,
    categoriesUsed,
    merchantsUsed: reader.sniff.columns.merchant === null ? null : reader.merchantCounts.slice(0, n),
    flags: reader.sniff.columns.flags.map((column, f) => ({
      name: reader.sniff.columns.names[column]!,
      values: s.flags[f]!.slice(0, n),
    })),
  };
}

/** Column names of the aggregated table: what `/segbot rfm` and `segbot rfm` read. */
export const AGGREGATE_COLUMNS = {
  customer: 'customer_id',
  recency: 'recency_days',
  // Not "frequency", which the quality report reads as a 0–1 rate.
  frequency: 'transactions',
  monetary: 'monetary',
  trend: 'trend_3m',
} as const;

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The aggregated table as CSV text, so it is ingested (and stored, segmented, predicted) like any upload. */
export function aggregatedCsv(agg: AggregatedTransactions): string {
  const header = [
    AGGREGATE_COLUMNS.customer,
    AGGREGATE_COLUMNS.recency,
    AGGREGATE_COLUMNS.frequency,
    AGGREGATE_COLUMNS.monetary,
    'avg_ticket',
    'tenure_days',
    AGGREGATE_COLUMNS.trend,
    ...(agg.topChannel ? ['top_channel'] : []),
    ...(agg.categoriesUsed ? ['categories_used'] : []),
    ...(agg.merchantsUsed ? ['merchants_used'] : []),
    ...agg.flags.map((f) => f.name),
  ];
  const lines = [header.map(csvCell).join(',')];
  for (let c = 0; c < agg.customerIds.length; c++) {
    const monetary = agg.monetary[c]!;
    const cells = [
      csvCell(agg.customerIds[c]!),
      String(agg.recencyDays[c]),
      String(agg.frequency[c]),
      monetary.toFixed(2),
      (monetary / agg.frequency[c]!).toFixed(2),
      String(agg.tenureDays[c]),
      agg.spendTrend[c]!.toFixed(3),
    ];
    if (agg.topChannel) cells.push(csvCell(agg.topChannel[c]!));
    if (agg.categoriesUsed) cells.push(String(agg.categoriesUsed[c]));
    if (agg.merchantsUsed) cells.push(String(agg.merchantsUsed[c]));
    for (const flag of agg.flags) cells.push(String(flag.values[c]));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** One sentence for the quality report: what was read and how it became one row per customer. */
export function aggregationNote(agg: AggregatedTransactions): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const skipped =
    agg.skippedAfterAsOf > 0 ? ` (${count(agg.skippedAfterAsOf)} rows after the as-of date left out)` : '';
  return `Read as transactions: ${count(agg.rows)} rows of ${count(agg.customerIds.length)} customers from ${agg.firstDate} to ${agg.lastDate}${skipped}, aggregated to one row per customer (recency as of ${agg.asOf}; trend = last 3 months vs the 3 before).`;
}
