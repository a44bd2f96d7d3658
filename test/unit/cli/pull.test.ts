import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { type SourceFixtures, writeSourceFixtures } from '../../helpers/source-fixtures.js';
import { fakeIo } from './fake-io.js';

describe('segbot pull', () => {
  let f: SourceFixtures;
  beforeAll(async () => {
    f = await writeSourceFixtures({ rows: 120, connectionEnv: 'CLI_PULL_URL' });
  });

  it('writes a CSV source to --out as checked, and prints the quality summary', async () => {
    const io = Object.assign(fakeIo(), { env: { SEGBOT_SOURCES_FILE: f.sourcesFile } });
    expect(await runCli(['pull', 'extract', '--out', 'pulled.csv'], io)).toBe(0);
    expect(io.err).toMatch(/segbot pull: extract \(csv\): 120 rows, 18 columns written to pulled\.csv/);
    // Same rows and cells as the source file (a CSV source is read as text, cell for cell).
    expect(String(Buffer.from(io.files.get('pulled.csv') as Uint8Array))).toBe(
      readFileSync(f.csvPath, 'utf8'),
    );
  });

  it('pulls Parquet files to standard output, which `segbot segment` then reads', async () => {
    const io = Object.assign(fakeIo(), { env: { SEGBOT_SOURCES_FILE: f.sourcesFile } });
    expect(await runCli(['pull', 'lake'], io)).toBe(0);
    expect(io.out.trimEnd().split('\n')).toHaveLength(121);
    const segment = fakeIo({ 'lake.csv': io.out });
    expect(await runCli(['segment', 'lake.csv', '--k', '3'], segment)).toBe(0);
    expect(segment.out).toMatch(/120 customers/);
  });

  it('exits 2 naming the unset variable or the unknown source, and writes nothing', async () => {
    const io = Object.assign(fakeIo(), { env: { SEGBOT_SOURCES_FILE: f.sourcesFile } });
    expect(await runCli(['pull', 'warehouse', '--out', 'w.csv'], io)).toBe(2);
    expect(io.err).toMatch(/CLI_PULL_URL, which is not set/);
    expect(io.files.has('w.csv')).toBe(false);
    const unknown = Object.assign(fakeIo(), { env: { SEGBOT_SOURCES_FILE: f.sourcesFile } });
    expect(await runCli(['pull', 'elsewhere'], unknown)).toBe(2);
    expect(unknown.err).toMatch(/Configured sources: extract, lake, warehouse/);
  });
});
