/**
 * Recognising CSV files among the files people share, and finding the latest one in a channel.
 */
import type { WebClient } from '@slack/web-api';
import { NotFoundError } from '../errors.js';

/** The fields of a Slack file object segbot reads. */
export interface SharedFile {
  id: string;
  name?: string;
  title?: string;
  filetype?: string;
  mimetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
  /** Slack Connect files arrive without URLs and say so here; files.info has the rest. */
  file_access?: string;
}

/** A shared CSV and the message it came with, so replies go into that message's thread. */
export interface SharedCsv {
  file: SharedFile;
  /** ts of the message that shared the file (or of its thread root when shared in a thread). */
  threadTs: string;
  userId: string | undefined;
}

const CSV_TYPES = new Set(['csv', 'tsv']);
const CSV_MIME = new Set(['text/csv', 'application/csv', 'text/tab-separated-values', 'text/x-csv']);
const TABULAR_TYPES = new Set(['xlsx', 'xls', 'xlsm', 'ods', 'numbers', 'gsheet', 'text', 'json', 'tsv']);

/** Whether a shared file is a CSV (or tab-separated) file, by Slack filetype, MIME type or name. */
export function isCsvFile(file: SharedFile): boolean {
  if (file.filetype && CSV_TYPES.has(file.filetype.toLowerCase())) return true;
  if (file.mimetype && CSV_MIME.has(file.mimetype.toLowerCase().split(';')[0]!.trim())) return true;
  const name = (file.name ?? file.title ?? '').toLowerCase();
  return name.endsWith('.csv') || name.endsWith('.tsv');
}

/**
 * Whether a non-CSV file was probably meant as customer data (a spreadsheet, a text export), so
 * segbot should explain the CSV requirement instead of staying out of the conversation.
 */
export function looksLikeTableData(file: SharedFile): boolean {
  if (isCsvFile(file)) return false;
  const type = file.filetype?.toLowerCase() ?? '';
  if (TABULAR_TYPES.has(type)) return true;
  const name = (file.name ?? '').toLowerCase();
  return /\.(xlsx?|xlsm|ods|numbers|txt|json)$/.test(name);
}

/** The file's display name, safe to show in Slack. */
export function fileDisplayName(file: SharedFile): string {
  return file.name ?? file.title ?? 'the file';
}

interface HistoryMessage {
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  files?: SharedFile[];
}

/** How many recent messages `/segbot upload` looks through for a CSV. */
export const HISTORY_LOOKBACK = 200;

/**
 * The newest CSV shared by a person in the channel's recent history (conversations.history,
 * which needs channels:history / groups:history). Files the bot posted itself are skipped.
 */
export async function findLatestCsv(client: WebClient, channelId: string): Promise<SharedCsv> {
  let cursor: string | undefined;
  let seen = 0;
  while (seen < HISTORY_LOOKBACK) {
    const page = await client.conversations.history({
      channel: channelId,
      limit: Math.min(100, HISTORY_LOOKBACK - seen),
      ...(cursor ? { cursor } : {}),
    });
    const messages = (page.messages ?? []) as HistoryMessage[];
    seen += messages.length;
    for (const message of messages) {
      if (message.bot_id || !message.ts) continue;
      const file = (message.files ?? []).find(isCsvFile);
      if (file) return { file, threadTs: message.thread_ts ?? message.ts, userId: message.user };
    }
    cursor = page.response_metadata?.next_cursor || undefined;
    if (!cursor || messages.length === 0) break;
  }
  throw new NotFoundError(
    `No CSV file was shared in the last ${HISTORY_LOOKBACK} messages of this channel.`,
    'Drag the .csv file into this channel (segbot imports it straight away), or share it here and then type `/segbot upload`.',
  );
}
