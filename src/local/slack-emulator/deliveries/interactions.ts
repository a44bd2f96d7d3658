import { findViewViolations } from '../../check-blocks.js';
import { serializeMessage } from '../serialize.js';
import type { EmulatorState } from '../state.js';
import type { Delivery, EmulatedMessage, EmulatedView, InteractionActions } from '../types.js';
import { serializeView } from '../web-api/views.js';
import { sendEvent } from './events.js';
import { sendSigned } from './signed-request.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What people do with segbot's buttons, modals, Home tab and shortcuts, delivered to the app as
 * Slack delivers them: signed, form-encoded `payload=` bodies (block_actions, view_submission,
 * shortcut, message_action) and the `app_home_opened` event.
 */
export function interactionActions(state: EmulatorState): InteractionActions {
  const userOf = (userId: string) => {
    const user = state.userFor(userId);
    return { id: user.id, username: user.name, name: user.name, team_id: state.teamId };
  };
  const common = () => ({
    token: 'verification-token-unused',
    api_app_id: state.appId,
    team: { id: state.teamId, domain: 'segbot-local' },
    is_enterprise_install: false,
  });
  const send = (payload: Json): Promise<Delivery> =>
    sendSigned(state, {
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
  const modalsOf = (userId: string) =>
    [...state.views.values()].filter((v) => v.type === 'modal' && v.userId === userId && !v.closed);

  return {
    async pressButton(userId, place, actionId, options = {}) {
      let blocks: unknown;
      let message: EmulatedMessage | undefined;
      let view: EmulatedView | undefined;
      if ('viewId' in place) {
        view = state.views.get(place.viewId);
        if (!view || view.userId !== userId || view.closed) {
          throw new Error(`No view ${place.viewId} is on ${userId}'s screen.`);
        }
        blocks = view.view['blocks'];
      } else {
        message = state.findMessage(place.channel, place.ts, true);
        if (!message || (message.ephemeralTo !== undefined && message.ephemeralTo !== userId)) {
          throw new Error(`${userId} sees no message ${place.ts} in ${place.channel}.`);
        }
        blocks = message.blocks;
      }
      const found = findButton(blocks, actionId, options.blockId);
      if (!found) throw new Error(`There is no button ${actionId} there.`);
      if (isObject(found.element['confirm']) && !options.confirmed) {
        throw new Error(`The button ${actionId} asks for confirmation first; pass confirmed: true.`);
      }
      const action = {
        type: found.element['type'],
        action_id: actionId,
        block_id: found.blockId,
        text: found.element['text'],
        ...(found.element['value'] !== undefined ? { value: found.element['value'] } : {}),
        action_ts: state.nextTs(),
      };
      const user = userOf(userId);
      if (message) {
        const channel = state.channelFor(message.channel);
        channel.members.add(user.id);
        return send({
          ...common(),
          type: 'block_actions',
          user,
          container: {
            type: 'message',
            message_ts: message.ts,
            channel_id: channel.id,
            is_ephemeral: message.ephemeralTo !== undefined,
          },
          trigger_id: state.newTrigger(user.id),
          channel: { id: channel.id, name: channel.name },
          ...(message.ephemeralTo === undefined ? { message: serializeMessage(state, message) } : {}),
          response_url: state.newResponseUrl(channel.id, user.id),
          actions: [action],
          state: { values: {} },
        });
      }
      const shown = view as EmulatedView;
      return send({
        ...common(),
        type: 'block_actions',
        user,
        container: { type: 'view', view_id: shown.id },
        trigger_id: state.newTrigger(user.id),
        view: serializeView(state, shown),
        actions: [action],
        state: { values: {} },
      });
    },

    async submitView(userId, viewId, values) {
      const view = state.views.get(viewId);
      if (view?.type !== 'modal' || view.closed || view.userId !== userId) {
        throw new Error(`${userId} has no open modal ${viewId}.`);
      }
      const stateValues = inputValues(view, values);
      const delivery = await send({
        ...common(),
        type: 'view_submission',
        user: userOf(userId),
        trigger_id: state.newTrigger(userId),
        view: serializeView(state, view, stateValues),
        response_urls: [],
      });
      const answer = parseAnswer(delivery.body);
      if (delivery.status !== 200) return { delivery };
      if (answer?.['response_action'] === 'errors' && isObject(answer['errors'])) {
        const errors = Object.fromEntries(
          Object.entries(answer['errors']).map(([block, text]) => [block, String(text)]),
        );
        view.errors = errors;
        state.activity.notify();
        return { delivery, errors };
      }
      if (answer?.['response_action'] === 'update' && findViewViolations(answer['view']).length === 0) {
        view.view = answer['view'] as Json;
        view.hash = state.nextTs();
      } else if (answer?.['response_action'] === 'clear') {
        for (const open of modalsOf(userId)) open.closed = true;
      } else {
        view.closed = true;
      }
      state.activity.notify();
      return { delivery };
    },

    openHome(userId) {
      const user = state.userFor(userId);
      const home = [...state.views.values()].find((v) => v.type === 'home' && v.userId === user.id);
      return sendEvent(state, {
        type: 'app_home_opened',
        user: user.id,
        channel: `D${user.id.slice(1)}`,
        tab: 'home',
        ...(home ? { view: serializeView(state, home) } : {}),
      });
    },

    globalShortcut(userId, callbackId) {
      return send({
        ...common(),
        type: 'shortcut',
        callback_id: callbackId,
        trigger_id: state.newTrigger(userId),
        user: userOf(userId),
        action_ts: state.nextTs(),
      });
    },

    messageShortcut(userId, callbackId, channelId, ts) {
      const channel = state.channelFor(channelId);
      const message = state.findMessage(channel.id, ts);
      if (!message) throw new Error(`There is no message ${ts} in ${channelId}.`);
      channel.members.add(userId);
      return send({
        ...common(),
        type: 'message_action',
        callback_id: callbackId,
        trigger_id: state.newTrigger(userId),
        message_ts: message.ts,
        response_url: state.newResponseUrl(channel.id, userId),
        channel: { id: channel.id, name: channel.name },
        user: userOf(userId),
        message: serializeMessage(state, message),
        action_ts: state.nextTs(),
      });
    },

    views: (userId) => [...state.views.values()].filter((v) => v.userId === userId),
    openModal: (userId) => modalsOf(userId).at(-1),
    home: (userId) => [...state.views.values()].find((v) => v.type === 'home' && v.userId === userId),
  };
}

function parseAnswer(body: string): Json | undefined {
  if (body.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The button `actionId` among the blocks (in an actions block or as a section's accessory). */
function findButton(
  blocks: unknown,
  actionId: string,
  blockId: string | undefined,
): { element: Json; blockId: string } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block)) continue;
    const id = typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;
    if (blockId !== undefined && id !== blockId) continue;
    const elements = [
      ...(Array.isArray(block['elements']) ? block['elements'] : []),
      ...(isObject(block['accessory']) ? [block['accessory']] : []),
    ];
    const element = elements.find(
      (e) => isObject(e) && e['type'] === 'button' && e['action_id'] === actionId,
    );
    if (isObject(element)) return { element, blockId: id };
  }
  return undefined;
}

/**
 * The `state.values` Slack sends with a submission, from what the person chose per action_id.
 * As Slack's client does, refuses to submit without a required input or with an option the
 * element does not offer.
 */
function inputValues(view: EmulatedView, chosen: Record<string, string | string[]>) {
  const values: Record<string, Record<string, unknown>> = {};
  const blocks = Array.isArray(view.view['blocks']) ? view.view['blocks'] : [];
  blocks.forEach((block, index) => {
    if (!isObject(block) || block['type'] !== 'input' || !isObject(block['element'])) return;
    const element = block['element'];
    const blockId = typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;
    const actionId = String(element['action_id'] ?? `a${index}`);
    // What the form showed at the start is submitted unless the person changed it, as in Slack.
    const choice = actionId in chosen ? chosen[actionId] : initialChoice(element);
    const given = choice !== undefined && choice !== '' && !(Array.isArray(choice) && choice.length === 0);
    if (!given && block['optional'] !== true) {
      throw new Error(`The input ${actionId} is required; Slack would not submit the form.`);
    }
    const type = String(element['type']);
    const list = choice === undefined ? [] : Array.isArray(choice) ? choice : [choice];
    const option = (value: string) => {
      const options = allOptions(element);
      const found = options.find((o) => o['value'] === value);
      if (!found) throw new Error(`${actionId} offers no option ${value}.`);
      return found;
    };
    let value: Record<string, unknown>;
    switch (type) {
      case 'static_select':
      case 'radio_buttons':
        value = { selected_option: given ? option(String(list[0])) : null };
        break;
      case 'multi_static_select':
      case 'checkboxes':
        value = { selected_options: list.map(option) };
        break;
      case 'conversations_select':
        value = { selected_conversation: given ? list[0] : null };
        break;
      case 'channels_select':
        value = { selected_channel: given ? list[0] : null };
        break;
      default:
        value = { value: given ? String(list[0]) : null };
    }
    values[blockId] = { ...values[blockId], [actionId]: { type, ...value } };
  });
  return values;
}

/** An input's initial value, option or options, as the person would submit them untouched. */
function initialChoice(element: Json): string | string[] | undefined {
  if (typeof element['initial_value'] === 'string') return element['initial_value'];
  if (isObject(element['initial_option'])) return String(element['initial_option']['value']);
  if (Array.isArray(element['initial_options'])) {
    return element['initial_options'].filter(isObject).map((o) => String(o['value']));
  }
  return undefined;
}

function allOptions(element: Json): Json[] {
  const direct = Array.isArray(element['options']) ? element['options'] : [];
  const grouped = Array.isArray(element['option_groups'])
    ? element['option_groups'].flatMap((g) =>
        isObject(g) && Array.isArray(g['options']) ? g['options'] : [],
      )
    : [];
  return [...direct, ...grouped].filter(isObject);
}
