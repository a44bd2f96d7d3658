import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, createSlackLogger, REDACTED, scrubTokens } from '../../src/logger.js';

const TOKEN = 'xoxb-123456-7890-SeCrEtVaLuE';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines at or above its level to the injected stream', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'warn', destination });
    logger.info('quiet');
    logger.warn({ channel: 'C1' }, 'loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, msg: 'loud', channel: 'C1', app: 'segbot' });
  });

  it('never writes a token, whether in a field, a header, a message or an error', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'trace', destination });
    logger.info({ token: TOKEN, config: { botToken: TOKEN, appToken: 'xapp-1-A1-abc' } }, 'fields');
    logger.info({ request: { headers: { authorization: `Bearer ${TOKEN}` } } }, 'header');
    logger.warn(`calling Slack with ${TOKEN}`);
    logger.error({ err: new Error(`auth failed for ${TOKEN}`) }, 'error');
    createSlackLogger(logger).error('sdk failure', new Error(`token ${TOKEN} revoked`));
    const all = lines.join('');
    expect(lines).toHaveLength(5);
    expect(all).not.toContain('SeCrEtVaLuE');
    expect(all).not.toContain('xapp-1-A1-abc');
    expect(all).toContain(REDACTED);
  });

  it('redacts message text, file contents and customer rows', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    logger.info({
      text: 'CUST-00042 is a revolver',
      file: { content: 'CUST_ID,BALANCE\nC1,10' },
      rows: [['C1']],
    });
    const line = JSON.parse(lines[0]!);
    expect(line.text).toBe(REDACTED);
    expect(line.file.content).toBe(REDACTED);
    expect(line.rows).toBe(REDACTED);
    expect(lines[0]).not.toContain('CUST');
  });

  it('keeps counts under redacted keys readable', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).info({ rows: 5000, text: 'C1' }, 'dataset stored');
    expect(JSON.parse(lines[0]!)).toMatchObject({ rows: 5000, text: REDACTED });
  });

  it('drops the Slack SDK debug output, which carries whole request bodies', () => {
    const { lines, destination } = capture();
    const slack = createSlackLogger(createLogger({ level: 'trace', destination }));
    slack.debug('http request body: {"text":"CUST-1 moved"}');
    slack.info('connected');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'connected', component: 'slack-sdk' });
  });
});

describe('scrubTokens', () => {
  it('keeps the token kind and removes the secret part', () => {
    expect(scrubTokens('a xoxb-1-2-abc b xapp-1-X-y c xoxp-9')).toBe(
      `a xoxb-${REDACTED} b xapp-${REDACTED} c xoxp-${REDACTED}`,
    );
  });
});
