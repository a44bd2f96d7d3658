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

/** Runs `segbot segment <fixture> --k auto --json out.json`, checks it exits 0 with k in 3..8, and returns the JSON. */
async function segmentAuto(path: string): Promise<RolesJson> {
  const io = fakeIo({ 'table.csv': readFileSync(path) });
  const code = await runCli(['segment', 'table.csv', '--k', 'auto', '--json', 'out.json'], io);
  expect(io.err).toBe('');
  expect(code).toBe(0);
  const json = JSON.parse(String(io.files.get('out.json'))) as RolesJson;
  expect(json.k).toBeGreaterThanOrEqual(3);
  expect(json.k).toBeLessThanOrEqual(8);
  return json;
}

describe('segbot segment FILE --k auto --json on a table with a description row, no id and odd columns', () => {
  it('leaves row numbers, names and yes/no columns out of the features, and names every oddity', async () => {
    const json = await segmentAuto(FIXTURE);
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

const ATTRITION = fileURLToPath(new URL('../../fixtures/csv/roles/attrition-score.csv', import.meta.url));

describe('segbot segment on an attrition table with a model-score column and dates', () => {
  it('keeps the near-copy score, the two-valued outcome and the dates out of the features, and says why', async () => {
    const json = await segmentAuto(ATTRITION);
    expect(json.params.features).toEqual([
      'Customer_Age',
      'Credit_Limit',
      'Total_Trans_Amt',
      'Total_Trans_Ct',
      'Months_on_book',
    ]);
    const dropped = json.quality.dropped.map((d) => `${d.name}: ${d.reason}`).join('\n');
    expect(dropped).toMatch(
      /Naive_Bayes_Classifier_Attrition_Flag_1: a near-copy of the yes\/no column Attrition_Flag \(correlation 1\.00\)/,
    );
    const notes = json.quality.notes.join('\n');
    expect(notes).toContain('Date columns (Open_Date) are recognised as dates and not clustered on.');
    expect(notes).toMatch(/Yes\/no columns \(Attrition_Flag\)/);
  });
});
