import { describe, expect, it } from 'vitest';
import type { CommandDeps, DatasetRecord, RunRecord } from '../../../../commands/deps.js';
import { readCampaignSubmission } from '../../../../commands/interactive/campaign-modal.js';

/** The channel as the submission finds it: dataset 7 (1,000 rows), run 3 with two segments. */
function channel(options: { datasetId?: number; runId?: number; taken?: string[] } = {}) {
  const dataset = { id: options.datasetId ?? 7, rowCount: 1000 } as DatasetRecord;
  const run = {
    id: options.runId ?? 3,
    datasetId: dataset.id,
    segments: [
      { name: 'Revolvers', size: 300 },
      { name: 'Transactors', size: 700 },
    ],
  } as unknown as RunRecord;
  const taken = new Set((options.taken ?? []).map((n) => n.toLowerCase()));
  return {
    datasets: { latestDataset: () => dataset },
    runs: { latestRun: () => run },
    campaigns: { findCampaign: (_c: string, name: string) => (taken.has(name.toLowerCase()) ? {} : null) },
  } as unknown as Pick<CommandDeps, 'datasets' | 'runs' | 'campaigns'>;
}

const METADATA = JSON.stringify({ c: 'C0MARKET', d: 7, r: 3 });

/** Slack's `state.values` for what a person typed and chose. */
function values(input: {
  name?: string;
  segments?: string[];
  product?: string;
  cut?: string;
  top?: string;
  deciles?: string;
  holdout?: string;
}) {
  const text = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  const selected = (value: string | undefined) => ({
    type: 'static_select',
    selected_option: value === undefined ? null : { text: { type: 'plain_text', text: value }, value },
  });
  return {
    name: { name: text(input.name) },
    segments: {
      segments: {
        type: 'multi_static_select',
        selected_options: (input.segments ?? []).map((v) => ({
          text: { type: 'plain_text', text: v },
          value: v,
        })),
      },
    },
    product: { product: selected(input.product) },
    cut: { cut: selected(input.cut ?? 'none') },
    top: { top: text(input.top) },
    deciles: { deciles: text(input.deciles) },
    holdout: { holdout: text(input.holdout ?? '10') },
  } as never;
}

describe('readCampaignSubmission', () => {
  it('turns a valid form into the spec `/segbot campaign new` would build', async () => {
    const result = await readCampaignSubmission(
      channel(),
      METADATA,
      values({
        name: ' Loan push ',
        segments: ['1'],
        product: 'has_loan',
        cut: 'top',
        top: '300',
        holdout: '15%',
      }),
    );
    expect(result).toEqual({
      ok: true,
      channelId: 'C0MARKET',
      spec: {
        name: 'Loan push',
        segments: ['1'],
        rfm: [],
        product: 'has_loan',
        cut: { kind: 'top', count: 300 },
        holdout: 0.15,
        exclude: [],
        seed: 42,
      },
    });
    const deciles = await readCampaignSubmission(
      channel(),
      METADATA,
      values({ name: 'Top tenth', product: 'has_loan', cut: 'deciles', deciles: '1-2', holdout: '0.05' }),
    );
    expect(deciles.ok && deciles.spec.cut).toEqual({ kind: 'deciles', from: 1, to: 2 });
    expect(deciles.ok && deciles.spec.holdout).toBe(0.05);
    expect(deciles.ok && deciles.spec.segments).toEqual([]);
  });

  it('names every mistake on its own input at once', async () => {
    const result = await readCampaignSubmission(
      channel(),
      METADATA,
      values({ name: ' ', cut: 'top', top: '10', holdout: '4' }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['holdout', 'name', 'product']);
  });

  it('bounds the top N by the customers of the chosen segments, or of the data without segments', async () => {
    const over = await readCampaignSubmission(
      channel(),
      METADATA,
      values({ name: 'A', segments: ['1'], product: 'p', cut: 'top', top: '301' }),
    );
    expect(!over.ok && over.errors['top']).toBe(
      'Type a whole number from 1 to 300 (the customers in the chosen segments).',
    );
    const both = await readCampaignSubmission(
      channel(),
      METADATA,
      values({ name: 'A', segments: ['1', '2'], product: 'p', cut: 'top', top: '1000' }),
    );
    expect(both.ok).toBe(true);
    for (const top of ['0', '1001', '12.5', 'ten', '']) {
      const bad = await readCampaignSubmission(
        channel(),
        METADATA,
        values({ name: 'A', product: 'p', cut: 'top', top }),
      );
      expect(!bad.ok && bad.errors['top'], top).toBe(
        'Type a whole number from 1 to 1,000 (the customers in the data).',
      );
    }
  });

  it('refuses bad deciles, a holdout outside 5–20%, a taken name and a segment not in the run', async () => {
    for (const deciles of ['0', '3-1', '11', '1-', 'top']) {
      const bad = await readCampaignSubmission(
        channel(),
        METADATA,
        values({ name: 'A', product: 'p', cut: 'deciles', deciles }),
      );
      expect(!bad.ok && bad.errors['deciles'], deciles).toMatch(/decile from 1 to 10/);
    }
    for (const holdout of ['21', '4.9%', '0.5', '-10', 'ten']) {
      const bad = await readCampaignSubmission(channel(), METADATA, values({ name: 'A', holdout }));
      expect(!bad.ok && bad.errors['holdout'], holdout).toMatch(/from 5 to 20/);
    }
    const taken = await readCampaignSubmission(
      channel({ taken: ['Loan push'] }),
      METADATA,
      values({ name: 'LOAN PUSH' }),
    );
    expect(!taken.ok && taken.errors['name']).toMatch(/already has a campaign/);
    const unknown = await readCampaignSubmission(channel(), METADATA, values({ name: 'A', segments: ['9'] }));
    expect(!unknown.ok && unknown.errors['segments']).toMatch(/from the list/);
  });

  it('refuses a form opened on data or a run that is no longer the latest, and one without its metadata', async () => {
    const newerRun = await readCampaignSubmission(channel({ runId: 4 }), METADATA, values({ name: 'A' }));
    expect(!newerRun.ok && newerRun.errors['name']).toMatch(/changed since this form opened/);
    const newerData = await readCampaignSubmission(
      channel({ datasetId: 8 }),
      METADATA,
      values({ name: 'A' }),
    );
    expect(newerData.ok).toBe(false);
    const broken = await readCampaignSubmission(channel(), '{not json', values({ name: 'A' }));
    expect(!broken.ok && broken.errors['name']).toMatch(/out of date/);
  });
});
