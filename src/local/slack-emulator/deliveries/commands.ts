import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Params, parseParams, readBody, sendJson } from '../http-io.js';
import { SlackMethodError } from '../method-error.js';
import type { EmulatorState } from '../state.js';
import type { CommandDelivery, EmulatedMessage } from '../types.js';
import { messageContent } from '../web-api/params.js';
import { sendSigned } from './signed-request.js';

/** Slack lets an app answer through one response_url this many times. */
const MAX_RESPONSE_URL_USES = 5;

/**
 * A person types a slash command: sends the signed, form-encoded command with a live response_url,
 * then shows what Slack would show for the app's acknowledgement.
 */
export async function sendCommand(
  state: EmulatorState,
  channelId: string,
  userId: string,
  text: string,
  commandOptions: { command?: string } = {},
): Promise<CommandDelivery> {
  const { teamId } = state;
  const channel = state.channelFor(channelId);
  const user = state.userFor(userId);
  channel.members.add(user.id);
  const command = commandOptions.command ?? '/segbot';
  const responseUrl = state.newResponseUrl(channel.id, user.id);
  const form = new URLSearchParams({
    token: 'verification-token-unused',
    team_id: teamId,
    team_domain: 'segbot-local',
    channel_id: channel.id,
    channel_name: channel.name,
    user_id: user.id,
    user_name: user.name,
    command,
    text: escapeMentions(state, text),
    api_app_id: state.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: state.newTrigger(user.id),
  });
  const delivery = await sendSigned(state, {
    body: form.toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  // What Slack shows the user when the app's acknowledgement carries a message, or fails.
  if (delivery.status !== 200) {
    state.store(
      slackbotNotice(state, channel.id, user.id, `${command} failed with the error "dispatch_failed"`),
    );
  } else if (delivery.ackMs > 3000) {
    state.store(
      slackbotNotice(state, channel.id, user.id, `${command} failed with the error "operation_timeout"`),
    );
  } else if (delivery.body.trim() !== '') {
    const content = ackContent(delivery.body);
    state.postAsBot({
      channel: channel.id,
      ...content.message,
      ...(content.inChannel ? {} : { ephemeralTo: user.id }),
    });
  }
  return { ...delivery, responseUrl };
}

/**
 * The app's manifest sets `should_escape`, so Slack sends a person picked from its @-list as
 * `<@U…|name>`; a name nobody in the workspace has stays plain text, as in Slack.
 */
function escapeMentions(state: EmulatorState, text: string): string {
  return text.replace(/(^|\s)@([\w.-]+)/g, (typed, before: string, name: string) => {
    const user = [...state.users.values()].find((u) => u.name.toLowerCase() === name.toLowerCase());
    return user ? `${before}<@${user.id}|${user.name}>` : typed;
  });
}

function slackbotNotice(state: EmulatorState, channel: string, user: string, text: string): EmulatedMessage {
  return { channel, ts: state.nextTs(), user: 'USLACKBOT', text, ephemeralTo: user };
}

function ackContent(body: string): { message: { text: string; blocks?: unknown[] }; inChannel: boolean } {
  try {
    const parsed = JSON.parse(body) as Params;
    const message = messageContent(parsed);
    return { message, inChannel: parsed['response_type'] === 'in_channel' };
  } catch {
    return { message: { text: body }, inChannel: false };
  }
}

/**
 * POST /commands/<id>: the app answers through a command's response_url: a new message (ephemeral
 * unless `in_channel`) or, with `replace_original`, an edit of the last one it sent there.
 */
export async function handleResponseUrl(
  state: EmulatorState,
  id: string,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) {
  const target = state.responseUrls.get(id);
  const params = await parseParams(request, await readBody(request), url);
  if (!target) return sendJson(response, 404, { ok: false, error: 'expired_url' });
  if (target.uses >= MAX_RESPONSE_URL_USES) return sendJson(response, 404, { ok: false, error: 'used_url' });
  target.uses += 1;
  let content: { text: string; blocks?: unknown[] };
  try {
    content = messageContent(params);
  } catch (error) {
    if (error instanceof SlackMethodError) return sendJson(response, 400, { ok: false, error: error.error });
    throw error;
  }
  const previous = target.lastTs ? state.findMessage(target.channel, target.lastTs, true) : undefined;
  if (params['replace_original'] === true || params['replace_original'] === 'true') {
    if (previous) {
      previous.text = content.text;
      if (content.blocks !== undefined) previous.blocks = content.blocks;
      previous.edited = true;
      state.activity.notify({ kind: 'updated', message: previous });
      return sendJson(response, 200, { ok: true });
    }
  }
  const inChannel = params['response_type'] === 'in_channel';
  const message = state.postAsBot({
    channel: target.channel,
    ...content,
    ...(inChannel ? {} : { ephemeralTo: target.user }),
  });
  target.lastTs = message.ts;
  sendJson(response, 200, { ok: true });
}
