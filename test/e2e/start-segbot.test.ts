/**
 * segbot as it is started for real: from the environment, in-process and as a child process
 * (config errors, SIGTERM).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { type SlackEmulator, startSlackEmulator } from '../../src/local/slack-emulator/index.js';
import { startSegbot } from '../../src/main.js';

const root = join(import.meta.dirname, '..', '..');
const TOKEN = 'xoxb-start-test-token';
const SECRET = 'start-test-signing-secret';

function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  // 'close', not 'exit': the child's last stdout lines may still be in the pipe when it exits.
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

describe('startSegbot', () => {
  let dir: string;
  let emulator: SlackEmulator;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segbot-start-'));
    emulator = await startSlackEmulator({ botToken: TOKEN, signingSecret: SECRET });
  });
  afterEach(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const httpEnv = () => ({
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: emulator.apiUrl,
    PORT: '0',
    SEGBOT_DB: join(dir, 'segbot.sqlite'),
  });

  it('starts in HTTP mode from the environment, answers a signed command and stops', async () => {
    const running = await startSegbot({ ...httpEnv(), LOG_LEVEL: 'silent' }, { handleSignals: false });
    expect(running.mode).toBe('http');
    emulator.setEventsUrl(`http://127.0.0.1:${running.port}/slack/events`);
    const delivery = await emulator.sendCommand('C0START01', 'U0START01', 'help');
    expect(delivery.status).toBe(200);
    await emulator.waitFor(() => emulator.messages('C0START01').find((m) => m.user === emulator.botUserId), {
      what: 'the help reply',
    });
    await running.stop();
    await running.done;
    await expect(fetch(`http://127.0.0.1:${running.port}/healthz`)).rejects.toThrow();
  });

  it('turns a token Slack rejects into a config error about SLACK_BOT_TOKEN', async () => {
    const env = { ...httpEnv(), SLACK_BOT_TOKEN: 'xoxb-revoked', LOG_LEVEL: 'silent' };
    await expect(startSegbot(env, { handleSignals: false })).rejects.toSatisfy(
      (error) => error instanceof ConfigError && error.variable === 'SLACK_BOT_TOKEN',
    );
  });

  it('exits with status 2 and a fix-it message, without a stack trace, on a bad setting', async () => {
    const run = runMain({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SECRET });
    expect(await run.exit).toBe(2);
    const { stderr } = run.output();
    expect(stderr).toContain('SLACK_BOT_TOKEN');
    expect(stderr).toContain('OAuth & Permissions');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('user-token');
  });

  it('stops gracefully on SIGTERM and exits 0', async () => {
    const run = runMain({ ...httpEnv(), LOG_LEVEL: 'info' });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (run.output().stdout.includes('segbot is listening')) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
      void run.exit.then((code) => {
        clearInterval(timer);
        reject(new Error(`segbot exited early (${code}): ${run.output().stderr}`));
      });
    });
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    const { stdout } = run.output();
    expect(stdout).toContain('"signal":"SIGTERM"');
    expect(stdout).toContain('segbot stopped');
    expect(stdout).not.toContain(TOKEN);
  });
});
