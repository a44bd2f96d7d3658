import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors.js';
import { packScores, transferList, unpackScores } from '../../../src/jobs/packed-scores.js';
import { createWorkerPropensity, inThreadPropensity } from '../../../src/jobs/propensity-in-worker.js';
import { ingestText, plantedCsv } from '../analytics/predict/propensity-fixture.js';

describe('propensity in a worker thread', () => {
  it('gives the same result, model and scores as in this thread', async () => {
    const ingest = await ingestText(plantedCsv(3_000, 5));
    const options = { product: 'HAS_LOAN', seed: 3, forest: { nTrees: 20 } };
    const inWorker = await createWorkerPropensity().train(ingest, options);
    const here = await inThreadPropensity.train(ingest, options);
    expect(inWorker.result).toEqual(here.result);
    expect(inWorker.model).toEqual(here.model);
    expect(inWorker.result.scores.length).toBeGreaterThan(2_000);

    const rescored = await createWorkerPropensity().score(here.model!, ingest);
    expect(rescored).toEqual(await inThreadPropensity.score(here.model!, ingest));
    expect(rescored.map((s) => s.customerId)).toContain(here.result.scores[0]!.customerId);
  });

  it('brings back the engine’s own error, hint included', async () => {
    const ingest = await ingestText(plantedCsv(400, 5));
    const error = await createWorkerPropensity()
      .train(ingest, { product: 'credit card' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).message).toMatch(/credit card/);
  });

  it('packs scores into typed arrays and back without loss', () => {
    const scores = [
      {
        customerId: 'C7',
        row: 6,
        probability: 0.91,
        decile: 1,
        holds: false,
        reasons: ['balance high (+8 pts)', 'no housing loan (+3 pts)', 'age low (+1 pts)'],
      },
      {
        customerId: 'C2',
        row: 1,
        probability: 1 / 3,
        decile: 4,
        holds: true,
        reasons: ['balance high (+8 pts)'],
      },
      { customerId: 'C3', row: 2, probability: 0.1, decile: 9, holds: false, reasons: [] },
    ];
    const packed = packScores(scores);
    expect(transferList(packed)).toHaveLength(5);
    // A text shared by two customers crosses once.
    expect(packed.reasonTexts).toHaveLength(3);
    const ids = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'];
    expect(unpackScores(packed, ids)).toEqual(scores);
  });
});
