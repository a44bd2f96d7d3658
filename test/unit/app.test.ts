import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SegbotDatabase } from '../../db/client.js';
import { createSegbotApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

let database: SegbotDatabase | undefined;
afterEach(() => {
  database?.close();
  database = undefined;
});

function appOptions() {
  database = openDatabase(':memory:');
  const config = readConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'test-signing-secret',
    SEGBOT_DB: ':memory:',
  });
  return { config, database, logger: createLogger({ level: 'silent' }) };
}

describe('createSegbotApp', () => {
  it('builds an app whose listeners have every dependency', () => {
    const app = createSegbotApp(appOptions());
    expect(app.pendingJobs()).toBe(0);
  });

  it('refuses to start when an override takes the access checks away, naming what is missing', () => {
    // A spread of `{ guard: undefined }` must not leave the role checks with nothing to check.
    expect(() =>
      createSegbotApp({ ...appOptions(), overrides: { guard: undefined, access: undefined } }),
    ).toThrow(/missing access, guard/);
  });
});
