import { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { type CommandDeps, checkCommandDeps } from '../../../commands/deps.js';
import { handleSlashCommand, registerListeners } from '../../../commands/index.js';
import { createCommandArgs } from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

/** Dependencies with one member taken out, as a spread of `{ member: undefined }` would leave them. */
function without(member: keyof CommandDeps): CommandDeps {
  const { deps } = createTestDeps();
  return { ...deps, [member]: undefined };
}

describe('checkCommandDeps', () => {
  it('accepts a complete set', () => {
    expect(() => checkCommandDeps(createTestDeps().deps)).not.toThrow();
  });

  it('names each missing member', () => {
    expect(() => checkCommandDeps(without('access'))).toThrow(/missing access\./);
    expect(() => checkCommandDeps(without('guard'))).toThrow(/missing guard\./);
    expect(() => checkCommandDeps(without('jobs'))).toThrow(/missing jobs\./);
  });

  it('makes registration fail, so an app without access checks never takes a request', () => {
    const app = new App({ token: 'xoxb-test', signingSecret: 'secret', deferInitialization: true });
    expect(() => registerListeners(app, without('guard'))).toThrow(/guard/);
  });
});

describe('access fails closed', () => {
  it('refuses an admin-only command by someone who is not an admin when nothing says otherwise', async () => {
    const { deps } = createTestDeps();
    const invocation = createCommandArgs({ text: 'channel allow', userId: 'U0NOBODY' });
    await handleSlashCommand(invocation.args, deps);
    expect(String(invocation.responses[0]?.text)).toContain('Only segbot admins can allow channels');
    expect(await deps.access.isChannelAllowed('C0TEST')).toBe(false);
  });
});
