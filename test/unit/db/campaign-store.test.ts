import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageDatabase } from '../../../db/client-pg.js';
import { createCampaignStore, type NewCampaign } from '../../../db/repositories/campaign-store.js';
import { execute, storageBackends } from '../../helpers/storage-backends.js';

describe.each(storageBackends())('on $name', (backend) => {
  let database: StorageDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.close());

  const campaign: NewCampaign = {
    channelId: 'C1',
    name: 'Loan push',
    datasetId: 1,
    runId: null,
    product: 'loan',
    definition: {
      segments: [{ index: 0, name: 'Revolvers' }],
      productLabel: 'loan',
      cut: { kind: 'top', count: 3 },
      holdout: 0.1,
      seed: 42,
      eligible: 3,
      suppressed: { deceased: 1, 'opted out': 0, employee: 0, 'suppression list': 0 },
      excluded: 0,
      treatment: 2,
      control: 1,
      baseRate: 0.1,
      power: 'With 2 contacted…',
    },
    createdBy: 'U1',
    members: [
      { customerId: 'a', group: 'treatment', segment: 'Revolvers', score: 0.9, decile: 1 },
      { customerId: 'b', group: 'control', segment: 'Revolvers', score: 0.8, decile: 1 },
      { customerId: 'c', group: 'treatment', segment: 'Revolvers', score: 0.7, decile: 2 },
    ],
  };

  describe('campaign store', () => {
    it('stores a campaign with its assignment and reads it back by name in any case', async () => {
      const store = createCampaignStore(database);
      const created = await store.createCampaign(campaign);
      const found = await store.findCampaign('C1', '  LOAN   push ');
      expect(found?.id).toBe(created.id);
      expect(found?.definition).toEqual(campaign.definition);
      expect((await store.members(created.id, 'treatment')).map((m) => m.customerId)).toEqual(['a', 'c']);
      expect((await store.members(created.id, 'control')).map((m) => m.customerId)).toEqual(['b']);
      expect(await store.findCampaign('C2', 'Loan push')).toBeNull();
    });

    it('refuses a second campaign of the same name in the channel', async () => {
      const store = createCampaignStore(database);
      await store.createCampaign(campaign);
      await expect(store.createCampaign({ ...campaign, name: 'loan push' })).rejects.toThrow(
        /already has a campaign/,
      );
      expect(await store.listCampaigns('C1')).toHaveLength(1);
    });

    it('refuses any change to an assignment', async () => {
      const store = createCampaignStore(database);
      await store.createCampaign(campaign);
      await expect(execute(database, "UPDATE campaign_members SET group_name = 'treatment'")).rejects.toThrow(
        /immutable/,
      );
      expect(await store.members(1, 'control')).toHaveLength(1);
    });

    it('closes a campaign, keeps its latest result, and lists only live ones as live', async () => {
      const store = createCampaignStore(database);
      const created = await store.createCampaign(campaign);
      await store.saveResult(created.id, {
        source: 'responder list',
        sourceFile: 'r.csv',
        measuredAt: '2026-12-05T00:00:00.000Z',
        treatment: { customers: 2, conversions: 1 },
        control: { customers: 1, conversions: 0 },
        absoluteLift: 0.5,
        lower: -0.2,
        upper: 0.9,
        relativeLift: null,
        incrementalConversions: 1,
        verdict: 'inconclusive',
        verdictText: 'inconclusive: the interval includes zero',
        unmatched: 0,
        outsiders: 0,
      });
      expect(await store.liveCampaigns('C1')).toHaveLength(1);
      await store.closeCampaign(created.id);
      expect(await store.liveCampaigns('C1')).toHaveLength(0);
      const closed = await store.findCampaign('C1', 'Loan push');
      expect(closed?.status).toBe('closed');
      expect(closed?.latestResult?.verdict).toBe('inconclusive');
    });

    it('replaces the suppression list per channel', async () => {
      const store = createCampaignStore(database);
      expect(await store.replaceSuppressionList('C1', ['x', 'y', 'x'], 'U1')).toBe(2);
      expect(await store.replaceSuppressionList('C1', ['z'], 'U1')).toBe(1);
      expect([...(await store.suppressionList('C1'))]).toEqual(['z']);
      expect((await store.suppressionList('C2')).size).toBe(0);
    });
  });
});
