/**
 * Local mode as `npm start` runs it without a token: the loopback Slack, the real app, the sample
 * upload and the console, driven through piped input.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { readConfig } from '../../src/config.js';
import { startLocalMode } from '../../src/local/start-local.js';
import { createLogger } from '../../src/logger.js';

describe('local mode', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'segbot-local-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function session(script: string) {
    const config = readConfig({ SEGBOT_DB: join(dir, 'segbot.sqlite'), SEGBOT_CHART_DIR: join(dir, 'out') });
    const database = openDatabase(config.dbPath);
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk) => {
      text += String(chunk);
    });
    const local = await startLocalMode({
      config,
      database,
      logger: createLogger({ level: 'silent' }),
      input,
      output,
      interactive: false,
      sample: {
        name: 'sample-customers.csv',
        bytes: new TextEncoder().encode(generateCustomersCsv({ rows: 300, seed: 42 })),
      },
    });
    input.end(script);
    await local.done;
    database.close();
    return text;
  }

  it('starts with the sample uploaded, so the first segment works, and saves the charts', async () => {
    const text = await session('/segbot segment k=3\n/segbot runs\n/quit\n');
    expect(text).toContain('Sharing sample-customers.csv into #marketing');
    expect(text).toMatch(/IMPORTED SAMPLE-CUSTOMERS\.CSV AS DATASET V1/);
    expect(text).toMatch(/3 CUSTOMER SEGMENTS/);
    expect(text).toContain('[chart saved]');
    expect(text).toContain('SEGMENTATION RUNS IN THIS CHANNEL');
    // Each line waited for the bot: the run list comes after the run.
    expect(text.indexOf('SEGMENTATION RUNS')).toBeGreaterThan(text.indexOf('3 CUSTOMER SEGMENTS'));
    const charts = readdirSync(join(dir, 'out'));
    expect(charts.filter((name) => name.endsWith('.png')).length).toBeGreaterThanOrEqual(3);
  });

  it('moves time with /clock so a weekly digest can be seen at once', async () => {
    const text = await session('/segbot digest weekly monday 09:00 UTC\n/clock +7d\n/quit\n');
    expect(text).toMatch(/subscribed this channel to a weekly segment digest/);
    expect(text).toMatch(/Time is now \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
    expect(text).toMatch(/Weekly segment digest/);
  });

  it('keeps the data of an earlier session instead of sharing the sample again', async () => {
    await session('');
    const text = await session('');
    expect(text).toContain(
      '#marketing already has sample-customers.csv (version 1, 300 rows) from an earlier session.',
    );
    expect(text).not.toContain('Sharing sample-customers.csv');
    expect(existsSync(join(dir, 'segbot.sqlite'))).toBe(true);
  });

  it('numbers the bot’s buttons, presses them with /press, fills a form with /submit and opens /home', async () => {
    const text = await session('/press 2\n/submit k=3\n/press 1\n/home\n/quit\n');
    // The sample's quality report ends with its two buttons, numbered.
    expect(text).toMatch(/\[1: Segment now\] \[2: Segment with options…\]/);
    expect(text).toContain('you pressed “Segment with options…”');
    expect(text).toContain('segbot opened a form: Segment customers');
    expect(text).toMatch(/k: Number of segments — one of: auto, 3, 4/);
    expect(text).toContain('you submitted the form');
    expect(text).toMatch(/3 CUSTOMER SEGMENTS/);
    // Each segment's buttons continue the numbering, as the README's session shows.
    expect(text).toMatch(
      /\[3: Describe\] \[4: Export list\] \[5: Predict uptake…\] \[6: Start a campaign…\] {2}\(\/press N\)/,
    );
    expect(text).toContain('you pressed “Segment now”');
    expect(text).toContain('segbot Home:');
    expect(text).toMatch(/Latest upload: \*?sample-customers\.csv\*? v1/);
    // The automatic run after "Segment now" comes before Home, which then shows it.
    expect(text.indexOf('segbot Home:')).toBeGreaterThan(text.lastIndexOf('CUSTOMER SEGMENTS IN'));
  });
});
