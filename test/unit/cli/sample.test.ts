import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { fakeIo } from './fake-io.js';

describe('segbot sample', () => {
  it('writes the requested number of customers in the CC GENERAL schema, the same for the same seed', async () => {
    const first = fakeIo();
    expect(await runCli(['sample', '--rows', '25', '--seed', '7'], first)).toBe(0);
    const lines = first.out.trimEnd().split('\n');
    expect(lines).toHaveLength(26);
    expect(lines[0]!.split(',')).toHaveLength(18);
    expect(lines[0]!.startsWith('CUST_ID,BALANCE,')).toBe(true);

    const again = fakeIo();
    await runCli(['sample', '--rows', '25', '--seed', '7'], again);
    expect(again.out).toBe(first.out);
    const other = fakeIo();
    await runCli(['sample', '--rows', '25', '--seed', '8'], other);
    expect(other.out).not.toBe(first.out);
  });

  it('adds product flags and writes to a file', async () => {
    const io = fakeIo();
    expect(await runCli(['sample', '--rows', '10', '--products', '--out', 'c.csv'], io)).toBe(0);
    const header = String(io.files.get('c.csv')).split('\n')[0]!;
    expect(header).toContain('has_personal_loan');
    expect(io.err).toContain('Wrote 10 customers to c.csv');
  });

  it('rejects bad options with exit code 2 and a hint', async () => {
    const io = fakeIo();
    expect(await runCli(['sample', '--rows', 'many'], io)).toBe(2);
    expect(io.err).toContain('--rows must be a whole number');
    expect(io.err).toContain('segbot sample --help');
    expect(io.err).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
