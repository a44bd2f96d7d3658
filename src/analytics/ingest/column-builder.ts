import { isMissingToken, parseNumberText } from './parse-cell.js';

/**
 * Collects one column's cells while a parser walks the file. Both parsers feed the same builder,
 * which is what keeps their Tables identical.
 *
 * A column starts numeric (values straight into a growable Float64Array) and switches to text at
 * its first non-numeric cell. Numbers seen before the switch keep only their value, so if the
 * column ends up as text those rows are re-read (see `lossy`).
 */
export class ColumnBuilder {
  readonly name: string;
  /** Numeric until the first non-numeric cell. */
  isText = false;
  /** Numeric values by row (NaN = missing); meaningful for rows before the switch to text. */
  nums: Float64Array;
  /** Trimmed texts by row once the column is text ('' for missing). */
  texts: string[] | null = null;
  /** The row at which the column switched to text (-1 while numeric). */
  switchRow = -1;
  /** True when numbers were seen before the switch, so their exact text was not kept. */
  lossy = false;
  missing = 0;
  numericCount = 0;
  /** Non-missing cells that are not numbers. */
  badCount = 0;
  firstBadRow = -1;
  firstBadText = '';
  /**
   * Read as text on request (a second pass): the column already passed the numbers-with-typos check
   * on the first pass, or is a customer id whose digits are a label.
   */
  readonly forcedText: boolean;

  constructor(name: string, capacity: number, forceText: boolean) {
    this.name = name;
    this.forcedText = forceText;
    this.nums = new Float64Array(forceText ? 0 : capacity);
    if (forceText) {
      this.isText = true;
      this.texts = [];
      this.switchRow = 0;
    }
  }

  /** Makes room for at least `capacity` rows (only the numeric buffer is preallocated). */
  grow(capacity: number): void {
    if (this.isText || capacity <= this.nums.length) return;
    const next = new Float64Array(capacity);
    next.set(this.nums);
    this.nums = next;
  }

  pushMissing(row: number): void {
    this.missing++;
    if (this.texts === null) this.nums[row] = Number.NaN;
    else this.texts.push('');
  }

  /** A cell already known to be this number (the caller guarantees the column is still numeric). */
  pushNumber(row: number, value: number): void {
    this.numericCount++;
    this.nums[row] = value;
  }

  /** A raw, untrimmed cell. */
  pushCell(row: number, raw: string, decimalComma: boolean): void {
    const text = raw.trim();
    // Missing tokens are never numbers, so numbers can skip that lookup.
    const value = parseNumberText(text, decimalComma);
    if (value !== undefined) {
      this.numericCount++;
      if (this.texts === null) this.nums[row] = value;
      else this.texts.push(text);
      return;
    }
    if (isMissingToken(text)) {
      this.pushMissing(row);
      return;
    }
    this.badCount++;
    if (this.firstBadRow < 0) {
      this.firstBadRow = row;
      this.firstBadText = text;
    }
    if (this.texts === null) this.switchToText(row);
    this.texts!.push(text);
  }

  private switchToText(row: number): void {
    this.isText = true;
    this.switchRow = row;
    this.lossy = this.numericCount > 0;
    this.texts = new Array<string>(row).fill('');
  }
}
