/** The access repository on PostgreSQL (see ../access-store.ts for what each method means). */
import { asc, eq } from 'drizzle-orm';
import type { SegbotPgDatabase } from '../../client-pg.js';
import { admins, allowedChannels } from '../../schema-pg.js';
import type { AccessStore, AccessStoreOptions } from '../access-store.js';

export function createPgAccessStore(
  database: SegbotPgDatabase,
  options: AccessStoreOptions = {},
): AccessStore {
  const { db } = database;
  const now = options.now ?? (() => new Date());

  const addAdmin = async (userId: string, addedBy: string): Promise<boolean> => {
    const added = await db
      .insert(admins)
      .values({ userId, addedBy, createdAt: now() })
      .onConflictDoNothing()
      .returning({ userId: admins.userId });
    return added.length > 0;
  };

  return {
    async seedAdmins(userIds, addedBy = 'SEGBOT_ADMINS') {
      // One statement: every id at once, existing ones skipped.
      if (userIds.length === 0) return 0;
      const at = now();
      const added = await db
        .insert(admins)
        .values(userIds.map((userId) => ({ userId, addedBy, createdAt: at })))
        .onConflictDoNothing()
        .returning({ userId: admins.userId });
      return added.length;
    },
    addAdmin,
    async removeAdmin(userId) {
      return (await db.delete(admins).where(eq(admins.userId, userId)).returning()).length > 0;
    },
    async isAdmin(userId) {
      const rows = await db.select({ userId: admins.userId }).from(admins).where(eq(admins.userId, userId));
      return rows.length > 0;
    },
    async listAdmins() {
      return db.select().from(admins).orderBy(asc(admins.createdAt), asc(admins.userId));
    },
    async allowChannel(channelId, allowedBy) {
      const added = await db
        .insert(allowedChannels)
        .values({ channelId, allowedBy, createdAt: now() })
        .onConflictDoNothing()
        .returning({ channelId: allowedChannels.channelId });
      return added.length > 0;
    },
    async disallowChannel(channelId) {
      return (
        (await db.delete(allowedChannels).where(eq(allowedChannels.channelId, channelId)).returning())
          .length > 0
      );
    },
    async isChannelAllowed(channelId) {
      const rows = await db
        .select({ channelId: allowedChannels.channelId })
        .from(allowedChannels)
        .where(eq(allowedChannels.channelId, channelId));
      return rows.length > 0;
    },
    async listAllowedChannels() {
      return db.select().from(allowedChannels).orderBy(asc(allowedChannels.createdAt));
    },
  };
}
