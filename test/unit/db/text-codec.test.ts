import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, encodeText } from '../../../db/text-codec.js';

function roundTrip(values: string[]): string[] {
  return decodeText(encodeText(values));
}

describe('text column codec', () => {
  it('round-trips unique values (plain layout)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => `C${10001 + i}`);
    const bytes = encodeText(values);
    expect(bytes[0]).toBe(1);
    expect(roundTrip(values)).toEqual(values);
  });

  it('stores repetitive columns as a dictionary, far smaller than the text', () => {
    const values = Array.from(
      { length: 10_000 },
      (_, i) => ['02 - PARTICULARES', '03 - UNIVERSITARIO', ''][i % 3]!,
    );
    const bytes = encodeText(values);
    expect(bytes[0]).toBe(2);
    expect(bytes[1]).toBe(1);
    expect(bytes.length).toBeLessThan(values.length + 100);
    expect(roundTrip(values)).toEqual(values);
  });

  it('widens dictionary codes past 256 distinct values', () => {
    const values = Array.from({ length: 4000 }, (_, i) => `city-${i % 1000}`);
    const bytes = encodeText(values);
    expect(bytes[0]).toBe(2);
    expect(bytes[1]).toBe(2);
    expect(roundTrip(values)).toEqual(values);
  });

  it('keeps empty strings, accents, emoji and embedded separators', () => {
    const values = ['', 'Peña', '北京', '👩‍💼 VIP', 'a,b;"c"\n\td', '\u0000', '', ' trailing '];
    expect(roundTrip(values)).toEqual(values);
    expect(roundTrip([])).toEqual([]);
  });

  it('falls back to JSON for lone surrogates, which UTF-8 cannot carry', () => {
    const values = ['ok', '\uD800', 'x\uDC00y'];
    const bytes = encodeText(values);
    expect(bytes[0]).toBe(3);
    expect(roundTrip(values)).toEqual(values);
  });

  it('round-trips any array of strings, repetitive or not', () => {
    const same = (values: string[]) => {
      const back = roundTrip(values);
      return back.length === values.length && back.every((v, i) => v === values[i]);
    };
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 60 }), same), {
      numRuns: 200,
      seed: 42,
    });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '', 'é', '😀', 'x\uD800'), { minLength: 16, maxLength: 80 }),
        same,
      ),
      { numRuns: 200, seed: 43 },
    );
  });

  it('rejects bytes it did not write', () => {
    expect(() => decodeText(new Uint8Array([9, 0, 0, 0]))).toThrow(/unknown text column encoding/);
  });
});
