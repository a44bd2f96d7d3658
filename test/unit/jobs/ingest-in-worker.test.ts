import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { BadInputError, userMessage } from '../../../src/errors.js';
import { createWorkerIngest } from '../../../src/jobs/ingest-in-worker.js';

describe('createWorkerIngest', () => {
  it('gives the in-thread ingest, moving the bytes in and the numeric columns back', async () => {
    const text = generateCustomersCsv({ rows: 400, seed: 6 });
    const direct = await ingestCsv(new TextEncoder().encode(text), { fileName: 'c.csv' });
    const bytes = new TextEncoder().encode(text);
    const viaWorker = await createWorkerIngest()(bytes, { fileName: 'c.csv' });
    // The bytes were moved, not copied.
    expect(bytes.byteLength).toBe(0);
    expect(viaWorker).toEqual(direct);
    expect(viaWorker.table.columns[1]!.values).toBeInstanceOf(Float64Array);
    expect(viaWorker.quality.rows).toBe(400);
  });

  it('copies a view over part of a larger buffer instead of moving the whole buffer', async () => {
    const text = generateCustomersCsv({ rows: 30, seed: 2 });
    const encoded = new TextEncoder().encode(text);
    const larger = new Uint8Array(encoded.length + 10);
    larger.set(encoded, 5);
    const view = larger.subarray(5, 5 + encoded.length);
    const viaWorker = await createWorkerIngest()(view, { fileName: 'part.csv' });
    expect(view.byteLength).toBe(encoded.length);
    expect(viaWorker.table.rowCount).toBe(30);
  });

  it('brings a bad file back as a BadInputError naming the file', async () => {
    const error = await createWorkerIngest()(new TextEncoder().encode('a,b\n'), {
      fileName: 'empty.csv',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect(userMessage(error)).toMatch(
      /^empty.csv, line 1: The file has a header line but no customer rows\./,
    );
  });
});
