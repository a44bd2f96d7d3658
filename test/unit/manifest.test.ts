import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerListeners } from '../../commands/index.js';
import { createTestDeps } from '../helpers/test-deps.js';

const root = join(import.meta.dirname, '..', '..');

interface Manifest {
  features: {
    app_home: { home_tab_enabled: boolean };
    shortcuts?: { name: string; type: 'global' | 'message'; callback_id: string; description: string }[];
    slash_commands: { command: string; usage_hint?: string }[];
    bot_user: { display_name: string };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as Manifest;

/** Records what registerListeners asks of the app, without starting anything. */
function registrations(): { method: string; name: unknown }[] {
  const seen: { method: string; name: unknown }[] = [];
  const app = new Proxy(
    {},
    {
      get: (_target, method) => (name: unknown) => {
        seen.push({ method: String(method), name });
      },
    },
  ) as unknown as App;
  registerListeners(app, createTestDeps().deps);
  return seen;
}

/** Web API methods (and the scopes they need) as the code calls them. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'files.uploadV2': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'files.info': ['files:read'],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.join': ['channels:join'],
  'users.info': ['users:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  // Views need no scope beyond the bot token (and, for modals, a trigger_id from the person).
  'views.open': [],
  'views.publish': [],
};

const EVENT_SUBSCRIPTIONS: Record<string, { events: string[]; scopes: string[] }> = {
  message: { events: ['message.channels', 'message.groups'], scopes: ['channels:history', 'groups:history'] },
  app_mention: { events: ['app_mention'], scopes: ['app_mentions:read'] },
  app_home_opened: { events: ['app_home_opened'], scopes: [] },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'local' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function calledMethods(): Set<string> {
  const methods = new Set<string>();
  // The emulator (src/local) implements Slack rather than calling it, so it is left out.
  for (const file of [...sourceFiles(join(root, 'commands')), ...sourceFiles(join(root, 'src'))]) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\.(chat|files|conversations|users|reactions|pins|views)\.(\w+)\(/g)) {
      methods.add(`${match[1]}.${match[2]}`);
    }
  }
  return methods;
}

describe('manifest.yml', () => {
  it('declares exactly the slash commands the app registers, with a usage hint', () => {
    const registered = registrations()
      .filter((r) => r.method === 'command')
      .map((r) => r.name);
    expect(registered.length).toBeGreaterThan(0);
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...registered].sort());
    for (const command of manifest.features.slash_commands) expect(command.usage_hint).toMatch(/segment/);
  });

  it('subscribes to every event the app listens to', () => {
    const listened = registrations()
      .filter((r) => r.method === 'event' || r.method === 'message')
      .map((r) => (r.method === 'message' ? 'message' : String(r.name)));
    expect(listened).toContain('message');
    for (const event of listened) {
      const needed = EVENT_SUBSCRIPTIONS[event];
      expect(needed, `no subscription known for the "${event}" listener`).toBeDefined();
      for (const name of needed!.events)
        expect(manifest.settings.event_subscriptions.bot_events).toContain(name);
    }
  });

  it('subscribes to no event that no listener needs (app_mention is for thread questions)', () => {
    const known = new Set([...Object.values(EVENT_SUBSCRIPTIONS).flatMap((s) => s.events)]);
    for (const event of manifest.settings.event_subscriptions.bot_events) expect(known).toContain(event);
  });

  it('grants the scope of every Web API method the code calls', () => {
    const methods = calledMethods();
    expect(methods.has('chat.postMessage')).toBe(true);
    const scopes = new Set(manifest.oauth_config.scopes.bot);
    for (const method of methods) {
      const needed = METHOD_SCOPES[method];
      expect(needed, `add ${method} and its scopes to METHOD_SCOPES and manifest.yml`).toBeDefined();
      for (const scope of needed!) expect(scopes, `${method} needs ${scope}`).toContain(scope);
    }
    expect(scopes).toContain('commands');
    for (const { scopes: eventScopes } of Object.values(EVENT_SUBSCRIPTIONS)) {
      for (const scope of eventScopes) expect(scopes).toContain(scope);
    }
  });

  it('asks for no scope that nothing here uses', () => {
    const explained = new Set([
      'commands',
      ...Object.values(METHOD_SCOPES).flat(),
      ...Object.values(EVENT_SUBSCRIPTIONS).flatMap((s) => s.scopes),
    ]);
    for (const scope of manifest.oauth_config.scopes.bot) expect(explained).toContain(scope);
  });

  it('declares exactly the shortcuts the app registers, and the Home tab it publishes', () => {
    const registered = registrations()
      .filter((r) => r.method === 'shortcut')
      .map((r) => String(r.name));
    expect(registered.length).toBe(2);
    expect((manifest.features.shortcuts ?? []).map((s) => s.callback_id).sort()).toEqual(registered.sort());
    for (const shortcut of manifest.features.shortcuts ?? []) {
      expect(shortcut.name.length).toBeLessThanOrEqual(24);
      expect(shortcut.description.length).toBeLessThanOrEqual(150);
    }
    const listensToHome = registrations().some((r) => r.method === 'event' && r.name === 'app_home_opened');
    expect(manifest.features.app_home.home_tab_enabled).toBe(listensToHome);
  });

  it('enables Socket Mode and a bot user', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toBe('segbot');
  });
});
