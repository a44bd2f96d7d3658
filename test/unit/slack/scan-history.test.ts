import { describe, expect, it } from 'vitest';
import { type HistoryClient, type ScannedMessage, scanHistory } from '../../../src/slack/scan-history.js';
import { createPagedHistory as pagedClient } from '../../helpers/paged-history.js';

const message = (ts: string, text = 'hello'): ScannedMessage => ({ ts, text });

describe('scanHistory', () => {
  it('pages with the cursor until the visit finds something, and fetches no page after that', async () => {
    const { client, calls } = pagedClient([
      [message('9.0'), message('8.0')],
      [message('7.0', 'the one'), message('6.0')],
      [message('5.0')],
    ]);
    const seen: string[] = [];
    const found = await scanHistory(client, { channel: 'C1', maxMessages: 200 }, (m) => {
      seen.push(m.ts!);
      return m.text === 'the one' ? m.ts : undefined;
    });
    expect(found).toBe('7.0');
    expect(seen).toEqual(['9.0', '8.0', '7.0']);
    expect(calls.map((c) => c.args)).toEqual([
      { channel: 'C1', limit: 100 },
      { channel: 'C1', limit: 100, cursor: '1' },
    ]);
  });

  it('reads every page and returns undefined when nothing stops it', async () => {
    const { client, calls } = pagedClient([[message('3.0')], [message('2.0')], [message('1.0')]]);
    const seen: string[] = [];
    const found = await scanHistory(client, { channel: 'C1', maxMessages: 200 }, (m) => {
      seen.push(m.ts!);
      return undefined;
    });
    expect(found).toBeUndefined();
    expect(seen).toEqual(['3.0', '2.0', '1.0']);
    expect(calls).toHaveLength(3);
  });

  it('never reads past maxMessages, asking for no more than are left', async () => {
    const page = (from: number) => Array.from({ length: 4 }, (_, i) => message(`${from - i}.0`));
    const { client, calls } = pagedClient([page(100), page(96), page(92)]);
    const seen: string[] = [];
    await scanHistory(client, { channel: 'C1', maxMessages: 6, pageSize: 4 }, (m) => {
      seen.push(m.ts!);
      return undefined;
    });
    expect(seen).toEqual(['100.0', '99.0', '98.0', '97.0', '96.0', '95.0']);
    expect(calls.map((c) => c.args.limit)).toEqual([4, 2]);
  });

  it('stops on an empty page even when Slack offers a cursor', async () => {
    const { client, calls } = pagedClient([[], [message('1.0')]]);
    expect(await scanHistory(client, { channel: 'C1', maxMessages: 50 }, (m) => m.ts)).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('asks for metadata when told to', async () => {
    const { client, calls } = pagedClient([[message('1.0')]]);
    await scanHistory(client, { channel: 'C1', maxMessages: 50, includeAllMetadata: true }, () => undefined);
    expect(calls[0]).toEqual({
      method: 'history',
      args: { channel: 'C1', limit: 50, include_all_metadata: true },
    });
  });

  it('scans a thread with conversations.replies, visiting its root once', async () => {
    const root = message('1.0', 'root');
    const { client, calls } = pagedClient([[root, message('1.1')], [message('1.2')]], {
      rootOnEveryPage: root,
    });
    const seen: string[] = [];
    await scanHistory(client, { channel: 'C1', threadTs: '1.0', maxMessages: 100, pageSize: 2 }, (m) => {
      seen.push(m.ts!);
      return undefined;
    });
    expect(seen).toEqual(['1.0', '1.1', '1.2']);
    expect(calls.map((c) => c.method)).toEqual(['replies', 'replies']);
    expect(calls[1]!.args).toEqual({ channel: 'C1', ts: '1.0', limit: 2, cursor: '1' });
  });

  it('passes Slack errors to the caller', async () => {
    const client: HistoryClient = {
      conversations: {
        history: async () => {
          throw Object.assign(new Error('An API error occurred: not_in_channel'), {
            code: 'slack_webapi_platform_error',
          });
        },
        replies: async () => ({ ok: true }),
      },
    };
    await expect(scanHistory(client, { channel: 'C1', maxMessages: 10 }, () => true)).rejects.toThrow(
      /not_in_channel/,
    );
  });
});
