import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageDatabase } from '../../../db/client-pg.js';
import { type AccessStore, createAccessStore } from '../../../db/repositories/access-store.js';
import { storageBackends } from '../../helpers/storage-backends.js';

describe.each(storageBackends())('on $name', (backend) => {
  let database: StorageDatabase;
  let access: AccessStore;
  beforeEach(async () => {
    database = await backend.open();
    access = createAccessStore(database);
  });
  afterEach(() => database.close());

  describe('createAccessStore', () => {
    it('seeds the configured admins once', async () => {
      expect(await access.seedAdmins(['U1', 'U2'])).toBe(2);
      expect(await access.seedAdmins(['U1', 'U2', 'U3'])).toBe(1);
      expect((await access.listAdmins()).map((a) => [a.userId, a.addedBy])).toEqual([
        ['U1', 'SEGBOT_ADMINS'],
        ['U2', 'SEGBOT_ADMINS'],
        ['U3', 'SEGBOT_ADMINS'],
      ]);
    });

    it('adds and removes admins', async () => {
      expect(await access.isAdmin('U9')).toBe(false);
      expect(await access.addAdmin('U9', 'U1')).toBe(true);
      expect(await access.addAdmin('U9', 'U1')).toBe(false);
      expect(await access.isAdmin('U9')).toBe(true);
      expect(await access.removeAdmin('U9')).toBe(true);
      expect(await access.removeAdmin('U9')).toBe(false);
      expect(await access.isAdmin('U9')).toBe(false);
    });

    it('allows and disallows channels for customer-level output', async () => {
      expect(await access.isChannelAllowed('C1')).toBe(false);
      expect(await access.allowChannel('C1', 'U1')).toBe(true);
      expect(await access.allowChannel('C1', 'U1')).toBe(false);
      expect(await access.isChannelAllowed('C1')).toBe(true);
      expect(await access.isChannelAllowed('C2')).toBe(false);
      expect((await access.listAllowedChannels()).map((c) => [c.channelId, c.allowedBy])).toEqual([
        ['C1', 'U1'],
      ]);
      expect(await access.disallowChannel('C1')).toBe(true);
      expect(await access.isChannelAllowed('C1')).toBe(false);
    });
  });
});
