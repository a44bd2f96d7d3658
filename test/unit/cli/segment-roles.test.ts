import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { fakeIo } from './fake-io.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/csv/roles/no-id-oddities.csv', import.meta.url));

interface RolesJson {
  k: number;
  params: { features: string[] };
  quality: { notes: string[]; dropped: { name: string; reason: string }[] };
}

describe('segbot segment FILE --k auto --json on a table with a description row, no id and odd columns', () => {
  it('leaves row numbers, names and yes/no columns out of the features, and names every oddity', async () => {
    const io = fakeIo({ 'odd.csv': readFileSync(FIXTURE) });
    const code = await runCli(['segment', 'odd.csv', '--k', 'auto', '--json', 'out.json'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(String(io.files.get('out.json'))) as RolesJson;
    expect(json.k).toBeGreaterThanOrEqual(3);
    expect(json.k).toBeLessThanOrEqual(8);
    expect(json.params.features).toEqual(['edad', 'saldo', 'pdays', 'ocupacion']);
    const notes = json.quality.notes.join('\n');
    expect(notes).toContain('No id column: row numbers are used as ids');
    expect(notes).toContain(
      'Line 2 describes the columns (descriptions or units), not a customer: it was skipped.',
    );
    expect(notes).toMatch(/32 values of pdays \(80\.0%\) were -1, a placeholder/);
    expect(notes).toMatch(/10 values of ocupacion \(25\.0%\) are "unknown"/);
    const dropped = json.quality.dropped.map((d) => `${d.name}: ${d.reason}`).join('\n');
    expect(dropped).toMatch(/RowNumber: a row number/);
    expect(dropped).toMatch(/apellido: a personal name/);
    expect(notes).toMatch(/Yes\/no columns \(ind_actividad_cliente, Estado\)/);
  });
});
