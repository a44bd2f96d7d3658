import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { formatResultJson } from '../../../src/cli/format-summary.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { pdfPageTexts } from '../../helpers/pdf-text.js';
import { readZip } from '../../helpers/read-zip.js';
import { seededRun } from '../report/seeded-run.js';
import { fakeIo } from './fake-io.js';

const bytesOf = (content: Uint8Array | string | undefined): Uint8Array => {
  if (content === undefined || typeof content === 'string') throw new Error('expected a binary file');
  return content;
};

const slideCount = (pptx: Uint8Array) =>
  [...readZip(pptx).keys()].filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name)).length;

describe('segbot report', () => {
  it('writes the deck and the PDF beside it from a result file', async () => {
    const result = await seededRun();
    const io = fakeIo({ 'result.json': formatResultJson(result) });
    const code = await runCli(['report', 'result.json', '--out', 'out/deck.pptx'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const slides = 3 + result.segments.length + 2;
    expect(slideCount(bytesOf(io.files.get('out/deck.pptx')))).toBe(slides);
    expect(pdfPageTexts(bytesOf(io.files.get('out/deck.pdf')))).toHaveLength(slides);
    expect(io.out).toMatch(
      new RegExp(`^Wrote out/deck.pptx \\(${slides} slides, [\\d,]+ KB\\) and out/deck.pdf`),
    );
  });

  it('segments a CSV first, with --k, and names the deck after it by default', async () => {
    const io = fakeIo({ 'customers.csv': generateCustomersCsv({ rows: 300, seed: 2 }) });
    expect(await runCli(['report', 'customers.csv', '--k', '4'], io)).toBe(0);
    const pdf = bytesOf(io.files.get('customers-report.pdf'));
    expect(slideCount(bytesOf(io.files.get('customers-report.pptx')))).toBe(3 + 4 + 2);
    expect(pdfPageTexts(pdf)[1]).toContain('Number of segments fixed at 4');
  });

  it('refuses a file that is not a result, a non-.pptx output and --k with a result file, writing nothing', async () => {
    const io = fakeIo({ 'bad.json': '{"k": 3, "segments": "many"}', 'notjson.json': 'k=3' });
    expect(await runCli(['report', 'bad.json'], io)).toBe(2);
    expect(io.err).toContain('bad.json is not a segbot result file');
    expect(await runCli(['report', 'notjson.json'], io)).toBe(2);
    expect(io.err).toContain('notjson.json is not valid JSON');
    expect(await runCli(['report', 'bad.json', '--out', 'deck.pdf'], io)).toBe(2);
    expect(io.err).toContain('--out must name a .pptx file');
    expect(await runCli(['report', 'bad.json', '--k', '3'], io)).toBe(2);
    expect(io.err).toContain('--k and --seed apply to a CSV');
    expect([...io.files.keys()].sort()).toEqual(['bad.json', 'notjson.json']);
  });
});
