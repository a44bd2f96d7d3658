import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { generateTransactionsCsv } from '../../../src/analytics/transactions/generate-transactions.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { analyseRfmFile } from '../../../src/services/rfm-analysis.js';
import { fakeIo } from './fake-io.js';

/** 400 customers; every 25th is an employee (ind_empleado=A) and must never be in the audience. */
function customers(): string {
  const lines = generateCustomersCsv({ rows: 400, seed: 4 }).trimEnd().split('\n');
  return `${lines.map((line, i) => `${line},${i === 0 ? 'ind_empleado' : i % 25 === 0 ? 'A' : 'N'}`).join('\n')}\n`;
}

const text = (io: ReturnType<typeof fakeIo>, path: string) => {
  const content = io.files.get(path);
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
};

describe('segbot campaign', () => {
  it('builds an audience with a holdout, keeps employees and held-back ids out of the treatment list, and measures lift', async () => {
    const csv = customers();
    const io = fakeIo({ 'customers.csv': csv });
    const code = await runCli(
      [
        'campaign',
        'new',
        'customers.csv',
        '--holdout',
        '20%',
        '--assignment',
        'a.csv',
        '--treatment',
        't.csv',
      ],
      io,
    );
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toMatch(/never contacted: 0 deceased, 0 opted out, 16 employee, 0 suppression list/);
    expect(io.out).toMatch(/Split: 307 to contact, 77 held back \(20\.0%\)/);
    const assignment = text(io, 'a.csv')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const control = assignment.filter((r) => r[1] === 'control').map((r) => r[0]!);
    const treatment = text(io, 't.csv');
    for (const id of control) expect(treatment).not.toContain(`${id},`);
    const employees = csv
      .trimEnd()
      .split('\n')
      .filter((l) => l.endsWith(',A'))
      .map((l) => l.split(',')[0]!);
    for (const id of employees) expect(text(io, 'a.csv')).not.toContain(`${id},`);

    const treated = assignment.filter((r) => r[1] === 'treatment').map((r) => r[0]!);
    io.files.set(
      'responders.csv',
      `CUST_ID\n${treated.slice(0, 150).join('\n')}\n${control.slice(0, 5).join('\n')}\n`,
    );
    const results = await runCli(
      ['campaign', 'results', '--assignment', 'a.csv', '--responders', 'responders.csv'],
      io,
    );
    expect(results).toBe(0);
    expect(io.out).toMatch(/Contacted: 48\.9% converted \(150 of 307\)/);
    expect(io.out).toMatch(/Held back: 6\.5% converted \(5 of 77\)/);
    expect(io.out).toMatch(/Verdict: worked: \+42\.4 pp \(95% CI \+\d+\.\d to \+\d+\.\d\)/);
  });

  it('refuses a holdout outside 5–20% and a cut without a product, with exit code 2', async () => {
    const io = fakeIo({ 'customers.csv': customers() });
    expect(
      await runCli(['campaign', 'new', 'customers.csv', '--assignment', 'a.csv', '--holdout', '50%'], io),
    ).toBe(2);
    expect(io.err).toMatch(/--holdout must be from 5% to 20%/);
    expect(
      await runCli(['campaign', 'new', 'customers.csv', '--assignment', 'a.csv', '--top', '10'], io),
    ).toBe(2);
    expect(io.err).toMatch(/need --product/);
    expect(io.files.has('a.csv')).toBe(false);
  });

  it('targets named RFM segments of a transaction file and labels each assigned customer with one', async () => {
    const tx = generateTransactionsCsv({ customers: 600, seed: 8 });
    const io = fakeIo({ 'tx.csv': tx });
    const code = await runCli(
      ['campaign', 'new', 'tx.csv', '--rfm', "at risk,Can't lose them", '--assignment', 'a.csv'],
      io,
    );
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toMatch(/Audience: RFM segments At risk, Can't lose them: \d+ picked/);
    const { input, result } = await analyseRfmFile(new TextEncoder().encode(tx), { fileName: 'tx.csv' });
    const wanted = new Set(
      input.customerIds.filter(
        (_, i) => result.names[i] === 'At risk' || result.names[i] === "Can't lose them",
      ),
    );
    const rows = text(io, 'a.csv')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(wanted.size).toBeGreaterThan(20);
    expect(rows).toHaveLength(wanted.size);
    for (const [id, , segment] of rows) {
      expect(wanted.has(id!)).toBe(true);
      expect(segment).toBe(result.names[input.customerIds.indexOf(id!)]);
    }
  });

  it('refuses --rfm on a table without recency, frequency and monetary, and an unknown RFM name', async () => {
    const io = fakeIo({
      'customers.csv': customers(),
      'tx.csv': generateTransactionsCsv({ customers: 50, seed: 1 }),
    });
    expect(
      await runCli(['campaign', 'new', 'customers.csv', '--rfm', 'Champions', '--assignment', 'a.csv'], io),
    ).toBe(2);
    expect(io.err).toMatch(/not a transaction file/);
    expect(
      await runCli(['campaign', 'new', 'tx.csv', '--rfm', 'Sleepers', '--assignment', 'a.csv'], io),
    ).toBe(2);
    expect(io.err).toMatch(/No RFM segment is called “Sleepers”/);
    expect(io.err).toMatch(/Champions, Loyal/);
    expect(io.files.has('a.csv')).toBe(false);
  });
});
