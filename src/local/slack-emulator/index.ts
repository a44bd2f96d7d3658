/**
 * A loopback stand-in for Slack: the Web API methods segbot calls, file hosting with Slack's
 * token check, response URLs, and signed events and slash commands sent to the app's receiver.
 * Local mode runs the real app against it, and the end-to-end tests use it to see what the app did.
 * It keeps everything in memory and listens on 127.0.0.1 only.
 *
 * Layout: `state.ts` (the workspace in memory), `web-api/` (one file per method family),
 * `dispatch.ts` (token check, faults, method call), `file-hosting.ts`, `deliveries/` (signed events,
 * commands and their response URLs), `http-server.ts` (routing), `faults.ts` and `activity.ts`.
 */
import { sendCommand } from './deliveries/commands.js';
import { personActions } from './deliveries/events.js';
import { interactionActions } from './deliveries/interactions.js';
import { sendSigned } from './deliveries/signed-request.js';
import { startHttpServer } from './http-server.js';
import { createEmulatorState } from './state.js';
import type { SlackEmulator, SlackEmulatorOptions } from './types.js';
import { createWebApi } from './web-api/index.js';

export type * from './types.js';

/** Starts the emulator on 127.0.0.1 and resolves once it listens. */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const state = createEmulatorState(options);
  const server = await startHttpServer(state, createWebApi(state), options.port ?? 0);
  const { baseUrl, teamId, botUserId, botId, timeline, fileStore, callLog, downloadLog, activity } = state;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    teamId,
    botUserId,
    botId,
    setEventsUrl(url: string) {
      state.eventsUrl = url;
    },
    addChannel: state.addChannel,
    addUser: state.addUser,

    ...personActions(state),
    ...interactionActions(state),
    sendCommand: (channelId, userId, text, commandOptions) =>
      sendCommand(state, channelId, userId, text, commandOptions),
    sendSigned: (request) => sendSigned(state, request),

    failNext(method, fault) {
      state.faults.add(method, fault);
    },

    messages(channel, filter = {}) {
      return (timeline.get(channel) ?? []).filter(
        (message) =>
          ((filter.includeEphemeral ?? true) ? true : message.ephemeralTo === undefined) &&
          (filter.threadTs === undefined ||
            message.ts === filter.threadTs ||
            message.threadTs === filter.threadTs),
      );
    },

    files(channel) {
      return [...fileStore.values()].filter((file) => file.channels.includes(channel));
    },

    file(id) {
      return fileStore.get(id);
    },

    downloads() {
      return [...downloadLog];
    },

    calls(method) {
      return method === undefined ? [...callLog] : callLog.filter((call) => call.method === method);
    },

    waitFor: activity.waitFor,
    onActivity: activity.onActivity,

    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
