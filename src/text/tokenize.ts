/**
 * The one tokenizer for what people type to segbot: slash-command arguments and questions in
 * threads alike. Words are split on whitespace; a quoted part keeps its spaces, whichever quote
 * style the keyboard produced.
 */
import { BadInputError } from '../errors.js';

/** Opening quote → the quote that normally closes it. */
const OPEN_QUOTES: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u2018': '\u2019' };
// Slack clients often turn straight quotes into curly ones; a closing curly quote must also close
// a straight-quoted value, and vice versa, so people are not punished for their keyboard.
const CLOSERS: Record<string, readonly string[]> = {
  '"': ['"', '\u201d', '\u201c'],
  "'": ["'", '\u2019', '\u2018'],
  '\u201d': ['\u201d', '"', '\u201c'],
  '\u2019': ['\u2019', "'", '\u2018'],
};
const APOSTROPHES = new Set(["'", '\u2019']);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isLetterOrDigit(ch: string | undefined): boolean {
  return ch !== undefined && LETTER_OR_DIGIT.test(ch);
}

/**
 * Where the quote opened at `open` closes, or -1. An apostrophe followed by a letter ("Bob's")
 * does not close a single-quoted part: it is part of the text.
 */
function closingIndex(text: string, open: number, closers: readonly string[]): number {
  for (let j = open + 1; j < text.length; j++) {
    const ch = text[j]!;
    if (!closers.includes(ch)) continue;
    if (APOSTROPHES.has(ch) && isLetterOrDigit(text[j + 1])) continue;
    return j;
  }
  return -1;
}

export interface TokenizeOptions {
  /** A correctly quoted example for the error hint, e.g. `/segbot describe "VIP high spenders"`. */
  example?: string;
}

/**
 * Splits text into words on whitespace. Double, single or curly quotes keep spaces inside a word
 * (`name="VIP high spenders"` is the one word `name=VIP high spenders`), and a straight quote may
 * be closed by a curly one. A quote right after a letter or digit is an apostrophe or an inch mark
 * (`what's`, `O'Brien`, `12"`) and stays in the word as typed. An unclosed quote is an error that
 * says where it opened.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const close = OPEN_QUOTES[ch];
    if (close !== undefined && !isLetterOrDigit(text[i - 1])) {
      const j = closingIndex(text, i, CLOSERS[close]!);
      if (j < 0) {
        const example = options.example ?? '"VIP high spenders"';
        throw new BadInputError(`The quote opened at character ${i + 1} is never closed.`, {
          hint: `Close it, for example: ${example}`,
        });
      }
      current += text.slice(i + 1, j);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
    i += 1;
  }
  if (inWord) words.push(current);
  return words;
}
