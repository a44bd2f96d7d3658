import { describe, expect, it } from 'vitest';
import { handleSlashCommand } from '../../../commands/index.js';
import { createCommandArgs, createFakeClient } from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

async function setup() {
  const test = createTestDeps();
  const { deps } = test;
  const { access } = deps;
  await access.seedAdmins(['U0ADMIN']);
  const fake = createFakeClient();
  const run = async (text: string, userId: string, channelId = 'C0SALES') => {
    const invocation = createCommandArgs({ text, userId, channelId, fake });
    await handleSlashCommand(invocation.args, deps);
    return invocation.responses.map((r) => String(r.text)).join('\n');
  };
  return { access, fake, run };
}

describe('/segbot channel', () => {
  it('lets an admin allow the channel and tells the channel', async () => {
    const { access, fake, run } = await setup();
    await run('channel allow', 'U0ADMIN');
    expect(await access.isChannelAllowed('C0SALES')).toBe(true);
    expect(await access.isChannelAllowed('C0OTHER')).toBe(false);
    const [announcement] = fake.messages;
    expect(announcement?.channel).toBe('C0SALES');
    expect(announcement?.text).toContain('<@U0ADMIN> allowed this channel to receive customer-level data');
  });

  it('refuses a non-admin with whom to ask, and the channel stays closed', async () => {
    const { access, fake, run } = await setup();
    const text = await run('channel allow', 'U0MALLORY');
    expect(await access.isChannelAllowed('C0SALES')).toBe(false);
    expect(text).toContain('Only segbot admins can allow channels');
    expect(text).toContain('`/segbot admins` shows who');
    expect(fake.messages).toHaveLength(0);
  });

  it('disallows again, and says so when there was nothing to change', async () => {
    const { access, run } = await setup();
    await run('channel allow', 'U0ADMIN');
    await run('channel disallow', 'U0ADMIN');
    expect(await access.isChannelAllowed('C0SALES')).toBe(false);
    expect(await run('channel disallow', 'U0ADMIN')).toContain('nothing changed');
    expect(await run('channel disallow', 'U0MALLORY')).toContain('Only segbot admins');
  });

  it('shows the status to anyone', async () => {
    const { run } = await setup();
    expect(await run('channel', 'U0VISITOR')).toContain('aggregates only');
    await run('channel allow', 'U0ADMIN');
    expect(await run('channel status', 'U0VISITOR')).toContain('may receive customer-level data');
  });

  it('answers the admin privately when the announcement cannot be posted', async () => {
    const test = createTestDeps();
    const { access } = test.deps;
    await access.seedAdmins(['U0ADMIN']);
    const fake = createFakeClient({
      fail: (method) => (method === 'chat.postMessage' ? new Error('no') : undefined),
    });
    const invocation = createCommandArgs({ text: 'channel allow', userId: 'U0ADMIN', fake });
    await handleSlashCommand(invocation.args, test.deps);
    expect(await access.isChannelAllowed('C0TEST')).toBe(true);
    expect(String(invocation.responses[0]?.text)).toContain('allowed this channel');
  });

  it('rejects an unknown verb', async () => {
    const { run } = await setup();
    expect(await run('channel open', 'U0ADMIN')).toContain('/segbot channel allow');
  });
});
