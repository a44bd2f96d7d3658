/**
 * Cell-level rules shared by both parsers: what counts as missing, and which texts are numbers.
 * The byte-level fast path re-implements `parseNumberText` over bytes; both must accept exactly
 * the same texts and return bit-identical doubles, which the tests check on random input.
 */

/** Tokens that mean "no value" (compared after trimming). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  'NA',
  'N/A',
  'n/a',
  '#N/A',
  'NaN',
  'nan',
  'null',
  'NULL',
  'Null',
  'None',
  '?',
]);

/** Whether a trimmed cell text means "no value". */
export function isMissingToken(text: string): boolean {
  // No token is longer than four characters; most text cells are, and skip the hash lookup.
  return text.length <= 4 && MISSING_TOKENS.has(text);
}

/** Powers of ten that are exact doubles (10^22 is the largest). */
export const EXACT_POW10: Float64Array = (() => {
  const p = new Float64Array(23);
  p[0] = 1;
  for (let i = 1; i <= 22; i++) p[i] = p[i - 1]! * 10;
  return p;
})();

/**
 * Mantissas below this stay exact after one more `m * 10 + digit` step (it is floor((2^53 - 10) / 10)).
 */
export const MANTISSA_LIMIT = 900719925474098;

/**
 * Parses a trimmed cell as a decimal number: optional sign, digits with an optional decimal point
 * (a comma when `decimalComma`), optional exponent. Returns undefined for anything else, including
 * thousands separators, hex, "Infinity" and values that overflow to infinity. -0 becomes 0.
 *
 * Small mantissas are scaled by an exact power of ten, which IEEE division and multiplication round
 * correctly; everything else goes through Number(), which is also correctly rounded, so the result
 * is the same double either way.
 */
export function parseNumberText(text: string, decimalComma: boolean): number | undefined {
  const n = text.length;
  let i = 0;
  let negative = false;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) {
    negative = c === 45;
    i = 1;
  }
  let mantissa = 0;
  let exact = true;
  let digits = 0;
  let fraction = 0;
  const point = decimalComma ? 44 : 46;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    digits++;
    if (mantissa < MANTISSA_LIMIT) mantissa = mantissa * 10 + (c - 48);
    else exact = false;
  }
  if (i < n && (c === point || c === 46)) {
    i++;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      digits++;
      fraction++;
      if (mantissa < MANTISSA_LIMIT) mantissa = mantissa * 10 + (c - 48);
      else exact = false;
    }
  }
  if (digits === 0) return undefined;
  let exponent = 0;
  if (i < n && (c === 101 || c === 69)) {
    i++;
    let expNegative = false;
    c = text.charCodeAt(i);
    if (c === 43 || c === 45) {
      expNegative = c === 45;
      i++;
    }
    let expDigits = 0;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      expDigits++;
      if (exponent < 100000) exponent = exponent * 10 + (c - 48);
    }
    if (expDigits === 0) return undefined;
    if (expNegative) exponent = -exponent;
  }
  if (i !== n) return undefined;
  let value: number;
  const scale = exponent - fraction;
  if (exact && fraction <= 22 && scale >= -22 && scale <= 22) {
    value = scale < 0 ? mantissa / EXACT_POW10[-scale]! : mantissa * EXACT_POW10[scale]!;
    if (negative) value = -value;
  } else {
    value = Number(decimalComma ? text.replace(',', '.') : text);
  }
  if (!Number.isFinite(value)) return undefined;
  return value === 0 ? 0 : value;
}
