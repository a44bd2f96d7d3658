import { describe, expect, it } from 'vitest';
import { SegbotError, TooLargeError, userMessage } from '../../../src/errors.js';
import { createSlackFileFetch, downloadSlackFile, looksLikeHtml } from '../../../src/slack/download-file.js';
import { createFileServer } from '../../helpers/command-args.js';

const URL_ = 'https://files.slack.test/files-pri/T1-F1/download/customers.csv';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

function options(fetch: typeof globalThis.fetch, maxBytes = 10_000) {
  return { url: URL_, token: 'xoxb-secret', fileName: 'customers.csv', maxBytes, fetch };
}

describe('downloadSlackFile', () => {
  it('sends the bot token as a bearer token and streams the whole body', async () => {
    const body = `CUST_ID,BALANCE\n${Array.from({ length: 50 }, (_, i) => `C${i},${i * 10}`).join('\n')}\n`;
    const server = createFileServer({ [URL_]: { body } });
    expect(await collect(await downloadSlackFile(options(server.fetch)))).toBe(body);
    expect(server.requests).toEqual([{ url: URL_, authorization: 'Bearer xoxb-secret' }]);
  });

  it('rejects Slack’s sign-in page (wrong token or scope) by content type', async () => {
    const server = createFileServer({
      [URL_]: { body: '<!DOCTYPE html><html>Sign in</html>', contentType: 'text/html; charset=utf-8' },
    });
    const error = await downloadSlackFile(options(server.fetch)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SegbotError);
    expect(userMessage(error)).toMatch(/web page instead of the file/);
    expect(userMessage(error)).toMatch(/files:read/);
  });

  it('rejects an HTML page even when it is labelled as a CSV', async () => {
    const server = createFileServer({
      [URL_]: { body: '\n  <html><head><title>Slack</title></head></html>', contentType: 'text/csv' },
    });
    await expect(downloadSlackFile(options(server.fetch))).rejects.toThrow(/web page/);
  });

  it('explains refused access in terms of token and scope', async () => {
    const server = createFileServer({ [URL_]: { body: 'no', status: 403 } });
    const error = await downloadSlackFile(options(server.fetch)).catch((e: unknown) => e);
    expect(userMessage(error)).toMatch(/access was refused \(HTTP 403\)/);
    expect(userMessage(error)).toMatch(/SLACK_BOT_TOKEN/);
    expect(userMessage(error)).not.toMatch(/xoxb-secret/);
  });

  it('refuses a declared size above the cap before reading the body', async () => {
    const server = createFileServer({ [URL_]: { body: 'a,b\n1,2\n', contentLength: 50 * 1024 * 1024 } });
    const error = await downloadSlackFile(options(server.fetch, 1024 * 1024)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooLargeError);
    expect(userMessage(error)).toMatch(/larger \(50 MB\) than the 1 MB segbot accepts/);
  });

  it('stops reading as soon as an undeclared body passes the cap', async () => {
    const body = 'x,y\n'.repeat(2000); // 8,000 bytes in four chunks
    const server = createFileServer({ [URL_]: { body } });
    const chunks = await downloadSlackFile(options(server.fetch, 3000));
    await expect(collect(chunks)).rejects.toBeInstanceOf(TooLargeError);
  });

  it('reports a missing file and a network failure clearly', async () => {
    const missing = createFileServer({});
    await expect(downloadSlackFile(options(missing.fetch))).rejects.toThrow(/no longer available/);
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(downloadSlackFile(options(offline))).rejects.toThrow(/could not download customers.csv/);
  });
});

describe('looksLikeHtml', () => {
  it('recognises pages but not CSV text', () => {
    expect(looksLikeHtml(new TextEncoder().encode('\uFEFF<!doctype html>'))).toBe(true);
    expect(looksLikeHtml(new TextEncoder().encode('name,html\n<b>,1'))).toBe(false);
  });
});

describe('createSlackFileFetch', () => {
  const SLACK = 'https://files.slack.com/files-pri/T1-F1/download/customers.csv';

  it('fetches from Slack’s file host and, when set, the SLACK_API_URL host', async () => {
    const local = 'http://127.0.0.1:4321/files-pri/T1-F1/download/customers.csv';
    const server = createFileServer({ [SLACK]: { body: 'a,b\n1,2\n' }, [local]: { body: 'a,b\n1,2\n' } });
    const guarded = createSlackFileFetch({ fetch: server.fetch, slackApiUrl: 'http://127.0.0.1:4321/api/' });
    expect((await guarded(SLACK)).status).toBe(200);
    expect((await guarded(local)).status).toBe(200);
    expect(server.requests.map((r) => r.url)).toEqual([SLACK, local]);
  });

  it('refuses any other host before a request is made, with a message for the person', async () => {
    const server = createFileServer({});
    const guarded = createSlackFileFetch({ fetch: server.fetch, slackApiUrl: undefined });
    for (const url of [
      'https://evil.example/files-pri/T1-F1/download/customers.csv',
      'http://files.slack.com/files-pri/T1-F1/download/customers.csv',
      'https://files.slack.com.evil.example/x.csv',
      'http://127.0.0.1:4321/files-pri/T1-F1/download/customers.csv',
    ]) {
      const error = await downloadSlackFile({ ...options(guarded), url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SegbotError);
      expect(userMessage(error as SegbotError)).toMatch(/points outside Slack/);
    }
    expect(server.requests).toEqual([]);
  });

  it('follows a redirect within Slack but not one that leaves it', async () => {
    const inside = 'https://files.slack.com/files-pri/T1-F1/elsewhere.csv';
    const seen: string[] = [];
    const redirecting = (async (input: string | URL | Request) => {
      const url = String(input);
      seen.push(url);
      if (url === SLACK) return new Response(null, { status: 302, headers: { location: inside } });
      if (url === inside)
        return new Response(null, { status: 302, headers: { location: 'https://evil.example/x' } });
      return new Response('a,b\n', { status: 200 });
    }) as typeof fetch;
    const guarded = createSlackFileFetch({ fetch: redirecting, slackApiUrl: undefined });
    await expect(guarded(SLACK)).rejects.toThrow(/points outside Slack/);
    expect(seen).toEqual([SLACK, inside]);
  });
});
