import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { parseSegmentArgs } from '../../../src/cli/segment.js';
import { BadInputError } from '../../../src/errors.js';
import { fakeIo } from './fake-io.js';

const CSV = generateCustomersCsv({ rows: 300, seed: 8 });

interface ResultJson {
  k: number;
  silhouette: number;
  inertia: number;
  explainedVarianceRatio: number[];
  params: { k: number | string; seed: number; log: string; features: string[] };
  fingerprint: string;
  segments: {
    number: number;
    index: number;
    name: string;
    size: number;
    profile: { feature: string; mean: number; z: number }[];
    actions: { title: string; reason: string }[];
    centroid: { standardized: number[]; original: Record<string, number> };
  }[];
  assignments: { customerId: string; segment: number; number: number }[];
}

describe('segbot segment', () => {
  it('prints the data quality, k, and one line per segment with name, size, share, traits and action', async () => {
    const io = fakeIo({ 'data/customers.csv': CSV });
    const code = await runCli(['segment', 'data/customers.csv', '--k', '5', '--seed', '3'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toContain('segbot segment: customers.csv');
    expect(io.out).toMatch(/Data: 300 customers, 18 columns \(17 numeric, 1 id\)/);
    expect(io.out).toMatch(/MINIMUM_PAYMENTS: \d+ missing, filled with the median/);
    expect(io.out).toContain('k = 5 (fixed)');
    // Numbered from 1, as in Slack.
    const segmentLines = io.out.split('\n').filter((line) => /^ {2}[1-5] {2}\S/.test(line));
    expect(segmentLines).toHaveLength(5);
    expect(io.out).toMatch(/^1\. \S/m);
    expect(io.out).not.toMatch(/^ {2}0 {2}\S|^0\. /m);
    for (const line of segmentLines)
      expect(line).toMatch(
        /\d+\.\d%\s+(high|low) [a-z][^,_=]*, (high|low) [a-z][^,_=]*, (high|low) [a-z][^,_=]* -> \S/,
      );
  });

  it('explains an automatic k with the score of every k', async () => {
    const io = fakeIo({ 'c.csv': CSV });
    expect(await runCli(['segment', 'c.csv', '--k', 'auto'], io)).toBe(0);
    expect(io.out).toMatch(/k = \d+, chosen automatically\./);
    for (let k = 3; k <= 8; k++)
      expect(io.out).toMatch(new RegExp(`^\\s+${k}\\s+-?\\d\\.\\d{3}\\s+[\\d,]+`, 'm'));
    expect(io.out).toContain('<- chosen');
  });

  it('--method compare prints the methods side by side and writes the comparison to the JSON', async () => {
    const io = fakeIo({ 'c.csv': CSV });
    expect(await runCli(['segment', 'c.csv', '--method', 'compare', '--json', 'out.json'], io)).toBe(0);
    expect(io.out).toMatch(/Methods compared \(silhouettes on the same 300 customers\)/);
    expect(io.out).toMatch(/^ {2}k-means +\d +-?\d\.\d{3} +\d+\.\d\d s {2}[\d,]+ \//m);
    expect(io.out).toMatch(/^ {2}Gaussian mixture +\d +-?\d\.\d{3} .*% sure\)/m);
    expect(io.out).toMatch(/^ {2}density \(DBSCAN\)/m);
    expect(io.out).toMatch(/Agreement \(adjusted Rand index\): k-means vs Gaussian mixture -?\d\.\d\d/);
    const json = JSON.parse(String(io.files.get('out.json'))) as ResultJson & {
      comparison: { methods: { method: string; k: number; silhouette: number; seconds: number }[] };
    };
    expect(json.comparison.methods.map((m) => m.method)).toEqual(['kmeans', 'gmm', 'density']);
    expect(json.params).toMatchObject({ method: 'kmeans' });
  });

  it('--method compare --keep density writes the density segments as the result', async () => {
    const io = fakeIo({ 'c.csv': CSV });
    expect(
      await runCli(
        ['segment', 'c.csv', '--method', 'compare', '--keep', 'density', '--json', 'out.json'],
        io,
      ),
    ).toBe(0);
    expect(io.out).toMatch(/The segments below are the density \(DBSCAN\) ones/);
    const json = JSON.parse(String(io.files.get('out.json'))) as ResultJson & {
      comparison: { kept: string; methods: { method: string; k: number }[] };
    };
    expect(json.params).toMatchObject({ method: 'density' });
    expect(json.comparison.kept).toBe('density');
    expect(json.segments).toHaveLength(json.comparison.methods.find((m) => m.method === 'density')!.k);
    const refused = fakeIo({ 'c.csv': CSV });
    expect(await runCli(['segment', 'c.csv', '--keep', 'gmm'], refused)).toBe(2);
    expect(refused.err).toMatch(/--keep chooses among compared methods/);
  });

  it('--method gmm prints the BIC per k and how sure each segment is', async () => {
    const io = fakeIo({ 'c.csv': CSV });
    expect(await runCli(['segment', 'c.csv', '--method', 'gmm', '--covariance', 'diag'], io)).toBe(0);
    expect(io.out).toMatch(/Method: Gaussian mixture, k=\d, chosen by BIC; diag covariances/);
    expect(io.out).toMatch(/^ {4}3 +-?[\d,]+/m);
    expect(io.out).toMatch(/customers, [\d.]+%, \d+% sure\)/);
  });

  it('writes the full result as JSON with assignments in input order', async () => {
    const io = fakeIo({ 'c.csv': CSV });
    expect(await runCli(['segment', 'c.csv', '--k', '4', '--json', 'out.json', '--log', 'none'], io)).toBe(0);
    const json = JSON.parse(String(io.files.get('out.json'))) as ResultJson;
    expect(json.k).toBe(4);
    expect(json.silhouette).toBeGreaterThan(0);
    expect(json.inertia).toBeGreaterThan(0);
    expect(json.explainedVarianceRatio).toHaveLength(17);
    expect(json.params).toMatchObject({ k: 4, seed: 42, log: 'none' });
    expect(json.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(json.segments.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(json.segments.map((s) => s.number)).toEqual([1, 2, 3, 4]);
    for (const segment of json.segments) {
      expect(segment.name.length).toBeGreaterThan(0);
      expect(segment.profile).toHaveLength(17);
      expect(segment.actions.length).toBeGreaterThanOrEqual(1);
      expect(segment.centroid.standardized).toHaveLength(17);
      expect(Object.keys(segment.centroid.original)).toContain('BALANCE');
    }
    expect(json.assignments).toHaveLength(300);
    expect(json.assignments[0]).toEqual({
      customerId: 'C10001',
      segment: expect.any(Number),
      number: json.assignments[0]!.segment + 1,
    });
    expect(json.assignments.map((a) => a.customerId)).toEqual(
      CSV.trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    const sizes = json.segments.map((s) => json.assignments.filter((a) => a.segment === s.index).length);
    expect(sizes).toEqual(json.segments.map((s) => s.size));
    expect(io.out).toContain('Full result written to out.json');
  });

  it('gives identical output for the same seed', async () => {
    const first = fakeIo({ 'c.csv': CSV });
    const second = fakeIo({ 'c.csv': CSV });
    await runCli(['segment', 'c.csv', '--k', '3', '--seed', '11', '--json', 'o.json'], first);
    await runCli(['segment', 'c.csv', '--k', '3', '--seed', '11', '--json', 'o.json'], second);
    expect(second.out).toBe(first.out);
    expect(second.files.get('o.json')).toBe(first.files.get('o.json'));
  });

  it('restricts the features with --features', async () => {
    const io = fakeIo({ 'c.csv': CSV });
    await runCli(
      ['segment', 'c.csv', '--k', '3', '--features', 'balance, PURCHASES', '--json', 'o.json'],
      io,
    );
    const json = JSON.parse(String(io.files.get('o.json'))) as ResultJson;
    expect(json.params.features).toEqual(['BALANCE', 'PURCHASES']);
    expect(json.segments[0]!.profile.map((p) => p.feature)).toEqual(['BALANCE', 'PURCHASES']);
  });
});

describe('segbot segment with bad input', () => {
  async function failing(args: string[], files: Record<string, string> = { 'c.csv': CSV }) {
    const io = fakeIo(files);
    const code = await runCli(['segment', ...args], io);
    expect(io.out).toBe('');
    // A user never sees a stack trace.
    expect(io.err).not.toMatch(/\n\s+at /);
    return { code, err: io.err, io };
  }

  it('names a missing file', async () => {
    const { code, err } = await failing(['nope.csv']);
    expect(code).toBe(2);
    expect(err).toContain('File not found: nope.csv');
  });

  it.each([
    [['c.csv', '--k', '1'], '--k must be auto or a whole number from 2 to 20, got "1"'],
    [['c.csv', '--k', 'four'], '--k must be auto or a whole number'],
    [['c.csv', '--k', '3.5'], '--k must be auto or a whole number'],
    [['c.csv', '--seed', 'x'], '--seed must be a whole number'],
    [['c.csv', '--log', 'always'], '--log must be auto or none'],
    [['c.csv', '--features', ','], '--features needs at least one column name'],
    [['c.csv', '--colour', 'red'], "Unknown option '--colour'"],
    [['c.csv', 'd.csv'], 'Give exactly one CSV file'],
    [[], 'Give the customer CSV to segment'],
  ])('rejects %j with a usage message', async (args, message) => {
    const { code, err } = await failing(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('lists the available features when one is unknown', async () => {
    const { code, err } = await failing(['c.csv', '--k', '3', '--features', 'BALANCE,INCOME']);
    expect(code).toBe(2);
    expect(err).toContain('INCOME (no such column)');
    expect(err).toContain('Available features: BALANCE, BALANCE_FREQUENCY');
  });

  it('reports a non-numeric cell with file, line and column', async () => {
    const lines = CSV.split('\n');
    lines[5] = lines[5]!.replace(/^(C\d+),[^,]+,/, '$1,lots,');
    const { code, err } = await failing(['bad.csv', '--k', '3'], { 'bad.csv': lines.join('\n') });
    expect(code).toBe(2);
    expect(err).toMatch(/bad\.csv, line 6, column BALANCE/);
  });

  it('tells a CLI user to run the command again, not to upload again', async () => {
    const { code, err } = await failing(['dup.csv'], {
      'dup.csv': 'CUST_ID,BALANCE,BALANCE\nC1,1,2\nC2,3,4\n',
    });
    expect(code).toBe(2);
    expect(err).toMatch(/distinct name in the first line, then run the command again\./);
    expect(err).not.toContain('upload');
  });

  it('rejects an empty file', async () => {
    const { code, err } = await failing(['empty.csv'], { 'empty.csv': '' });
    expect(code).toBe(2);
    expect(err).toContain('empty.csv');
  });

  it('writes nothing and says so when the JSON folder does not exist', async () => {
    const { code, err, io } = await failing(['c.csv', '--k', '3', '--json', '/missing/out.json']);
    expect(code).toBe(2);
    expect(err).toContain('Cannot write /missing/out.json: the folder does not exist.');
    expect(io.files.has('/missing/out.json')).toBe(false);
  });

  it('turns an unexpected failure into a generic message and exit code 1', async () => {
    const io = fakeIo();
    io.readFile = async () => {
      throw new Error('disk on fire at /secret/path');
    };
    const code = await runCli(['segment', 'c.csv'], io);
    expect(code).toBe(1);
    expect(io.err).toContain('Something went wrong');
    expect(io.err).not.toContain('/secret/path');
  });
});

describe('parseSegmentArgs', () => {
  it('applies the defaults', () => {
    expect(parseSegmentArgs(['c.csv'])).toEqual({
      file: 'c.csv',
      k: 'auto',
      seed: 42,
      features: undefined,
      log: 'auto',
      method: 'kmeans',
      covariance: undefined,
      json: undefined,
    });
  });

  it('reads --method and --covariance and refuses what they cannot mean', () => {
    expect(parseSegmentArgs(['c.csv', '--method', 'GMM', '--covariance=diag'])).toMatchObject({
      method: 'gmm',
      covariance: 'diag',
    });
    expect(() => parseSegmentArgs(['c.csv', '--method', 'dbscan'])).toThrow(
      /kmeans, gmm, density or compare/,
    );
    expect(() => parseSegmentArgs(['c.csv', '--method', 'density', '--k', '4'])).toThrow(/own number/);
    expect(() => parseSegmentArgs(['c.csv', '--covariance', 'diag'])).toThrow(/--method gmm/);
  });

  it('accepts --opt=value and trims feature names', () => {
    expect(parseSegmentArgs(['--k=7', 'c.csv', '--features= A , B', '--log=NONE'])).toMatchObject({
      k: 7,
      features: ['A', 'B'],
      log: 'none',
    });
  });

  it('returns null for --help and throws BadInputError for nonsense', () => {
    expect(parseSegmentArgs(['--help'])).toBeNull();
    expect(() => parseSegmentArgs(['c.csv', '--k'])).toThrow(BadInputError);
  });
});
