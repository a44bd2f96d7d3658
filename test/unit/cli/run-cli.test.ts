import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion, writeFileAtomic } from '../../../src/cli/io.js';
import { runCli, USAGE } from '../../../src/cli/run-cli.js';
import { SEGMENT_USAGE } from '../../../src/cli/segment.js';
import { fakeIo } from './fake-io.js';

describe('runCli', () => {
  it('prints the usage for help, --help and -h', async () => {
    for (const flag of ['help', '--help', '-h']) {
      const io = fakeIo();
      expect(await runCli([flag], io)).toBe(0);
      expect(io.out).toBe(USAGE);
    }
  });

  it('prints the usage and exits 2 without a command', async () => {
    const io = fakeIo();
    expect(await runCli([], io)).toBe(2);
    expect(io.out).toContain('segbot segment <customers.csv>');
  });

  it('prints the version', async () => {
    const io = fakeIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out).toBe('9.9.9\n');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const io = fakeIo();
    expect(await runCli(['segmnt', 'x.csv'], io)).toBe(2);
    expect(io.err).toContain('Unknown command "segmnt"');
  });

  it('shows the segment options', async () => {
    const io = fakeIo();
    expect(await runCli(['segment', '--help'], io)).toBe(0);
    expect(io.out).toBe(SEGMENT_USAGE);
  });

  it('shows how to start the bot without starting it', async () => {
    const io = fakeIo();
    expect(await runCli(['start', '--help'], io)).toBe(0);
    expect(io.out).toContain('Usage: segbot start');
  });
});

describe('CLI io helpers', () => {
  it('reads the version from the package.json above the source', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('writes a file whole and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'segbot-cli-'));
    try {
      await writeFileAtomic(join(dir, 'out.json'), '{"k":3}\n');
      expect(await readFile(join(dir, 'out.json'), 'utf8')).toBe('{"k":3}\n');
      expect(await readdir(dir)).toEqual(['out.json']);
      await expect(writeFileAtomic(join(dir, 'no', 'out.json'), 'x')).rejects.toMatchObject({
        code: 'ENOENT',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
