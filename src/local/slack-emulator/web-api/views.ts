import { findViewViolations } from '../../check-blocks.js';
import type { Params } from '../http-io.js';
import { SlackMethodError } from '../method-error.js';
import type { EmulatorState } from '../state.js';
import type { EmulatedView } from '../types.js';
import { jsonParam, textParam, type WebApiMethods } from './params.js';

/** Slack keeps at most three modals stacked. */
const MAX_STACK = 3;

/**
 * views.open / push / update / publish, as Slack checks them: a trigger_id is good for three seconds
 * and one modal, a view must be within Block Kit's limits, and an update names its view by id or
 * external id (with a hash that must still match when given).
 */
export function viewsMethods(state: EmulatorState): WebApiMethods {
  const checkedView = (params: Params): Record<string, unknown> => {
    const view = jsonParam(params, 'view');
    const violations = findViewViolations(view);
    if (violations.length > 0) {
      throw new SlackMethodError('invalid_arguments', {
        errors: violations,
        response_metadata: { messages: violations.map((violation) => `[ERROR] ${violation}`) },
      });
    }
    return view as Record<string, unknown>;
  };

  const takeTrigger = (params: Params): string => {
    const id = textParam(params, 'trigger_id');
    const trigger = id ? state.triggers.get(id) : undefined;
    if (!id || !trigger) throw new SlackMethodError('invalid_trigger_id');
    state.triggers.delete(id);
    if (Date.now() > trigger.expiresAt) throw new SlackMethodError('expired_trigger_id');
    return trigger.userId;
  };

  const store = (fields: Omit<EmulatedView, 'id' | 'hash' | 'closed'>): EmulatedView => {
    const view: EmulatedView = { id: state.nextId('V'), hash: state.nextTs(), closed: false, ...fields };
    state.views.set(view.id, view);
    state.activity.notify();
    return view;
  };

  const openStack = (userId: string): EmulatedView[] =>
    [...state.views.values()].filter((v) => v.type === 'modal' && v.userId === userId && !v.closed);

  return {
    'views.open': (params) => {
      const view = checkedView(params);
      if (view['type'] !== 'modal') throw new SlackMethodError('invalid_arguments');
      const userId = takeTrigger(params);
      // A new modal replaces whatever stack the person had open.
      for (const old of openStack(userId)) old.closed = true;
      return { view: serializeView(state, store({ type: 'modal', userId, view })) };
    },
    'views.push': (params) => {
      const view = checkedView(params);
      const userId = takeTrigger(params);
      const stack = openStack(userId);
      if (stack.length === 0) throw new SlackMethodError('not_found');
      if (stack.length >= MAX_STACK) throw new SlackMethodError('push_limit_reached');
      const previousViewId = stack.at(-1)?.id;
      return {
        view: serializeView(
          state,
          store({ type: 'modal', userId, view, ...(previousViewId ? { previousViewId } : {}) }),
        ),
      };
    },
    'views.update': (params) => {
      const view = checkedView(params);
      const id = textParam(params, 'view_id');
      const externalId = textParam(params, 'external_id');
      const existing = [...state.views.values()].find(
        (v) =>
          (id !== undefined && v.id === id) ||
          (externalId !== undefined && v.view['external_id'] === externalId),
      );
      if (!existing || existing.closed) throw new SlackMethodError('not_found');
      const hash = textParam(params, 'hash');
      if (hash !== undefined && hash !== existing.hash) throw new SlackMethodError('hash_conflict');
      existing.view = view;
      existing.hash = state.nextTs();
      delete existing.errors;
      state.activity.notify();
      return { view: serializeView(state, existing) };
    },
    'views.publish': (params) => {
      const view = checkedView(params);
      if (view['type'] !== 'home') throw new SlackMethodError('invalid_arguments');
      const user = state.users.get(textParam(params, 'user_id') ?? '');
      if (!user) throw new SlackMethodError('user_not_found');
      const existing = [...state.views.values()].find((v) => v.type === 'home' && v.userId === user.id);
      if (existing) {
        existing.view = view;
        existing.hash = state.nextTs();
        state.activity.notify();
        return { view: serializeView(state, existing) };
      }
      return { view: serializeView(state, store({ type: 'home', userId: user.id, view })) };
    },
  };
}

/** A view as Slack returns it and sends it in interactive payloads (with the inputs' state). */
export function serializeView(
  state: EmulatorState,
  view: EmulatedView,
  values: Record<string, Record<string, unknown>> = {},
) {
  return {
    ...view.view,
    id: view.id,
    team_id: state.teamId,
    app_id: state.appId,
    bot_id: state.botId,
    hash: view.hash,
    callback_id: view.view['callback_id'] ?? '',
    private_metadata: view.view['private_metadata'] ?? '',
    external_id: view.view['external_id'] ?? '',
    previous_view_id: view.previousViewId ?? null,
    root_view_id: view.id,
    state: { values },
  };
}
