import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearer, parseParams, readBody, sendJson } from './http-io.js';
import { SlackMethodError } from './method-error.js';
import type { EmulatorState } from './state.js';
import { textParam, type WebApiMethods } from './web-api/params.js';

/**
 * POST /api/<method>: logs the call (token removed), checks the token as Slack does, answers a
 * planned fault if there is one, else runs the method.
 */
export async function dispatchApiCall(
  state: EmulatorState,
  methods: WebApiMethods,
  method: string,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) {
  const params = await parseParams(request, await readBody(request), url);
  const token = bearer(request) ?? textParam(params, 'token');
  delete params['token'];
  state.callLog.push({ method, params });
  state.activity.notify();
  if (token === undefined) return sendJson(response, 200, { ok: false, error: 'not_authed' });
  if (token !== state.options.botToken) return sendJson(response, 200, { ok: false, error: 'invalid_auth' });

  const fault = state.faults.take(method);
  if (fault) {
    if (fault.hang) return;
    if (fault.retryAfter !== undefined) {
      return sendJson(
        response,
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(fault.retryAfter) },
      );
    }
    return sendJson(response, 200, { ok: false, error: fault.error ?? 'internal_error' });
  }

  const handler = methods[method];
  if (!handler) return sendJson(response, 200, { ok: false, error: 'unknown_method' });
  try {
    sendJson(response, 200, { ok: true, ...handler(params) });
  } catch (error) {
    if (error instanceof SlackMethodError) {
      return sendJson(response, 200, { ok: false, error: error.error, ...error.extra });
    }
    throw error;
  }
}
