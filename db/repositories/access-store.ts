/**
 * Roles and channel permissions: who may upload and change schedules (admins), and which channels
 * may receive customer-level output (allowed channels).
 */
import { asc, eq } from 'drizzle-orm';
import { type DatabaseHandle, resolveHandle } from '../client.js';
import { admins, allowedChannels } from '../schema.js';

export interface AdminRecord {
  userId: string;
  addedBy: string;
  createdAt: Date;
}

export interface AllowedChannelRecord {
  channelId: string;
  allowedBy: string;
  createdAt: Date;
}

export interface AccessStoreOptions {
  now?: () => Date;
}

export interface AccessStore {
  /** Adds the configured first admins (SEGBOT_ADMINS) if missing; returns how many were new. */
  seedAdmins(userIds: readonly string[], addedBy?: string): number;
  /** Returns true if the user was not an admin before. */
  addAdmin(userId: string, addedBy: string): boolean;
  /** Returns true if the user was an admin. */
  removeAdmin(userId: string): boolean;
  isAdmin(userId: string): boolean;
  listAdmins(): AdminRecord[];
  /** Returns true if the channel was not allowed before. */
  allowChannel(channelId: string, allowedBy: string): boolean;
  /** Returns true if the channel was allowed. */
  disallowChannel(channelId: string): boolean;
  isChannelAllowed(channelId: string): boolean;
  listAllowedChannels(): AllowedChannelRecord[];
}

/** Creates the access repository over an open database. */
export function createAccessStore(handle: DatabaseHandle, options: AccessStoreOptions = {}): AccessStore {
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const addAdmin = (userId: string, addedBy: string): boolean =>
    db.insert(admins).values({ userId, addedBy, createdAt: now() }).onConflictDoNothing().run().changes > 0;

  return {
    seedAdmins(userIds, addedBy = 'SEGBOT_ADMINS') {
      return sqlite.transaction(() => userIds.filter((id) => addAdmin(id, addedBy)).length)();
    },
    addAdmin,
    removeAdmin(userId) {
      return db.delete(admins).where(eq(admins.userId, userId)).run().changes > 0;
    },
    isAdmin(userId) {
      return (
        db.select({ userId: admins.userId }).from(admins).where(eq(admins.userId, userId)).get() !== undefined
      );
    },
    listAdmins() {
      return db.select().from(admins).orderBy(asc(admins.createdAt), asc(admins.userId)).all();
    },
    allowChannel(channelId, allowedBy) {
      return (
        db
          .insert(allowedChannels)
          .values({ channelId, allowedBy, createdAt: now() })
          .onConflictDoNothing()
          .run().changes > 0
      );
    },
    disallowChannel(channelId) {
      return db.delete(allowedChannels).where(eq(allowedChannels.channelId, channelId)).run().changes > 0;
    },
    isChannelAllowed(channelId) {
      return (
        db
          .select({ channelId: allowedChannels.channelId })
          .from(allowedChannels)
          .where(eq(allowedChannels.channelId, channelId))
          .get() !== undefined
      );
    },
    listAllowedChannels() {
      return db.select().from(allowedChannels).orderBy(asc(allowedChannels.createdAt)).all();
    },
  };
}
