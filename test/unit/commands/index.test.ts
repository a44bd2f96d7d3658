import { describe, expect, it } from 'vitest';
import {
  findSubcommand,
  handleSlashCommand,
  registerListeners,
  SUBCOMMANDS,
} from '../../../commands/index.js';
import type { Subcommand } from '../../../commands/subcommand.js';
import { escapeSlackText } from '../../../src/slack/escape-text.js';
import { createCommandArgs } from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

describe('handleSlashCommand', () => {
  it('shows help privately for an empty command and for help itself', async () => {
    const { deps } = createTestDeps();
    for (const text of ['', 'help']) {
      const { args, responses, calls, fake } = createCommandArgs({ text });
      await handleSlashCommand(args, deps);
      expect(calls.map((c) => c.method)).toEqual(['ack', 'respond']);
      expect(responses[0]).toMatchObject({ response_type: 'ephemeral' });
      const body = JSON.stringify(responses[0]!.blocks);
      for (const s of SUBCOMMANDS) expect(body).toContain(`/segbot ${escapeSlackText(s.usage, 'code')}`);
      expect(body).toContain('/segbot segment k=5 seed=7');
      expect(fake.messages).toEqual([]);
    }
  });

  it('answers an unknown subcommand with help that names the word', async () => {
    const { deps } = createTestDeps();
    const { args, responses } = createCommandArgs({ text: 'segmnet k=3' });
    await handleSlashCommand(args, deps);
    expect(String(responses[0]!.text)).toMatch(
      /^I don’t know the command “segmnet”\. Here is what I can do:/,
    );
  });

  it('acknowledges before doing any work, and only once', async () => {
    const { deps } = createTestDeps();
    const seen: string[] = [];
    const slow: Subcommand = {
      name: 'slow',
      usage: 'slow',
      summary: 'x',
      examples: [],
      run: async (ctx) => {
        seen.push(`run ${ctx.args.join('|')}`);
        await ctx.ephemeral('done');
      },
    };
    const { args, calls, acks } = createCommandArgs({ text: 'SLOW "a b" c' });
    await handleSlashCommand(args, deps, [slow]);
    expect(acks).toEqual([undefined]);
    expect(calls.map((c) => c.method)).toEqual(['ack', 'respond']);
    expect(seen).toEqual(['run a b|c']);
  });

  it('turns an unexpected error into a generic private message and logs it without its text', async () => {
    const { deps, logger } = createTestDeps();
    const broken: Subcommand = {
      name: 'broken',
      usage: 'broken',
      summary: 'x',
      examples: [],
      run: async () => {
        throw new Error('secret customer C1234');
      },
    };
    const { args, responses } = createCommandArgs({ text: 'broken' });
    await handleSlashCommand(args, deps, [broken]);
    expect(String(responses[0]!.text)).toMatch(/^Something went wrong on our side/);
    expect(JSON.stringify(logger.entries)).not.toContain('C1234');
    expect(logger.entries).toHaveLength(1);
  });

  it('falls back to chat.postEphemeral when the response URL fails', async () => {
    const { deps } = createTestDeps();
    const { args, fake } = createCommandArgs({ text: 'segment k=banana', respondFails: true });
    await handleSlashCommand(args, deps);
    const [ephemeral] = fake.callsOf('chat.postEphemeral');
    expect(ephemeral).toMatchObject({ channel: 'C0TEST', user: 'U0ALICE' });
    expect(String(ephemeral!.text)).toMatch(/^k=banana is not valid/);
  });

  it('reports an unclosed quote instead of guessing', async () => {
    const { deps } = createTestDeps();
    const { args, responses } = createCommandArgs({ text: 'describe "VIP' });
    await handleSlashCommand(args, deps);
    expect(String(responses[0]!.text)).toMatch(/never closed/);
  });
});

describe('findSubcommand', () => {
  it('finds by name and alias', () => {
    expect(findSubcommand('segment')?.name).toBe('segment');
    expect(findSubcommand('?')?.name).toBe('help');
    expect(findSubcommand('nope')).toBeUndefined();
  });
});

describe('registerListeners', () => {
  it('registers the slash command, the message listener, the buttons, modals, shortcuts and Home', () => {
    const { deps } = createTestDeps();
    const registered: string[] = [];
    const app = {
      command: (name: string) => registered.push(`command ${name}`),
      event: (name: string) => registered.push(`event ${name}`),
      action: (name: string) => registered.push(`action ${name}`),
      view: (name: string) => registered.push(`view ${name}`),
      shortcut: (name: string) => registered.push(`shortcut ${name}`),
    };
    registerListeners(app as never, deps);
    expect(registered).toEqual(
      expect.arrayContaining([
        'command /segbot',
        'event message',
        'event app_home_opened',
        'action segbot_segment_now',
        'action segbot_forget_confirmed',
        'view segbot_segment_modal',
        'shortcut segbot_open',
      ]),
    );
  });
});
