import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findViewViolations } from '../../../../src/local/check-blocks.js';
import { type SlackEmulator, startSlackEmulator } from '../../../../src/local/slack-emulator/index.js';
import { createEmulatorState } from '../../../../src/local/slack-emulator/state.js';
import { viewsMethods } from '../../../../src/local/slack-emulator/web-api/views.js';

const section = (i: number) => ({
  type: 'section',
  block_id: `s${i}`,
  text: { type: 'mrkdwn', text: `line ${i}` },
});
const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Segment customers' },
  blocks: [section(0)],
  ...extra,
});

describe('findViewViolations', () => {
  it('accepts a modal within Slack’s limits and a Home of 100 blocks', () => {
    expect(findViewViolations(modal())).toEqual([]);
    expect(
      findViewViolations({ type: 'home', blocks: Array.from({ length: 100 }, (_, i) => section(i)) }),
    ).toEqual([]);
  });

  it('refuses 101 blocks, a long title, duplicate block ids, an input without submit, and a long private_metadata', () => {
    expect(
      findViewViolations({ type: 'home', blocks: Array.from({ length: 101 }, (_, i) => section(i)) }),
    ).toEqual(['must provide no more than 100 items [json-pointer:/view/blocks]']);
    expect(
      findViewViolations(modal({ title: { type: 'plain_text', text: 'A title far longer than 24' } })),
    ).toEqual(['must be less than 25 characters [json-pointer:/view/title/text]']);
    expect(findViewViolations(modal({ blocks: [section(1), section(1)] }))).toEqual([
      'duplicate block_id [json-pointer:/view/blocks/1/block_id]',
    ]);
    const input = {
      type: 'input',
      block_id: 'k',
      label: { type: 'plain_text', text: 'k' },
      element: { type: 'plain_text_input', action_id: 'k' },
    };
    expect(findViewViolations(modal({ blocks: [input] }))).toEqual([
      'missing required field: submit [json-pointer:/view]',
    ]);
    expect(findViewViolations(modal({ private_metadata: 'x'.repeat(3001) }))).toEqual([
      'must be a string of at most 3000 characters [json-pointer:/view/private_metadata]',
    ]);
  });

  it('refuses more than 100 options in a menu and duplicate action ids in one block', () => {
    const options = Array.from({ length: 101 }, (_, i) => ({
      text: { type: 'plain_text', text: `o${i}` },
      value: `${i}`,
    }));
    const actions = {
      type: 'actions',
      block_id: 'a',
      elements: [
        { type: 'static_select', action_id: 'pick', options },
        { type: 'button', action_id: 'pick', text: { type: 'plain_text', text: 'Go' } },
      ],
    };
    expect(findViewViolations(modal({ blocks: [actions] }))).toEqual([
      'must provide no more than 100 items [json-pointer:/view/blocks/0/elements/0/options]',
      'duplicate action_id [json-pointer:/view/blocks/0/elements/1/action_id]',
    ]);
  });
});

describe('views methods', () => {
  it('takes a trigger_id once, and not after three seconds', () => {
    const state = createEmulatorState({ botToken: 'xoxb-t', signingSecret: 's' });
    state.addUser({ id: 'U1', name: 'dana' });
    const methods = viewsMethods(state);
    const trigger = state.newTrigger('U1');
    const opened = methods['views.open']!({ trigger_id: trigger, view: JSON.stringify(modal()) });
    expect((opened['view'] as { id: string }).id).toMatch(/^V/);
    expect(() => methods['views.open']!({ trigger_id: trigger, view: JSON.stringify(modal()) })).toThrow(
      expect.objectContaining({ error: 'invalid_trigger_id' }),
    );
    const late = state.newTrigger('U1');
    state.triggers.get(late)!.expiresAt = Date.now() - 1;
    expect(() => methods['views.open']!({ trigger_id: late, view: JSON.stringify(modal()) })).toThrow(
      expect.objectContaining({ error: 'expired_trigger_id' }),
    );
  });
});

describe('views through the Web API', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  beforeEach(async () => {
    emulator = await startSlackEmulator({ botToken: 'xoxb-test', signingSecret: 'secret' });
    // The refusals below are expected: the client's own error lines would only be noise here.
    const quiet = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    };
    client = new WebClient('xoxb-test', {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
    emulator.addUser({ id: 'U0DANA', name: 'dana' });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('publishes a Home per person and updates it in place; refuses a modal there', async () => {
    const first = await client.views.publish({
      user_id: 'U0DANA',
      view: { type: 'home', blocks: [section(0)] },
    });
    const second = await client.views.publish({
      user_id: 'U0DANA',
      view: { type: 'home', blocks: [section(1)] },
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(JSON.stringify(emulator.home('U0DANA')?.view)).toContain('line 1');
    await expect(
      client.views.publish({
        user_id: 'U0DANA',
        view: modal() as Parameters<WebClient['views']['publish']>[0]['view'],
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
  });

  it('refuses an oversized Home with Slack’s error and its pointer', async () => {
    await expect(
      client.views.publish({
        user_id: 'U0DANA',
        view: { type: 'home', blocks: Array.from({ length: 101 }, (_, i) => section(i)) } as never,
      }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_arguments',
        errors: ['must provide no more than 100 items [json-pointer:/view/blocks]'],
      },
    });
  });
});
