/**
 * Property tests of the binary check that runs before an upload is read as a table or a list: random
 * bytes are refused whatever the file is called (with or without NUL bytes), while UTF-8 CSV text
 * passes even when the first bytes end in the middle of a character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { assertTextContent } from '../../src/analytics/ingest/detect-format.js';
import { BadInputError } from '../../src/errors.js';

const SEED = 20261205;

function refusal(head: Uint8Array): BadInputError | null {
  try {
    assertTextContent(head, 'ids.csv');
    return null;
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
}

describe('assertTextContent', () => {
  it('refuses random bytes, with or without NUL bytes, as not UTF-8 text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 512, maxLength: 4096 }), fc.boolean(), (bytes, withoutNul) => {
        const head = withoutNul ? bytes.map((b) => (b === 0 ? 1 : b)) : bytes;
        const error = refusal(head);
        expect(error).not.toBeNull();
        expect(error?.location.file).toBe('ids.csv');
        expect(error?.hint).toMatch(/CSV UTF-8/);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('accepts UTF-8 CSV text cut anywhere, accents and emoji included', () => {
    const csv = new TextEncoder().encode(
      generateCustomersCsv({ rows: 40, seed: 3 }).replace(/C100(\d)/g, 'Clé-😀-$1'),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: csv.length }), (cut) => {
        expect(refusal(csv.subarray(0, cut))).toBeNull();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refuses text full of control characters, and allows a stray one', () => {
    const line = 'id,balance\n';
    expect(refusal(new TextEncoder().encode(`${line}\u0007a,1\n`.repeat(3)))).not.toBeNull();
    expect(refusal(new TextEncoder().encode(`${line}${'a,1\n'.repeat(40)}\u001a`))).toBeNull();
  });
});
