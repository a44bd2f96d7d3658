import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { createAccessStore } from '../../../db/repositories/access-store.js';
import { NotAllowedError, userMessage } from '../../../src/errors.js';
import { adminMentions, createAccessGuard, refuseCustomerLevelMention } from '../../../src/slack/access.js';
import { createFakeClient } from '../../helpers/command-args.js';

function setup() {
  const database = openDatabase(':memory:');
  const store = createAccessStore(database);
  return { store, guard: createAccessGuard(store) };
}

async function refusal(action: () => Promise<void>): Promise<NotAllowedError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(NotAllowedError);
    return error as NotAllowedError;
  }
  throw new Error('expected a refusal');
}

describe('requireAdmin', () => {
  it('lets an admin through', async () => {
    const { store, guard } = setup();
    await store.seedAdmins(['U0ADMIN']);
    await expect(guard.requireAdmin('U0ADMIN', 'upload customer data')).resolves.toBeUndefined();
  });

  it('refuses anyone else with the reason and the admins to ask', async () => {
    const { store, guard } = setup();
    await store.seedAdmins(['U0ADMIN', 'U0BOSS']);
    const error = await refusal(() => guard.requireAdmin('U0MALLORY', 'upload customer data'));
    expect(error.message).toBe('Only segbot admins can upload customer data.');
    expect(error.hint).toContain('one of segbot’s 2 admins (`/segbot admins` shows who)');
    expect(error.hint).toContain('/segbot admins add');
    expect(userMessage(error)).toContain('Only segbot admins');
  });

  it('explains how the first admin is made when there is none', async () => {
    const { guard } = setup();
    const error = await refusal(() => guard.requireAdmin('U0ANYONE'));
    expect(error.hint).toContain('SEGBOT_ADMINS');
  });

  it('stops trusting a removed admin at once', async () => {
    const { store, guard } = setup();
    await store.seedAdmins(['U0ADMIN', 'U0OTHER']);
    await store.removeAdmin('U0OTHER');
    await refusal(() => guard.requireAdmin('U0OTHER'));
  });
});

describe('requireCustomerLevelChannel', () => {
  it('refuses a channel nobody allowed, says aggregates still work and whom to ask', async () => {
    const { store, guard } = setup();
    await store.seedAdmins(['U0ADMIN']);
    const error = await refusal(() => guard.requireCustomerLevelChannel('C0PUBLIC', 'the movers list'));
    expect(error.message).toContain('not allowed to receive the movers list');
    expect(error.message).toContain('Segment sizes, profiles and charts work here');
    expect(error.hint).toContain('/segbot channel allow');
    expect(error.hint).toContain('Ask segbot’s admin');
  });

  it('lets an allowed channel through, and only that one', async () => {
    const { store, guard } = setup();
    await store.allowChannel('C0PRIVATE', 'U0ADMIN');
    await expect(guard.requireCustomerLevelChannel('C0PRIVATE')).resolves.toBeUndefined();
    await refusal(() => guard.requireCustomerLevelChannel('C0OTHER'));
    await store.disallowChannel('C0PRIVATE');
    await refusal(() => guard.requireCustomerLevelChannel('C0PRIVATE'));
  });
});

describe('adminMentions', () => {
  it('names at most five admins and counts the rest', async () => {
    const { store } = setup();
    await store.seedAdmins(['U01', 'U02', 'U03', 'U04', 'U05', 'U06', 'U07']);
    const text = (await adminMentions(store)) ?? '';
    expect(text.match(/<@U0\d>/g)).toHaveLength(5);
    expect(text).toMatch(/and 2 more$/);
  });

  it('is null without admins', async () => {
    expect(await adminMentions(setup().store)).toBeNull();
  });
});

describe('canReceiveCustomerLevel', () => {
  it('is true only for channels an admin allowed, and follows the store', async () => {
    const { store, guard } = setup();
    expect(await guard.canReceiveCustomerLevel('C0PRIVATE')).toBe(false);
    await store.allowChannel('C0PRIVATE', 'U0ADMIN');
    expect(await guard.canReceiveCustomerLevel('C0PRIVATE')).toBe(true);
    expect(await guard.canReceiveCustomerLevel('C0OTHER')).toBe(false);
    await store.disallowChannel('C0PRIVATE');
    expect(await guard.canReceiveCustomerLevel('C0PRIVATE')).toBe(false);
  });
});

describe('refuseCustomerLevelMention', () => {
  const logger = { warn() {}, error() {} };

  it('answers a movers question in a channel nobody allowed with the refusal, in its thread', async () => {
    const { store, guard } = setup();
    await store.seedAdmins(['U0ADMIN']);
    const fake = createFakeClient();
    const refused = await refuseCustomerLevelMention(
      { channel: 'C0PUBLIC', ts: '1.2', thread_ts: '1.1', user: 'U0DANA', text: '<@U0BOT> movers 1 2' },
      { guard, logger },
      fake.client,
    );
    expect(refused).toBe(true);
    expect(fake.messages[0]?.thread_ts).toBe('1.1');
    expect(fake.messages[0]?.text).toContain('not allowed to receive lists of customers who moved');
  });

  it('lets movers through in an allowed channel and never stops other questions', async () => {
    const { store, guard } = setup();
    await store.allowChannel('C0PRIVATE', 'U0ADMIN');
    const fake = createFakeClient();
    const deps = { guard, logger };
    const ask = (channel: string, text: string) =>
      refuseCustomerLevelMention({ channel, ts: '1.2', user: 'U0DANA', text }, deps, fake.client);
    expect(await ask('C0PRIVATE', '<@U0BOT> movers 1 2')).toBe(false);
    expect(await ask('C0PUBLIC', '<@U0BOT> compare')).toBe(false);
    expect(await ask('C0PUBLIC', '<@U0BOT> explain 1')).toBe(false);
    expect(fake.messages).toHaveLength(0);
  });
});
