import { describe, expect, it } from 'vitest';
import { generateUptake, uptakeCsv } from '../../../src/analytics/predict/generate-uptake.js';
import { parsePredictArgs } from '../../../src/cli/predict.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { BadInputError } from '../../../src/errors.js';
import { fakeIo } from './fake-io.js';

const CSV = uptakeCsv(generateUptake({ rows: 1500, numeric: 6, categorical: 1, seed: 4, baseRate: 0.2 }), {
  productColumn: 'has_personal_loan',
});

interface PredictJson {
  auc: number;
  baseRate: number;
  liftTopDecile: number;
  trusted: boolean;
  importances: { feature: string; importance: number }[];
  model: string;
  models: { model: string; validationAuc: number; testAuc: number }[];
  scoredFile: string;
  scores: { customerId: string; probability: number; decile: number }[];
  customerList: { unknown: string[]; duplicates: string[] } | null;
  rules: { rules: { text: string; rate: number }[] };
}

describe('segbot predict', () => {
  it('prints held-out metrics, the drivers and the top customers, and writes JSON', async () => {
    const io = fakeIo({ 'data/c.csv': CSV });
    const code = await runCli(
      [
        'predict',
        'data/c.csv',
        '--product',
        'personal loan',
        '--trees',
        '20',
        '--top',
        '3',
        '--json',
        'out.json',
        '--csv',
        'scores.csv',
      ],
      io,
    );
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toContain('segbot predict: c.csv, product has_personal_loan (personal loan)');
    expect(io.out).toMatch(/Held out for testing: 375 customers never used in training/);
    expect(io.out).toMatch(
      /ROC AUC\s+0\.\d{3}\n {2}Chosen by validation: (boosting|forest|logistic)\. On held-out customers: boosting 0\.\d{3} · forest 0\.\d{3} · logistic 0\.\d{3}\./,
    );
    expect(io.out).toMatch(
      /On customers it never saw, the top 10% it picks hold personal loan \d+\.\d× as often as average/,
    );
    expect(io.out).toMatch(/Top 3 of [\d,]+ customers without personal loan, most likely first:/);
    expect(
      io.out
        .split('\n')
        .filter((line) => /^ {2}U1\d{5}\s+0\.\d{3}\s+\d+ {2}\S.* \(\+[\d.]+ pts\)/.test(line)),
    ).toHaveLength(3);
    expect(io.out).toMatch(/^ {2}\S+\s+\d+\.\d%\s+higher .+ → (more|less) likely$/m);
    expect(io.out).toMatch(
      /Rules for a campaign tool \(share with personal loan among the 375 held-out customers; [\d.]+% overall\):/,
    );
    expect(io.out).toContain('Scores with reasons written to scores.csv');
    const csv = String(io.files.get('scores.csv')).trimEnd().split('\n');
    expect(csv[0]).toBe('customer_id,probability,decile,reason_1,reason_2,reason_3');
    const json = JSON.parse(String(io.files.get('out.json'))) as PredictJson;
    expect(csv).toHaveLength(json.scores.length + 1);
    expect(json.rules.rules.length).toBeGreaterThan(0);
    expect(json.auc).toBeGreaterThan(0.7);
    expect(json.baseRate).toBeCloseTo(0.2, 1);
    expect(json.liftTopDecile).toBeGreaterThan(1.5);
    expect(json.importances.length).toBe(7);
    expect(json.models.map((m) => m.model)).toEqual(['boosting', 'forest', 'logistic']);
    const bestOnValidation = json.models.reduce((a, b) => (b.validationAuc > a.validationAuc ? b : a));
    expect(json.model).toBe(bestOnValidation.model);
    expect(json.auc).toBe(bestOnValidation.testAuc);
    expect(json.scores.length).toBeGreaterThan(1000);
    expect(json.scores[0]).toEqual({
      customerId: expect.stringMatching(/^U1/),
      probability: expect.any(Number),
      decile: 1,
      holds: false,
      reasons: expect.arrayContaining([expect.stringMatching(/ \(\+[\d.]+ pts\)$/)]),
    });
  });

  it('scores a customer list and reports ids it does not know and ids listed twice', async () => {
    const ids = 'customer_id\nU100003\nU100004\nU100004\nZ999\n';
    const io = fakeIo({ 'c.csv': CSV, 'ids.csv': ids });
    const code = await runCli(
      [
        'predict',
        'c.csv',
        '--product',
        'has_personal_loan',
        '--customers',
        'ids.csv',
        '--trees',
        '10',
        '--json',
        'o.json',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.out).toContain('Customer list: 3 ids, 2 found in the dataset');
    expect(io.out).toContain('1 not in the dataset (not scored): Z999');
    expect(io.out).toContain('1 listed more than once (scored once): U100004');
    const json = JSON.parse(String(io.files.get('o.json'))) as PredictJson;
    expect(json.scores.map((s) => s.customerId).sort()).toEqual(['U100003', 'U100004']);
    expect(json.customerList).toMatchObject({ unknown: ['Z999'], duplicates: ['U100004'] });
  });

  it('applies the model to another file whose product column is absent', async () => {
    const prospects = uptakeCsv(generateUptake({ rows: 200, numeric: 6, categorical: 1, seed: 99 }));
    const io = fakeIo({ 'c.csv': CSV, 'new.csv': prospects });
    const code = await runCli(
      [
        'predict',
        'c.csv',
        '--product',
        'has_personal_loan',
        '--score',
        'new.csv',
        '--trees',
        '10',
        '--json',
        'o.json',
      ],
      io,
    );
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toMatch(/Top 10 of 200 customers in new\.csv/);
    const json = JSON.parse(String(io.files.get('o.json'))) as PredictJson;
    expect(json.scoredFile).toBe('new.csv');
    expect(json.scores).toHaveLength(200);
  });

  it('leaves out of training the columns the file to score lacks, and says so', async () => {
    const prospects = uptakeCsv(generateUptake({ rows: 200, numeric: 6, categorical: 1, seed: 99 }))
      .trim()
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .filter((_, i) => i !== 3)
          .join(','),
      )
      .join('\n');
    const io = fakeIo({ 'c.csv': CSV, 'new.csv': `${prospects}\n` });
    const code = await runCli(
      [
        'predict',
        'c.csv',
        '--product',
        'has_personal_loan',
        '--score',
        'new.csv',
        '--exclude',
        'x01',
        '--trees',
        '10',
        '--json',
        'o.json',
      ],
      io,
    );
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toMatch(/Left out of training because new\.csv lacks them: X03\./);
    const json = JSON.parse(String(io.files.get('o.json'))) as PredictJson & {
      features: string[];
      selection: { exclude: string[] };
      warnings: string[];
    };
    expect(json.features).toEqual(['X02', 'X04', 'X05', 'X06', 'REGION1']);
    expect(json.selection.exclude).toEqual(['X01', 'X03']);
    expect(json.warnings).toEqual([]);
    expect(json.scores).toHaveLength(200);
  });

  it('trains on only the --features it is given and names an unknown one', async () => {
    const io = fakeIo({ 'c.csv': CSV });
    const code = await runCli(
      [
        'predict',
        'c.csv',
        '--product',
        'has_personal_loan',
        '--features',
        'X01,REGION1',
        '--trees',
        '10',
        '--json',
        'o.json',
      ],
      io,
    );
    expect(code).toBe(0);
    const json = JSON.parse(String(io.files.get('o.json'))) as { features: string[] };
    expect(json.features).toEqual(['X01', 'REGION1']);
    const bad = fakeIo({ 'c.csv': CSV });
    expect(
      await runCli(['predict', 'c.csv', '--product', 'has_personal_loan', '--exclude', 'X09'], bad),
    ).toBe(2);
    expect(bad.err).toMatch(/no column called "X09".*\n.*Usable columns: X01, X02/s);
  });

  it('says a product with too few holders cannot be trusted, without numbers', async () => {
    const few = uptakeCsv(
      generateUptake({ rows: 200, numeric: 6, categorical: 0, seed: 4, baseRate: 0.05 }),
      {
        productColumn: 'has_gold_card',
      },
    );
    const io = fakeIo({ 'c.csv': few });
    expect(await runCli(['predict', 'c.csv', '--product', 'has_gold_card', '--json', 'o.json'], io)).toBe(0);
    expect(io.out).toMatch(/Too few customers hold gold card/);
    expect(io.out).not.toContain('ROC AUC');
    const json = JSON.parse(String(io.files.get('o.json'))) as PredictJson;
    expect(json.trusted).toBe(false);
    expect(json.scores).toEqual([]);
  });

  it('turns bad input into a message and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['predict', 'c.csv'], /Say which product to predict/],
      [
        ['predict', 'c.csv', '--product', 'persnal loan'],
        /no product called "persnal loan"[\s\S]*Did you mean personal loan/,
      ],
      [['predict', 'c.csv', '--product', 'X01'], /X01 is not a product-holding flag/],
      [['predict', 'nope.csv', '--product', 'x'], /File not found: nope\.csv/],
      [
        ['predict', 'c.csv', '--product', 'has_personal_loan', '--customers', 'ids.csv'],
        /None of the 2 customer ids in ids\.csv/,
      ],
      [
        ['predict', 'c.csv', '--product', 'has_personal_loan', '--top', 'ten'],
        /--top must be a whole number/,
      ],
      [['predict', 'c.csv', '--bogus'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const io = fakeIo({ 'c.csv': CSV, 'ids.csv': 'A1\nA2\n' });
      expect(await runCli(args, io)).toBe(2);
      expect(io.err).toMatch(message);
      expect(io.err).not.toMatch(/\n\s+at /);
    }
  });

  it('prints help', async () => {
    const io = fakeIo();
    expect(await runCli(['predict', '--help'], io)).toBe(0);
    expect(io.out).toContain('Usage: segbot predict <customers.csv> --product COL');
    expect(parsePredictArgs(['a.csv', '--product', 'p'])).toMatchObject({ top: 10, seed: 42, trees: 100 });
    expect(() => parsePredictArgs(['a.csv', 'b.csv', '--product', 'p'])).toThrow(BadInputError);
  });
});
