import { describe, expect, it } from 'vitest';
import { section } from '../../../src/slack/blocks/format.js';
import { postMessage, startProgress } from '../../../src/slack/post-message.js';
import { createFakeClient, createRecordingLogger, slackPlatformError } from '../../helpers/command-args.js';

describe('postMessage', () => {
  it('puts blocks beyond the limit into the message’s thread', async () => {
    const fake = createFakeClient();
    const blocks = Array.from({ length: 75 }, (_, i) => section(`part ${i}`));
    const ts = await postMessage(fake.client, { channelId: 'C1', text: 'Big result', blocks });
    expect(fake.messages).toHaveLength(2);
    expect(fake.messages[0]).toMatchObject({ ts, text: 'Big result' });
    expect(fake.messages[0]!.blocks).toHaveLength(50);
    expect(fake.messages[1]).toMatchObject({ thread_ts: ts, text: 'Big result (continued, part 2)' });
    expect(fake.messages[1]!.blocks).toHaveLength(26);
  });
});

describe('startProgress', () => {
  it('updates the same message per stage and ends with the result', async () => {
    const fake = createFakeClient();
    const progress = await startProgress(fake.client, {
      channelId: 'C1',
      text: 'Starting…',
      logger: createRecordingLogger(),
    });
    progress.stage('Step 1');
    await new Promise((resolve) => setImmediate(resolve));
    progress.stage('Step 2');
    await new Promise((resolve) => setImmediate(resolve));
    await progress.finish('Done', [section('*Result*')]);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]!.history).toEqual(['Starting…', 'Step 1', 'Step 2', 'Done']);
    expect(fake.messages[0]!.blocks).toEqual([section('*Result*')]);
  });

  it('skips stages that were overtaken while an update was in flight', async () => {
    const fake = createFakeClient();
    const progress = await startProgress(fake.client, {
      channelId: 'C1',
      text: 'Starting…',
      logger: createRecordingLogger(),
    });
    progress.stage('Step 1'); // sent at once
    progress.stage('Step 2'); // overtaken by step 3 before step 1 returned
    progress.stage('Step 3');
    await new Promise((resolve) => setImmediate(resolve));
    await progress.finish('Done');
    expect(fake.messages[0]!.history).toEqual(['Starting…', 'Step 1', 'Step 3', 'Done']);
  });

  it('posts the result as a new message when the update is refused', async () => {
    const fake = createFakeClient({
      fail: (method) => (method === 'chat.update' ? slackPlatformError('cant_update_message') : undefined),
    });
    const progress = await startProgress(fake.client, {
      channelId: 'C1',
      threadTs: '5.5',
      text: 'Starting…',
      logger: createRecordingLogger(),
    });
    progress.stage('Step 1');
    await progress.finish('Done');
    expect(fake.messages.map((m) => [m.text, m.thread_ts])).toEqual([
      ['Starting…', '5.5'],
      ['Done', '5.5'],
    ]);
  });
});
