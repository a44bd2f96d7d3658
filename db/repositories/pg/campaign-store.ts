/** The campaign repository on PostgreSQL (see ../campaign-store.ts for what each method means). */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { inTransaction, type SegbotPgDatabase } from '../../client-pg.js';
import { campaignMembers, campaigns, suppressionEntries } from '../../schema-pg.js';
import { type CampaignStore, campaignNameKey, campaignRecord, nameTaken } from '../campaign-store.js';

/** Members per INSERT: 7 parameters each stays far under PostgreSQL's 65,535 per statement. */
const MEMBER_BATCH = 5_000;

export function createPgCampaignStore(
  database: SegbotPgDatabase,
  options: { now?: () => Date } = {},
): CampaignStore {
  const { db } = database;
  const now = options.now ?? (() => new Date());

  const findCampaign: CampaignStore['findCampaign'] = async (channelId, name) => {
    const [row] = await db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.channelId, channelId), eq(campaigns.nameKey, campaignNameKey(name))));
    return row ? campaignRecord(row) : null;
  };

  return {
    async createCampaign(input) {
      if (await findCampaign(input.channelId, input.name)) throw nameTaken(input.name);
      try {
        return await inTransaction(database, async (tx) => {
          const at = now();
          const [row] = await tx
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
            .returning();
          const campaignId = row!.id;
          for (let i = 0; i < input.members.length; i += MEMBER_BATCH) {
            await tx
              .insert(campaignMembers)
              .values(
                input.members.slice(i, i + MEMBER_BATCH).map((m) => ({ ...m, campaignId, assignedAt: at })),
              );
          }
          return campaignRecord(row!);
        });
      } catch (error) {
        // Another instance took the name between the check and the insert.
        if ((error as { code?: unknown }).code === '23505') throw nameTaken(input.name);
        throw error;
      }
    },
    findCampaign,
    async listCampaigns(channelId) {
      const rows = await db
        .select()
        .from(campaigns)
        .where(eq(campaigns.channelId, channelId))
        .orderBy(desc(campaigns.id));
      return rows.map(campaignRecord);
    },
    async liveCampaigns(channelId) {
      const rows = await db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.channelId, channelId), eq(campaigns.status, 'live')))
        .orderBy(asc(campaigns.id));
      return rows.map(campaignRecord);
    },
    async members(campaignId, group) {
      return (
        db
          .select({
            customerId: campaignMembers.customerId,
            group: campaignMembers.group,
            segment: campaignMembers.segment,
            score: campaignMembers.score,
            decile: campaignMembers.decile,
          })
          .from(campaignMembers)
          .where(
            group
              ? and(eq(campaignMembers.campaignId, campaignId), eq(campaignMembers.group, group))
              : eq(campaignMembers.campaignId, campaignId),
          )
          // COLLATE "C": byte order, as SQLite sorts text, whatever the database's locale.
          .orderBy(asc(sql`${campaignMembers.customerId} COLLATE "C"`))
      );
    },
    async saveResult(campaignId, result) {
      await db.update(campaigns).set({ latestResult: result }).where(eq(campaigns.id, campaignId));
    },
    async closeCampaign(campaignId) {
      await db
        .update(campaigns)
        .set({ status: 'closed', closedAt: now() })
        .where(eq(campaigns.id, campaignId));
    },
    replaceSuppressionList(channelId, ids, addedBy) {
      return inTransaction(database, async (tx, client) => {
        await tx.delete(suppressionEntries).where(eq(suppressionEntries.channelId, channelId));
        // One statement for the whole list: the ids travel as one array parameter.
        const inserted = await client.query(
          'INSERT INTO suppression_entries (channel_id, customer_id, added_by, created_at) ' +
            'SELECT $1, id, $2, $3 FROM unnest($4::text[]) AS id ON CONFLICT DO NOTHING',
          [channelId, addedBy, now(), ids],
        );
        return inserted.rowCount ?? 0;
      });
    },
    async suppressionList(channelId) {
      const rows = await db
        .select({ id: suppressionEntries.customerId })
        .from(suppressionEntries)
        .where(eq(suppressionEntries.channelId, channelId));
      return new Set(rows.map((r) => r.id));
    },
  };
}
