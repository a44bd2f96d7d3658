/**
 * How digests and change threads reach Slack: every message and upload paced per channel, charts
 * that never take the text with them when they fail, and the search for a digest an earlier
 * attempt may already have posted (by its message metadata).
 */
import type { WebClient } from '@slack/web-api';
import type { TopLevelSpec } from 'vega-lite';
import type { KnownBlock } from '../blocks/format.js';
import { type ErrorLogger, safeErrorFields, slackErrorCode } from '../report-error.js';
import { scanHistory } from '../scan-history.js';
import type { ChannelPacer } from './channel-pacer.js';

/** The metadata event type that marks a digest message, so a restarted bot can find it again. */
export const DIGEST_EVENT_TYPE = 'segbot_digest';

export interface OutletMessage {
  text: string;
  blocks?: KnownBlock[];
  threadTs?: string;
  /** Attached as message metadata (`event_type`, `event_payload`). */
  metadata?: { eventType: string; payload: Record<string, string | number | boolean> };
}

export interface OutletFile {
  bytes: Buffer | Uint8Array;
  filename: string;
  title: string;
  altText?: string;
}

export interface DigestOutlet {
  /** Posts a message (paced) and returns its ts. Throws what Slack answered when it fails. */
  post(channelId: string, message: OutletMessage): Promise<string>;
  /**
   * Renders and uploads a chart (paced). Never throws: a failure is logged and noted in the
   * thread, because the text before it is the part that matters.
   */
  postChart(
    channelId: string,
    chart: { name: string; title: string; altText: string; spec: TopLevelSpec },
    where: { threadTs?: string; comment?: string },
  ): Promise<boolean>;
  /** Uploads a file (paced). Throws on failure. */
  upload(channelId: string, file: OutletFile, where: { threadTs?: string; comment?: string }): Promise<void>;
  /**
   * The ts of a digest for `periodKey` already in the channel, found by its metadata among the
   * channel's recent messages, or null.
   */
  findDigest(channelId: string, periodKey: string): Promise<string | null>;
}

export interface DigestOutletOptions {
  client: WebClient;
  pacer: ChannelPacer;
  renderChart(spec: TopLevelSpec): Promise<Buffer>;
  logger: ErrorLogger;
  /** How many recent top-level messages `findDigest` looks through (default 200, two pages). */
  searchDepth?: number;
}

/** Creates the outlet over a Web API client. */
export function createDigestOutlet(options: DigestOutletOptions): DigestOutlet {
  const { client, pacer, logger } = options;
  const searchDepth = options.searchDepth ?? 200;

  const upload: DigestOutlet['upload'] = async (channelId, file, where) => {
    await pacer.run(channelId, () =>
      client.files.uploadV2({
        channel_id: channelId,
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
        ...(where.comment ? { initial_comment: where.comment } : {}),
        file_uploads: [
          {
            file: Buffer.from(file.bytes),
            filename: file.filename,
            title: file.title,
            ...(file.altText ? { alt_text: file.altText } : {}),
          },
        ],
      }),
    );
  };

  return {
    async post(channelId, message) {
      const result = await pacer.run(channelId, () =>
        client.chat.postMessage({
          channel: channelId,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          ...(message.metadata
            ? {
                metadata: {
                  event_type: message.metadata.eventType,
                  event_payload: message.metadata.payload,
                },
              }
            : {}),
        }),
      );
      return result.ts ?? '';
    },

    async postChart(channelId, chart, where) {
      try {
        const png = await options.renderChart(chart.spec);
        await upload(
          channelId,
          { bytes: png, filename: `${chart.name}.png`, title: chart.title, altText: chart.altText },
          where,
        );
        return true;
      } catch (error) {
        logger.error(
          { ...safeErrorFields(error, `digest chart ${chart.name}`), slackError: slackErrorCode(error) },
          'digest chart failed',
        );
        try {
          await pacer.run(channelId, () =>
            client.chat.postMessage({
              channel: channelId,
              ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
              text: `:warning: Could not post the chart “${chart.title}”. The text above is complete.`,
            }),
          );
        } catch (noteError) {
          logger.error(safeErrorFields(noteError, 'digest chart note'), 'note failed');
        }
        return false;
      }
    },

    upload,

    async findDigest(channelId, periodKey) {
      // A digest from the last few minutes is near the top, so the first page usually settles it.
      const ts = await scanHistory(
        client,
        { channel: channelId, maxMessages: searchDepth, includeAllMetadata: true },
        (message) => {
          const payload: { period_key?: unknown } | undefined = message.metadata?.event_payload;
          const isDigest =
            message.metadata?.event_type === DIGEST_EVENT_TYPE && payload?.period_key === periodKey;
          return isDigest && message.ts ? message.ts : undefined;
        },
      );
      return ts ?? null;
    },
  };
}
