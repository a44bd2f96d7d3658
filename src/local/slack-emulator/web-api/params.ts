import { BLOCK_KIT_LIMITS, findBlockKitViolations } from '../../check-blocks.js';
import type { Params } from '../http-io.js';
import { SlackMethodError } from '../method-error.js';
import type { EmulatedMessage } from '../types.js';

/** Web API methods by name; each returns the fields of an `ok: true` answer or throws SlackMethodError. */
export type WebApiMethods = Record<string, (params: Params) => Record<string, unknown>>;

export function textParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export function jsonParam(params: Params, name: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackMethodError('invalid_arguments', { errors: [`${name} is not valid JSON`] });
  }
}

/** Text and blocks of a message-posting call, checked against the limits Slack enforces. */
export function messageContent(params: Params): { text: string; blocks?: unknown[] } {
  const text = textParam(params, 'text') ?? '';
  const blocks = jsonParam(params, 'blocks');
  const attachments = jsonParam(params, 'attachments');
  if (blocks !== undefined) {
    const violations = findBlockKitViolations(blocks);
    if (violations.length > 0) {
      throw new SlackMethodError('invalid_blocks', {
        errors: violations,
        response_metadata: { messages: violations.map((violation) => `[ERROR] ${violation}`) },
      });
    }
  }
  if (text === '' && blocks === undefined && attachments === undefined) throw new SlackMethodError('no_text');
  if (text.length > BLOCK_KIT_LIMITS.messageText) throw new SlackMethodError('msg_too_long');
  return blocks === undefined ? { text } : { text, blocks: blocks as unknown[] };
}

/** Message metadata arrives as a JSON string (form-encoded) or an object (JSON body). */
export function metadataParam(value: unknown): EmulatedMessage['metadata'] | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { event_type: eventType, event_payload: payload } = parsed as Record<string, unknown>;
  if (typeof eventType !== 'string') return undefined;
  return {
    event_type: eventType,
    event_payload:
      typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {},
  };
}
