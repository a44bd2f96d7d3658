/**
 * Upload: a CSV shared in the channel (file_share event) or the latest one there (`/segbot upload`)
 * is downloaded, ingested, stored as the channel's next dataset version, and answered in the
 * file's thread with the data-quality report.
 */
import type { FileShareMessageEvent } from '@slack/types';
import { assertTextContent } from '../src/analytics/ingest/detect-format.js';
import { dayNumber } from '../src/analytics/transactions/aggregate-transactions.js';
import { collectBytes } from '../src/collect-bytes.js';
import { BadInputError, NotAllowedError, SegbotError, TooLargeError } from '../src/errors.js';
import { ingestUpload } from '../src/services/ingest-upload.js';
import { storeIngestedDataset } from '../src/services/store-dataset.js';
import { formatBytes } from '../src/slack/blocks/format.js';
import { downloadSlackFile } from '../src/slack/download-file.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { type ProgressMessage, startProgress } from '../src/slack/post-message.js';
import { errorText, reportError, safeErrorFields } from '../src/slack/report-error.js';
import {
  fileDisplayName,
  findLatestCsv,
  isCsvFile,
  looksLikeTableData,
  type SharedCsv,
  type SharedFile,
} from '../src/slack/shared-files.js';
import { type CommandContext, runQueued } from './context.js';
import type { DatasetRecord } from './deps.js';
import { parseOptions } from './parse-args.js';
import { customerListNotice, looksLikeCustomerList } from './predict.js';

/** Fills in a file's download URL when the event left it out (Slack Connect, large events). */
async function withDownloadUrl(ctx: CommandContext, file: SharedFile): Promise<SharedFile> {
  if (file.url_private_download || file.url_private) return file;
  const info = await ctx.client.files.info({ file: file.id });
  return { ...file, ...(info.file as SharedFile | undefined) };
}

/**
 * Only admins replace a channel's data. A refused file is never downloaded, so segbot cannot tell
 * a customer table from a list of ids to score; the refusal says how to score a list, which anyone
 * may do.
 */
async function requireUploader(ctx: CommandContext): Promise<void> {
  try {
    await ctx.deps.guard.requireAdmin(ctx.userId, 'upload customer data');
  } catch (error) {
    if (!(error instanceof NotAllowedError)) throw error;
    throw new NotAllowedError(
      error.message,
      `${error.hint ?? ''} If the file is a list of customer ids to score, you need no admin: type \`/segbot predict <product> list\` in this channel.`.trim(),
    );
  }
}

/**
 * Imports one shared CSV in the channel's queue. Problems before anything was posted go to the
 * user ephemerally; after the progress message is up, it is replaced by the outcome, so the
 * file's thread always ends in either a report or the reason there is none.
 */
export async function importSharedCsv(
  ctx: CommandContext,
  shared: SharedCsv,
  options: { asOf?: string } = {},
): Promise<DatasetRecord | null> {
  const { deps } = ctx;
  const fileName = fileDisplayName(shared.file);
  // File names are chosen by people; escaped so one cannot become a mention or a link.
  const shownName = escapeSlackText(fileName);
  const target = { ...ctx.errorTarget, threadTs: shared.threadTs };
  try {
    await requireUploader(ctx);
    return await runQueued(ctx, 'upload', `upload of ${shownName}`, async (job) => {
      const file = await withDownloadUrl(ctx, shared.file);
      const url = file.url_private_download ?? file.url_private;
      if (file.size !== undefined && file.size > deps.config.maxUploadBytes) {
        throw new TooLargeError(
          `${fileName} is ${formatBytes(file.size)}, more than the ${formatBytes(deps.config.maxUploadBytes)} segbot accepts.`,
          'Upload fewer rows or columns (for example one month or one region at a time), or ask an admin to raise SEGBOT_MAX_UPLOAD_MB.',
        );
      }
      if (!url) {
        throw new BadInputError(`Slack gave segbot no download link for ${fileName}.`, {
          hint: 'Share the file again as an upload (not a link to an external file).',
        });
      }
      const token = ctx.botToken;
      if (!token) {
        throw new BadInputError('segbot has no bot token to download files with.', {
          hint: 'Ask an admin to set SLACK_BOT_TOKEN.',
        });
      }
      const sizeNote = file.size !== undefined ? ` (${formatBytes(file.size)})` : '';
      const progress: ProgressMessage = await startProgress(ctx.client, {
        channelId: ctx.channelId,
        threadTs: shared.threadTs,
        text: `:hourglass_flowing_sand: Importing ${shownName}${sizeNote}…`,
        logger: deps.logger,
      });
      await job.setProgressTs(progress.ts);
      try {
        const chunks = await downloadSlackFile({
          url,
          token,
          fileName,
          maxBytes: deps.config.maxUploadBytes,
          fetch: deps.fetch,
        });
        progress.stage(`:hourglass_flowing_sand: Reading ${shownName}${sizeNote} and checking its columns…`);
        // The download is already capped at SEGBOT_MAX_UPLOAD_MB, so holding it as one buffer is
        // bounded, and a whole buffer lets ingest take its byte-level fast path for quote-free files
        // (about ten times less CPU than the streaming parser on a million rows).
        const bytes = await collectBytes(chunks);
        const head = bytes.subarray(0, 64 * 1024);
        // Random bytes can look like one column of ids: binary content is refused first, whatever its name.
        assertTextContent(head, fileName);
        // A one-column CSV of ids is a list of customers to score, not data to replace the channel's.
        if (looksLikeCustomerList(head)) {
          await progress.finish(customerListNotice(fileName));
          return null;
        }
        // A transaction file becomes one row per customer before it is stored.
        const ingest = await ingestUpload(bytes, { fileName, ...options }, deps.ingestCsv);
        const stored = await storeIngestedDataset(deps, {
          channelId: ctx.channelId,
          userId: ctx.userId,
          ingest,
          signal: job.signal,
        });
        if (stored.status === 'unchanged') {
          await progress.finish(unchangedNotice(shownName, stored.record));
          return stored.record;
        }
        await progress.finish(stored.report.text, stored.report.blocks);
        // A transaction upload whose RFM segments moved beyond the channel's threshold opens a thread.
        await deps.digests.detectRfmChange(ctx.channelId).catch((error: unknown) => {
          deps.logger.error(safeErrorFields(error, 'RFM change detection'), 'RFM change detection failed');
        });
        return stored.record;
      } catch (error) {
        const text = errorText(error, deps.logger, 'upload');
        job.markFailed(error);
        await progress.finish(`:x: Could not import ${shownName}; the channel’s data is unchanged.\n${text}`);
        return null;
      }
    });
  } catch (error) {
    await reportError(error, target, deps.logger, 'upload');
    return null;
  }
}

function unchangedNotice(shownName: string, latest: DatasetRecord): string {
  const same = latest.fileName === shownName ? '' : ` (${escapeSlackText(latest.fileName)})`;
  return (
    `:information_source: ${shownName} is unchanged: it holds the same data as dataset v${latest.version}${same}, ` +
    'so no new version was made. Share the updated file to import new data.'
  );
}

/**
 * `/segbot upload [as_of=YYYY-MM-DD]`: imports the newest CSV shared in the channel; `as_of` sets
 * the date a transaction file's recency is counted from.
 */
export async function runUpload(ctx: CommandContext): Promise<void> {
  const { options } = parseOptions(
    ctx.args,
    {
      as_of: {
        parse: (value: string) => {
          if (Number.isNaN(dayNumber(value))) throw new Error('not a date');
          return value;
        },
        expected: 'a date written YYYY-MM-DD',
        example: 'as_of=2025-06-30',
      },
    },
    { command: 'upload' },
  );
  const shared = await findLatestCsv(ctx.client, ctx.channelId);
  await importSharedCsv(ctx, shared, options.as_of === undefined ? {} : { asOf: options.as_of });
}

/**
 * A file shared into a channel: each CSV is imported in turn. A spreadsheet or text export gets a
 * private note on how to export a CSV; other files (images, PDFs) are none of segbot's business.
 */
export async function handleFileShare(ctx: CommandContext, event: FileShareMessageEvent): Promise<void> {
  const files = event.files ?? [];
  const csvs = files.filter(isCsvFile);
  const threadTs = event.thread_ts ?? event.ts;
  if (csvs.length === 0) {
    const tabular = files.find(looksLikeTableData);
    if (tabular) {
      await reportError(
        new BadInputError(`${fileDisplayName(tabular)} is not a CSV file, so segbot did not import it.`, {
          hint: 'Save or export the sheet as CSV (comma-separated values, .csv) and share that file here.',
        }),
        { ...ctx.errorTarget, threadTs },
        ctx.deps.logger,
        'file_share',
      );
    }
    return;
  }
  for (const file of csvs) {
    const key = sharedFileKey(ctx.channelId, file.id);
    if (!(await claimSharedFile(ctx, file, threadTs))) continue;
    // The file's id and thread are stored with the job, so another instance can import it again.
    const request = { source: 'file' as const, fileId: file.id, fileName: file.name ?? null, threadTs };
    const record = await importSharedCsv({ ...ctx, request }, { file, threadTs, userId: event.user });
    // Refused or failed: sharing the same file again may well work (an admin, a retry). Imported:
    // remembered for longer than the claim that covered the import while it ran.
    await ctx.deps.requests.release(key);
    if (record) await ctx.deps.requests.claim(key, new Date(Date.now() + SHARED_FILE_TTL_MS));
  }
}

/** How long a shared file is remembered as imported into its channel. */
export const SHARED_FILE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * How long a file is claimed while its import runs. A process killed mid-import never releases the
 * claim; it then lapses by itself, so the file can be shared again without waiting a month.
 */
const IMPORT_CLAIM_MS = 15 * 60 * 1000;

function sharedFileKey(channelId: string, fileId: string): string {
  return `file:${channelId}:${fileId}`;
}

/**
 * A file shared into a channel again (the same Slack file id) must not become a second dataset
 * version; the person is told how to import a changed one. False when the file is not to be imported.
 */
async function claimSharedFile(ctx: CommandContext, file: SharedFile, threadTs: string): Promise<boolean> {
  const expiresAt = new Date(Date.now() + IMPORT_CLAIM_MS);
  if (await ctx.deps.requests.claim(sharedFileKey(ctx.channelId, file.id), expiresAt)) return true;
  await reportError(
    new SegbotError(
      'conflict',
      `${escapeSlackText(fileDisplayName(file))} was already imported in this channel (or is being imported now), so segbot did not import it again.`,
      'Changed it since? Share the new file; `/segbot upload` imports the newest CSV shared here (an identical one makes no new version).',
    ),
    { ...ctx.errorTarget, threadTs },
    ctx.deps.logger,
    'file_share',
  );
  return false;
}
