/**
 * Recognising CSV files among the files people share, and finding the latest one in a channel.
 */
import { NotFoundError } from '../errors.js';
import { type HistoryClient, type ScannedMessage, scanHistory } from './scan-history.js';

/**
 * The fields of a Slack file object segbot reads, whether it came with an event, from files.info
 * or with a message in the channel's history (the Slack type packages disagree on null names).
 */
export interface SharedFile {
  id: string;
  name?: string | null;
  title?: string | null;
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

/** How many recent messages `/segbot upload` looks through for a CSV. */
export const HISTORY_LOOKBACK = 200;

/** CSV files a person (not a bot) shared with one message, and where that message is. */
function sharedCsvsOf(message: ScannedMessage): SharedCsv[] {
  if (message.bot_id || !message.ts) return [];
  const threadTs = message.thread_ts ?? message.ts;
  return (message.files ?? [])
    .filter((file): file is typeof file & { id: string } => typeof file.id === 'string')
    .filter(isCsvFile)
    .map((file) => ({ file, threadTs, userId: message.user }));
}

/**
 * The newest CSV shared by a person in the channel's recent history (conversations.history,
 * which needs channels:history / groups:history). Files the bot posted itself are skipped.
 */
export async function findLatestCsv(client: HistoryClient, channelId: string): Promise<SharedCsv> {
  const latest = await scanHistory(
    client,
    { channel: channelId, maxMessages: HISTORY_LOOKBACK },
    (message) => sharedCsvsOf(message)[0],
  );
  if (latest) return latest;
  throw new NotFoundError(
    `No CSV file was shared in the last ${HISTORY_LOOKBACK} messages of this channel.`,
    'Drag the .csv file into this channel (segbot imports it straight away), or share it here and then type `/segbot upload`.',
  );
}

/** Up to `count` CSV files people shared in the channel's recent history, newest first. */
export async function findRecentCsvs(
  client: HistoryClient,
  channelId: string,
  count: number,
): Promise<SharedFile[]> {
  const files: SharedFile[] = [];
  await scanHistory(client, { channel: channelId, maxMessages: HISTORY_LOOKBACK }, (message) => {
    for (const shared of sharedCsvsOf(message)) files.push(shared.file);
    return files.length >= count ? true : undefined;
  });
  return files.slice(0, count);
}
