/**
 * The pieces every segbot modal is built from, with Slack's limits on them in one place.
 */
import type { types } from '@slack/bolt';

/** Slack shows at most 100 options in a static menu. */
export const MAX_OPTIONS = 100;

export const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** A menu option; its text is clipped to Slack's 75 characters (column names rarely need it, but data decides). */
export function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text.length > 75 ? `${text.slice(0, 74)}…` : text), value };
}
