/**
 * Roles and channel permissions: who may upload and change schedules (admins), and which channels
 * may receive customer-level output (allowed channels).
 */
import { asc, eq } from 'drizzle-orm';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import { admins, allowedChannels } from '../schema.js';
import { createPgAccessStore } from './pg/access-store.js';

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
  seedAdmins(userIds: readonly string[], addedBy?: string): Promise<number>;
  /** Returns true if the user was not an admin before. */
  addAdmin(userId: string, addedBy: string): Promise<boolean>;
  /** Returns true if the user was an admin. */
  removeAdmin(userId: string): Promise<boolean>;
  isAdmin(userId: string): Promise<boolean>;
  listAdmins(): Promise<AdminRecord[]>;
  /** Returns true if the channel was not allowed before. */
  allowChannel(channelId: string, allowedBy: string): Promise<boolean>;
  /** Returns true if the channel was allowed. */
  disallowChannel(channelId: string): Promise<boolean>;
  isChannelAllowed(channelId: string): Promise<boolean>;
  listAllowedChannels(): Promise<AllowedChannelRecord[]>;
}

/** Creates the access repository over an open database. */
export function createAccessStore(handle: StorageHandle, options: AccessStoreOptions = {}): AccessStore {
  if (isPostgres(handle)) return createPgAccessStore(handle, options);
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const insertAdmin = (userId: string, addedBy: string): boolean =>
    db.insert(admins).values({ userId, addedBy, createdAt: now() }).onConflictDoNothing().run().changes > 0;

  return {
    async seedAdmins(userIds, addedBy = 'SEGBOT_ADMINS') {
      return sqlite.transaction(() => userIds.filter((id) => insertAdmin(id, addedBy)).length)();
    },
    async addAdmin(userId, addedBy) {
      return insertAdmin(userId, addedBy);
    },
    async removeAdmin(userId) {
      return db.delete(admins).where(eq(admins.userId, userId)).run().changes > 0;
    },
    async isAdmin(userId) {
      return (
        db.select({ userId: admins.userId }).from(admins).where(eq(admins.userId, userId)).get() !== undefined
      );
    },
    async listAdmins() {
      return db.select().from(admins).orderBy(asc(admins.createdAt), asc(admins.userId)).all();
    },
    async allowChannel(channelId, allowedBy) {
      return (
        db
          .insert(allowedChannels)
          .values({ channelId, allowedBy, createdAt: now() })
          .onConflictDoNothing()
          .run().changes > 0
      );
    },
    async disallowChannel(channelId) {
      return db.delete(allowedChannels).where(eq(allowedChannels.channelId, channelId)).run().changes > 0;
    },
    async isChannelAllowed(channelId) {
      return (
        db
          .select({ channelId: allowedChannels.channelId })
          .from(allowedChannels)
          .where(eq(allowedChannels.channelId, channelId))
          .get() !== undefined
      );
    },
    async listAllowedChannels() {
      return db.select().from(allowedChannels).orderBy(asc(allowedChannels.createdAt)).all();
    },
  };
}
