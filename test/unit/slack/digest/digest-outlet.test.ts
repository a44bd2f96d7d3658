import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../../../src/slack/digest/channel-pacer.js';
import { createDigestOutlet, DIGEST_EVENT_TYPE } from '../../../../src/slack/digest/digest-outlet.js';
import { createFakeClient, createRecordingLogger } from '../../../helpers/command-args.js';

function digestAt(ts: string, periodKey: string) {
  return {
    ts,
    text: 'digest',
    metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { period_key: periodKey } },
  };
}

function outletWithHistory(pages: Record<string, unknown>[][]) {
  const fake = createFakeClient();
  const requests: Record<string, unknown>[] = [];
  (fake.client as unknown as Record<string, unknown>).conversations = {
    history: async (args: Record<string, unknown>) => {
      requests.push(args);
      const page = args.cursor ? Number(args.cursor) : 0;
      const more = page + 1 < pages.length;
      return {
        ok: true,
        messages: pages[page] ?? [],
        has_more: more,
        response_metadata: { next_cursor: more ? String(page + 1) : '' },
      };
    },
  };
  const outlet = createDigestOutlet({
    client: fake.client as WebClient,
    pacer: createChannelPacer({ intervalMs: 0 }),
    renderChart: async () => {
      throw new Error('renderer down');
    },
    logger: createRecordingLogger(),
  });
  return { outlet, requests, fake };
}

describe('digest outlet', () => {
  it('finds an earlier digest by its metadata, on a later page, and only for the same period', async () => {
    const { outlet, requests } = outletWithHistory([
      [{ ts: '9.1', text: 'chatter' }, digestAt('8.1', '2026-11-30T09:00:00.000Z')],
      [digestAt('5.1', '2026-11-23T09:00:00.000Z')],
    ]);
    expect(await outlet.findDigest('C1', '2026-11-23T09:00:00.000Z')).toBe('5.1');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ channel: 'C1', include_all_metadata: true, limit: 100 });
    expect(await outlet.findDigest('C1', '2026-12-07T09:00:00.000Z')).toBeNull();
  });

  it('sends metadata with the message', async () => {
    const { outlet, fake } = outletWithHistory([]);
    await outlet.post('C1', {
      text: 'hi',
      metadata: { eventType: DIGEST_EVENT_TYPE, payload: { period_key: 'p' } },
    });
    expect(fake.callsOf('chat.postMessage')[0]).toMatchObject({
      metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { period_key: 'p' } },
    });
  });

  it('notes a chart that could not be drawn instead of failing the digest', async () => {
    const { outlet, fake } = outletWithHistory([]);
    const ok = await outlet.postChart(
      'C1',
      { name: 'm', title: 'Where customers moved', altText: 'matrix', spec: {} as never },
      { threadTs: '1.1' },
    );
    expect(ok).toBe(false);
    expect(fake.callsOf('chat.postMessage')[0]).toMatchObject({ thread_ts: '1.1' });
    expect(String(fake.callsOf('chat.postMessage')[0]!.text)).toContain(
      'Could not post the chart “Where customers moved”',
    );
  });
});
