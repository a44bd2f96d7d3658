/**
 * The pieces every segbot modal is built from, with Slack's limits on them in one place.
 */
import type { types } from '@slack/bolt';
import type { DatasetRecord } from '../deps.js';

/** Slack shows at most 100 options in a static menu. */
export const MAX_OPTIONS = 100;

export const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** A menu option; its text is clipped to Slack's 75 characters (column names rarely need it, but data decides). */
export function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text.length > 75 ? `${text.slice(0, 74)}…` : text), value };
}

/**
 * Columns a form offers to segment on or to leave out of a model, in file order: the numeric and
 * categorical ones (ids, dates, dropped columns and product flags are not features).
 */
export function usableColumns(dataset: Pick<DatasetRecord, 'schema'>): string[] {
  return dataset.schema.columns
    .filter((c) => c.role === 'numeric' || c.role === 'categorical')
    .map((c) => c.name);
}
