import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { storedErrorText } from '../../../src/errors.js';
import { runSegmentation } from '../../../src/services/run-segmentation.js';
import { sampleCustomersCsv } from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

async function setup() {
  const { deps } = createTestDeps();
  const ingest = await ingestCsv(new TextEncoder().encode(sampleCustomersCsv(150, 3)), { fileName: 'c.csv' });
  const dataset = await deps.datasets.saveDataset({ channelId: 'C0TEST', userId: 'U0ALICE', ingest });
  return { deps, dataset };
}

describe('runSegmentation', () => {
  it('records a completed run with the engine’s result and follows its stages', async () => {
    const { deps, dataset } = await setup();
    const stages: string[] = [];
    const outcome = await runSegmentation(deps, {
      channelId: 'C0TEST',
      userId: 'U0ALICE',
      dataset,
      params: { k: 3, seed: 1 },
      onStage: (stage) => stages.push(stage),
      failureText: () => 'unused',
    });
    if (outcome.status !== 'done') throw new Error('expected a completed run');
    expect(outcome.run.status).toBe('done');
    expect(outcome.run.k).toBe(3);
    expect(outcome.result.labels).toHaveLength(150);
    expect((await deps.runs.latestRun('C0TEST', { status: 'done' }))?.id).toBe(outcome.run.id);
    expect(stages).toContain('cluster');
  });

  it('answers with the caller’s text, stores a text without values, and returns the error instead of throwing', async () => {
    const { deps, dataset } = await setup();
    const boom = new Error('engine broke at value 671.82');
    const outcome = await runSegmentation(
      {
        ...deps,
        segmentCustomers: () => {
          throw boom;
        },
      },
      {
        channelId: 'C0TEST',
        userId: 'U0ALICE',
        dataset,
        params: { k: 3, seed: 1 },
        failureText: (error) => `failed: ${error === boom ? 'the engine' : 'something else'}`,
      },
    );
    expect(outcome).toMatchObject({ status: 'failed', error: boom, message: 'failed: the engine' });
    const run = await deps.runs.latestRun('C0TEST');
    expect(run).toMatchObject({ status: 'failed', error: storedErrorText(boom) });
    expect(run?.error).not.toContain('671.82');
    expect(outcome.status === 'failed' && outcome.runId).toBe(run?.id);
  });
});
