import { describe, expect, it } from 'vitest';
import { rocAuc, stratifiedSplit } from '../../../../src/analytics/predict/evaluate.js';
import {
  chooseFeatures,
  matchCustomers,
  type PropensityModel,
  resolveProduct,
  scoreTable,
  trainPropensity,
} from '../../../../src/analytics/predict/train-propensity.js';
import { BadInputError } from '../../../../src/errors.js';
import { ingestText, plantedCsv } from './propensity-fixture.js';

const forest = { nTrees: 30 };

describe('resolveProduct', () => {
  it('accepts the column, its label and any letter case, and suggests the closest otherwise', async () => {
    const ingest = await ingestText(plantedCsv(200));
    expect(resolveProduct(ingest, 'HAS_LOAN')).toEqual({ column: 'HAS_LOAN', label: 'loan' });
    expect(resolveProduct(ingest, 'loan').column).toBe('HAS_LOAN');
    expect(resolveProduct(ingest, 'has_card').column).toBe('HAS_CARD');
    expect(() => resolveProduct(ingest, 'HAS_LAON')).toThrow(/no product called "HAS_LAON"/);
    const error = (() => {
      try {
        resolveProduct(ingest, 'cards');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).hint).toMatch(/^Did you mean card \(HAS_CARD\)\?/);
    expect(() => resolveProduct(ingest, 'X01')).toThrow(/X01 is not a product-holding flag/);
  });

  it('takes part of a product name when only one product has those words, and suggests only near misses', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) =>
        `C${i},${(i * 37) % 101},${i % 2},${i % 3 === 0 ? 1 : 0},${i % 5 === 0 ? 1 : 0},${i % 7 === 0 ? 1 : 0}`,
    );
    const ingest = await ingestText(
      `CUST_ID,BALANCE,has_credit_card_upgrade,has_personal_loan,has_savings_account,has_business_loan\n${rows.join('\n')}\n`,
    );
    expect(resolveProduct(ingest, 'credit card').column).toBe('has_credit_card_upgrade');
    expect(resolveProduct(ingest, 'Savings').column).toBe('has_savings_account');
    expect(resolveProduct(ingest, 'personal loan').column).toBe('has_personal_loan');
    const thrown = (name: string) => {
      try {
        resolveProduct(ingest, name);
      } catch (caught) {
        return caught as BadInputError;
      }
      throw new Error(`${name} was accepted`);
    };
    // Two products are loans: a guess would train the wrong model.
    const loan = thrown('loan');
    expect(loan.message).toBe('"loan" fits more than one product in customers.csv.');
    expect(loan.hint).toMatch(/^Which one: personal loan \(has_personal_loan\) or business loan/);
    const nope = thrown('nope');
    expect(nope.message).toMatch(/no product called "nope"/);
    expect(nope.hint).not.toMatch(/Did you mean/);
    expect(nope.hint).toMatch(/^Products: credit card upgrade/);
  });

  it('explains a product nobody or everybody holds', async () => {
    const none = plantedCsv(100).replace(/,1\n/g, ',0\n');
    const ingest = await ingestText(none.replace('HAS_CARD', 'HAS_GOLD'));
    // Every HAS_GOLD value is 0: the schema calls the column constant.
    expect(() => resolveProduct(ingest, 'HAS_GOLD')).toThrow(/same value for every customer/);
  });
});

describe('trainPropensity', () => {
  it('refuses a product flag nobody holds', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `C${i},${(i * 37) % 101},${i % 3 === 0 ? 1 : 0},0`);
    const ingest = await ingestText(`id,balance,ind_cco_fin_ult1,ind_tjcr_fin_ult1\n${rows.join('\n')}\n`);
    await expect(trainPropensity(ingest, { product: 'credit card', forest })).rejects.toThrow(
      /No customer holds credit card \(ind_tjcr_fin_ult1\) in customers\.csv/,
    );
  });

  it('reports honest held-out numbers and scores the customers who do not hold the product', async () => {
    const ingest = await ingestText(plantedCsv(3000));
    const { result, model } = await trainPropensity(ingest, { product: 'loan', seed: 1, forest });
    expect(result.trusted).toBe(true);
    expect(result.product).toBe('HAS_LOAN');
    expect(result.auc!).toBeGreaterThan(0.75);
    expect(result.liftTopDecile!).toBeGreaterThan(2);
    expect(result.heldOut).toEqual({ customers: 750, holders: Math.round(result.holders * 0.25) });
    expect(result.gains).toHaveLength(10);
    expect(result.calibration[0]!.predicted).toBeGreaterThan(result.calibration[9]!.predicted);
    expect(result.features).toEqual(['X01', 'X02', 'X03', 'X04', 'X05', 'X06', 'REGION1', 'HAS_CARD']);
    expect(result.importances[0]!.feature).toMatch(/X0[1-4]/);
    expect(result.baselineAuc).not.toBeNull();
    expect(typeof result.beatsBaseline).toBe('boolean');
    expect(result.summary).toMatch(
      /^On customers it never saw, the top 10% it picks hold loan \d+\.\d× as often/,
    );
    expect(result.scores).toHaveLength(3000 - result.holders);
    expect(result.scores.every((s) => !s.holds)).toBe(true);
    for (let k = 1; k < result.scores.length; k++) {
      expect(result.scores[k]!.probability).toBeLessThanOrEqual(result.scores[k - 1]!.probability);
    }
    expect(result.scores[0]!.decile).toBe(1);
    expect(model!.fingerprint).toBe(ingest.table.fingerprint);
    // The same seed gives the same answer.
    const again = await trainPropensity(ingest, { product: 'loan', seed: 1, forest });
    expect(again.result.auc).toBe(result.auc);
    expect(again.result.scores.slice(0, 20)).toEqual(result.scores.slice(0, 20));
  });

  it('reports the held-out AUCs of the models it chose between, and scores with that model from REFIT_BELOW on', async () => {
    const ingest = await ingestText(plantedCsv(2000, 5));
    const labels = Uint8Array.from(
      ingest.table.columns.find((c) => c.name === 'HAS_LOAN')!.values as ArrayLike<number>,
    );
    // trainPropensity's own split: every row is labelled here, so its positions are table rows.
    const test = stratifiedSplit(labels, { testFraction: 0.25, seed: 1 }).test;
    const heldOutAuc = async (model: PropensityModel): Promise<number> => {
      const byRow = new Map((await scoreTable(model, ingest)).map((s) => [s.row, s.probability]));
      return rocAuc(
        Float64Array.from(test, (row) => byRow.get(row)!),
        Uint8Array.from(test, (row) => labels[row]!),
      );
    };
    const kept = await trainPropensity(ingest, { product: 'loan', seed: 1, forest, refitBelow: 0 });
    const chosen = kept.result.models.find((m) => m.model === kept.result.model)!;
    expect(chosen.testAuc).toBe(kept.result.auc);
    // No refit: the stored model is exactly the one measured on the held-out customers.
    expect(await heldOutAuc(kept.model!)).toBeCloseTo(kept.result.auc!, 12);
    const refitted = await trainPropensity(ingest, { product: 'loan', seed: 1, forest });
    expect(refitted.result.auc).toBe(kept.result.auc);
    // A small table is refitted on every labelled customer, test customers included, so the stored
    // model ranks them better than the reported (honest) held-out AUC.
    expect(await heldOutAuc(refitted.model!)).toBeGreaterThan(refitted.result.auc! + 0.005);
  });

  it('uses the other products as features but never the id or the product itself', async () => {
    const ingest = await ingestText(plantedCsv(100));
    const names = chooseFeatures(ingest, 'HAS_CARD').map((f) => f.name);
    expect(names).toContain('HAS_LOAN');
    expect(names).not.toContain('HAS_CARD');
    expect(names).not.toContain('CUST_ID');
  });

  it('says it cannot be trusted with fewer than 30 holders and gives no numbers', async () => {
    const ingest = await ingestText(plantedCsv(150, 3, 0.08));
    const { result, model } = await trainPropensity(ingest, { product: 'HAS_LOAN', forest });
    expect(result.holders).toBeLessThan(30);
    expect(result.trusted).toBe(false);
    expect(result.auc).toBeNull();
    expect(result.scores).toEqual([]);
    expect(model).toBeNull();
    expect(result.summary).toMatch(/cannot be trusted|Too few customers/);
  });

  it('scores exactly the listed customers and reports unknown and duplicate ids', async () => {
    const ingest = await ingestText(plantedCsv(400));
    const list = ['U100001', 'U100002', 'U100002', 'NOPE', ' U100003 ', ''];
    const { result } = await trainPropensity(ingest, { product: 'HAS_LOAN', customers: list, forest });
    expect(result.customerList).toEqual({
      requested: 4,
      matched: 3,
      duplicates: ['U100002'],
      unknown: ['NOPE'],
    });
    expect(result.scores.map((s) => s.customerId).sort()).toEqual(['U100001', 'U100002', 'U100003']);
    await expect(
      trainPropensity(ingest, {
        product: 'HAS_LOAN',
        customers: ['A', 'B'],
        customersFile: 'ids.csv',
        forest,
      }),
    ).rejects.toThrow(/None of the 2 customer ids in ids.csv are in the dataset/);
  });

  it('scores another file with the same columns, with or without the product column', async () => {
    const ingest = await ingestText(plantedCsv(1500));
    const { result, model } = await trainPropensity(ingest, { product: 'HAS_LOAN', seed: 2, forest });
    const stored = JSON.parse(JSON.stringify(model)) as PropensityModel;
    // Prospects: the same customers with the product column removed.
    const prospects = plantedCsv(1500)
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .filter((_, j) => j !== 8)
          .join(','),
      )
      .join('\n');
    const scores = await scoreTable(stored, await ingestText(prospects, 'prospects.csv'));
    expect(scores).toHaveLength(1500);
    const byId = new Map(scores.map((s) => [s.customerId, s.probability]));
    for (const s of result.scores.slice(0, 50)) expect(byId.get(s.customerId)).toBe(s.probability);
    const missingColumn = prospects.replace('X03', 'Y03');
    await expect(scoreTable(stored, await ingestText(missingColumn, 'p.csv'))).rejects.toThrow(
      /p\.csv lacks a column the model needs: X03/,
    );
  });
});

describe('matchCustomers', () => {
  it('rejects an empty list', () => {
    expect(() => matchCustomers(['a'], ['', ' '], 'ids.csv')).toThrow(/ids.csv has no customer ids/);
  });
});

describe('any two-valued target', () => {
  /** Customers whose attrition and deposit answers depend on X01; 3 in 10 attrited, 1 in 5 said yes. */
  function outcomesCsv(): string {
    const lines = plantedCsv(2000, 6).trim().split('\n');
    return `${lines
      .map((line, i) => {
        if (i === 0) return `${line},Attrition_Flag,y`;
        const x = Number(line.split(',')[1]);
        const attrited = (x > 6 ? i % 2 === 0 : i % 6 === 0) ? 'Attrited Customer' : 'Existing Customer';
        return `${line},${attrited},${i % 5 === 0 || x > 8 ? 'yes' : 'no'}`;
      })
      .join('\n')}\n`;
  }

  it('predicts the rarer value by default and names the target in readable words', async () => {
    const ingest = await ingestText(outcomesCsv());
    const attrition = (await trainPropensity(ingest, { product: 'Attrition_Flag', forest: { nTrees: 20 } }))
      .result;
    expect(attrition.positive).toBe('Attrited Customer');
    expect(attrition.holders).toBeLessThan(attrition.customers / 2);
    expect(attrition.label).toBe('attrition (Attrition_Flag = Attrited Customer)');
    expect(attrition.holding).toBe(false);
    expect(attrition.summary).toMatch(
      /attrition \(Attrition_Flag = Attrited Customer\) is [\d.]+× as common/,
    );
    const deposit = (await trainPropensity(ingest, { product: 'y', forest: { nTrees: 20 } })).result;
    expect(deposit.label).toBe('subscribed a deposit (y = yes)');
  });

  it('takes COL=VALUE in any letter case, and refuses a value the column does not have', async () => {
    const ingest = await ingestText(outcomesCsv());
    const existing = (
      await trainPropensity(ingest, { product: 'attrition_flag=existing customer', forest: { nTrees: 20 } })
    ).result;
    expect(existing.positive).toBe('Existing Customer');
    expect(existing.label).toBe('Attrition_Flag = Existing Customer');
    expect(existing.holders).toBeGreaterThan(existing.customers / 2);
    expect(existing.askedValue).toBe('existing customer');
    await expect(trainPropensity(ingest, { product: 'Attrition_Flag=Gone' })).rejects.toThrow(
      /has the values .*Attrited Customer.*"Gone" is not one of them/,
    );
  });
});

describe('trainPropensity explanations', () => {
  it('gives drivers with a direction, campaign rules and three reasons per scored customer, here and on another file', async () => {
    const ingest = await ingestText(plantedCsv(3000, 8));
    const { result, model } = await trainPropensity(ingest, { product: 'HAS_LOAN', forest });
    expect(result.drivers.length).toBeGreaterThan(0);
    for (const d of result.drivers) {
      expect(result.features).toContain(d.feature);
      expect(d.text).toMatch(/→ (more|less) likely|both/);
    }
    // X01 is planted to raise uptake.
    expect(result.drivers.find((d) => d.feature === 'X01')?.direction).toBe('up');
    expect(result.rules?.part).toBe('held-out');
    expect(result.rules?.customers).toBe(result.heldOut?.customers);
    expect(result.rules?.rules.length).toBeGreaterThan(0);
    // Customers likely to take it up have reasons; the least likely may have none (nothing raises them).
    const top = result.scores.filter((s) => s.decile === 1);
    expect(top.every((s) => s.reasons.length > 0)).toBe(true);
    expect(result.scores.filter((s) => s.reasons.length > 0).length).toBeGreaterThan(
      result.scores.length * 0.3,
    );
    for (const s of result.scores.slice(0, 50)) {
      expect(s.reasons.length).toBeLessThanOrEqual(3);
      for (const r of s.reasons)
        expect(r).toMatch(/^(x\s?0\d .*|region\s?1 .*|(no|holds) card) \(\+[\d.]+ pts\)$/i);
    }
    const other = await scoreTable(model!, await ingestText(plantedCsv(300, 9), 'new.csv'));
    expect(other.filter((s) => s.decile === 1).every((s) => s.reasons.length > 0)).toBe(true);
  });
});
