import { describe, expect, it } from 'vitest';
import { parseUserMentions } from '../../../commands/admins.js';
import { handleSlashCommand } from '../../../commands/index.js';
import { BadInputError } from '../../../src/errors.js';
import { createCommandArgs, createFakeClient, slackPlatformError } from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

/** Slack's answers to users.info: these ids are unknown, deactivated, or out of reach. */
interface Directory {
  unknown?: string[];
  deleted?: string[];
  failing?: string;
}

async function setup(admins: string[] = ['U0ADMIN'], directory: Directory = {}) {
  const test = createTestDeps();
  const { deps } = test;
  const { access } = deps;
  await access.seedAdmins(admins);
  const fail = (method: string, args: Record<string, unknown>) => {
    if (method !== 'users.info') return undefined;
    if (directory.unknown?.includes(String(args.user))) return slackPlatformError('user_not_found');
    if (directory.failing) return slackPlatformError(directory.failing, { needed: 'users:read' });
    return undefined;
  };
  const run = async (text: string, userId: string) => {
    const fake = createFakeClient({ fail });
    if (directory.deleted) {
      const info = fake.client.users.info.bind(fake.client.users);
      fake.client.users.info = async (args) => {
        const answer = await info(args);
        return directory.deleted?.includes(String(args?.user)) && answer.user
          ? { ...answer, user: { ...answer.user, deleted: true } }
          : answer;
      };
    }
    const invocation = createCommandArgs({ text, userId, fake });
    await handleSlashCommand(invocation.args, deps);
    return invocation.responses.map((r) => String(r.text)).join('\n');
  };
  return { access, run };
}

describe('parseUserMentions', () => {
  it('reads escaped mentions, bare ids, and drops repeats', () => {
    expect(parseUserMentions(['<@U012AB|dana>', '<@W0XYZ>', 'U0RAW1', '<@U012AB>'])).toEqual([
      'U012AB',
      'W0XYZ',
      'U0RAW1',
    ]);
    expect(parseUserMentions(['@U012AB', 'W0XYZ'])).toEqual(['U012AB', 'W0XYZ']);
  });

  it('refuses a plain @name, which carries no user id, with how to name the person', () => {
    expect(() => parseUserMentions(['@dana'])).toThrow(BadInputError);
    try {
      parseUserMentions(['@dana']);
    } catch (error) {
      expect((error as BadInputError).hint).toContain('Copy member ID');
    }
  });

  it('refuses an empty list', () => {
    expect(() => parseUserMentions([])).toThrow(/whom/);
  });
});

describe('/segbot admins', () => {
  it('lists the admins to anyone', async () => {
    const { run } = await setup(['U0ADMIN', 'U0BOSS']);
    const text = await run('admins', 'U0VISITOR');
    expect(text).toContain('<@U0ADMIN>');
    expect(text).toContain('<@U0BOSS>');
  });

  it('lets an admin add another admin from a Slack mention', async () => {
    const { access, run } = await setup();
    const text = await run('admins add <@U0DANA|dana>', 'U0ADMIN');
    expect(await access.isAdmin('U0DANA')).toBe(true);
    expect((await access.listAdmins()).find((a) => a.userId === 'U0DANA')?.addedBy).toBe('U0ADMIN');
    expect(text).toContain('<@U0DANA> is now a segbot admin');
  });

  it('decodes the HTML escaping Slack applies to command text', async () => {
    const { access, run } = await setup();
    await run('admins add &lt;@U0DANA|dana&gt;', 'U0ADMIN');
    expect(await access.isAdmin('U0DANA')).toBe(true);
  });

  it('refuses a non-admin and changes nothing', async () => {
    const { access, run } = await setup();
    const text = await run('admins add <@U0MALLORY>', 'U0MALLORY');
    expect(await access.isAdmin('U0MALLORY')).toBe(false);
    expect(text).toContain('Only segbot admins can add admins');
    expect(text).toContain('Ask segbot’s admin (`/segbot admins` shows who)');
  });

  it('says when someone already was an admin', async () => {
    const { run } = await setup(['U0ADMIN', 'U0BOSS']);
    expect(await run('admins add <@U0BOSS>', 'U0ADMIN')).toContain('already an admin');
  });

  it('removes an admin, who then loses the rights', async () => {
    const { access, run } = await setup(['U0ADMIN', 'U0BOSS']);
    const text = await run('admins remove <@U0BOSS|boss>', 'U0ADMIN');
    expect(await access.isAdmin('U0BOSS')).toBe(false);
    expect(text).toContain('no longer a segbot admin');
    expect(text).toContain('SEGBOT_ADMINS');
    expect(await run('admins add <@U0BOSS>', 'U0BOSS')).toContain('Only segbot admins');
  });

  it('never removes the last admin', async () => {
    const { access, run } = await setup();
    const text = await run('admins remove <@U0ADMIN>', 'U0ADMIN');
    expect(await access.isAdmin('U0ADMIN')).toBe(true);
    expect(text).toContain('at least one admin');
  });

  it('answers an unknown verb with the usage', async () => {
    const { run } = await setup();
    expect(await run('admins promote <@U0X>', 'U0ADMIN')).toContain('/segbot admins add @user');
  });

  it('refuses a user Slack does not know, and adds nobody from that command', async () => {
    const { access, run } = await setup(['U0ADMIN'], { unknown: ['UBOGUS'] });
    const text = await run('admins add <@U0DANA> <@UBOGUS>', 'U0ADMIN');
    expect(text).toContain('Slack has no user UBOGUS in this workspace, so nobody was made an admin.');
    expect(await access.isAdmin('UBOGUS')).toBe(false);
    expect(await access.isAdmin('U0DANA')).toBe(false);
  });

  it('refuses a deactivated account', async () => {
    const { access, run } = await setup(['U0ADMIN'], { deleted: ['U0GONE'] });
    const text = await run('admins add U0GONE', 'U0ADMIN');
    expect(text).toContain('U0GONE is a deactivated Slack account');
    expect(await access.isAdmin('U0GONE')).toBe(false);
  });

  it('adds nobody when Slack cannot say who the user is (missing users:read)', async () => {
    const { access, run } = await setup(['U0ADMIN'], { failing: 'missing_scope' });
    const text = await run('admins add U0DANA', 'U0ADMIN');
    expect(text).toMatch(/missing a permission \(users:read\)/);
    expect(await access.isAdmin('U0DANA')).toBe(false);
  });
});
