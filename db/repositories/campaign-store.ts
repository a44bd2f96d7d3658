/**
 * Campaigns per channel: the definition and the immutable treatment/control assignment written in
 * one transaction, status changes, the latest measured result, and the channel's suppression list.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import { BadInputError } from '../../src/errors.js';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import type { CampaignDefinition, CampaignResultRecord } from '../json-formats.js';
import { campaignMembers, campaigns, suppressionEntries } from '../schema.js';
import { createPgCampaignStore } from './pg/campaign-store.js';

export type { CampaignDefinition, CampaignResultRecord } from '../json-formats.js';

export interface CampaignRecord {
  id: number;
  channelId: string;
  name: string;
  status: 'live' | 'closed';
  datasetId: number;
  runId: number | null;
  product: string | null;
  definition: CampaignDefinition;
  latestResult: CampaignResultRecord | null;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
}

/** One assigned customer, as stored. */
export interface CampaignMember {
  customerId: string;
  group: 'treatment' | 'control';
  segment: string;
  score: number | null;
  decile: number;
}

export interface NewCampaign {
  channelId: string;
  name: string;
  datasetId: number;
  runId: number | null;
  product: string | null;
  definition: CampaignDefinition;
  createdBy: string;
  members: readonly CampaignMember[];
}

export interface CampaignStore {
  /** Stores a campaign and its assignment at once; a name already used in the channel is refused. */
  createCampaign(input: NewCampaign): Promise<CampaignRecord>;
  /** A campaign of the channel by name (any letter case), or null. */
  findCampaign(channelId: string, name: string): Promise<CampaignRecord | null>;
  /** The channel's campaigns, newest first. */
  listCampaigns(channelId: string): Promise<CampaignRecord[]>;
  /** Every live campaign of every channel (for digests). */
  liveCampaigns(channelId: string): Promise<CampaignRecord[]>;
  /** The members of one group (or both), in assignment order. */
  members(campaignId: number, group?: 'treatment' | 'control'): Promise<CampaignMember[]>;
  saveResult(campaignId: number, result: CampaignResultRecord): Promise<void>;
  closeCampaign(campaignId: number): Promise<void>;
  /** Replaces the channel's suppression list; returns how many distinct ids it now holds. */
  replaceSuppressionList(channelId: string, ids: readonly string[], addedBy: string): Promise<number>;
  suppressionList(channelId: string): Promise<Set<string>>;
}

/** The key a campaign name is unique by. */
export function campaignNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Creates the campaign repository over an open database. */
export function createCampaignStore(
  handle: StorageHandle,
  options: { now?: () => Date } = {},
): CampaignStore {
  if (isPostgres(handle)) return createPgCampaignStore(handle, options);
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());
  const insertMember = sqlite.prepare(
    'INSERT INTO campaign_members (campaign_id, customer_id, group_name, segment, score, decile, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  const toRecord = campaignRecord;

  const create = sqlite.transaction((input: NewCampaign): CampaignRecord => {
    const at = now();
    const [row] = db
      .insert(campaigns)
      .values({
        channelId: input.channelId,
        name: input.name,
        nameKey: campaignNameKey(input.name),
        status: 'live',
        datasetId: input.datasetId,
        runId: input.runId,
        product: input.product,
        definition: input.definition,
        createdBy: input.createdBy,
        createdAt: at,
      })
      .returning()
      .all();
    const id = row!.id;
    for (const m of input.members) {
      insertMember.run(id, m.customerId, m.group, m.segment, m.score, m.decile, at.getTime());
    }
    return toRecord(row!);
  });

  return {
    async createCampaign(input) {
      if (await this.findCampaign(input.channelId, input.name)) {
        throw nameTaken(input.name);
      }
      return create.immediate(input);
    },
    async findCampaign(channelId, name) {
      const row = db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.channelId, channelId), eq(campaigns.nameKey, campaignNameKey(name))))
        .get();
      return row ? toRecord(row) : null;
    },
    async listCampaigns(channelId) {
      return db
        .select()
        .from(campaigns)
        .where(eq(campaigns.channelId, channelId))
        .orderBy(desc(campaigns.id))
        .all()
        .map(toRecord);
    },
    async liveCampaigns(channelId) {
      return db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.channelId, channelId), eq(campaigns.status, 'live')))
        .orderBy(asc(campaigns.id))
        .all()
        .map(toRecord);
    },
    async members(campaignId, group) {
      const where = group
        ? and(eq(campaignMembers.campaignId, campaignId), eq(campaignMembers.group, group))
        : eq(campaignMembers.campaignId, campaignId);
      return db
        .select({
          customerId: campaignMembers.customerId,
          group: campaignMembers.group,
          segment: campaignMembers.segment,
          score: campaignMembers.score,
          decile: campaignMembers.decile,
        })
        .from(campaignMembers)
        .where(where)
        .orderBy(asc(campaignMembers.customerId))
        .all();
    },
    async saveResult(campaignId, result) {
      db.update(campaigns).set({ latestResult: result }).where(eq(campaigns.id, campaignId)).run();
    },
    async closeCampaign(campaignId) {
      db.update(campaigns)
        .set({ status: 'closed', closedAt: now() })
        .where(eq(campaigns.id, campaignId))
        .run();
    },
    async replaceSuppressionList(channelId, ids, addedBy) {
      const replace = sqlite.transaction(() => {
        db.delete(suppressionEntries).where(eq(suppressionEntries.channelId, channelId)).run();
        const insert = sqlite.prepare(
          'INSERT OR IGNORE INTO suppression_entries (channel_id, customer_id, added_by, created_at) VALUES (?, ?, ?, ?)',
        );
        const at = now().getTime();
        let count = 0;
        for (const id of ids) count += insert.run(channelId, id, addedBy, at).changes;
        return count;
      });
      return replace.immediate();
    },
    async suppressionList(channelId) {
      const rows = db
        .select({ id: suppressionEntries.customerId })
        .from(suppressionEntries)
        .where(eq(suppressionEntries.channelId, channelId))
        .all();
      return new Set(rows.map((r) => r.id));
    },
  };
}

/** A stored campaign row (either dialect) as a record. */
export function campaignRecord(row: typeof campaigns.$inferSelect): CampaignRecord {
  return {
    id: row.id,
    channelId: row.channelId,
    name: row.name,
    status: row.status,
    datasetId: row.datasetId,
    runId: row.runId,
    product: row.product,
    definition: row.definition,
    latestResult: row.latestResult ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    closedAt: row.closedAt ?? null,
  };
}

/** The refusal of a campaign name the channel already uses. */
export function nameTaken(name: string): BadInputError {
  return new BadInputError(`This channel already has a campaign called "${name}".`, {
    hint: 'Choose another name; `/segbot campaigns` lists the names in use.',
  });
}
