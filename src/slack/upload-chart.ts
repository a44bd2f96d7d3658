/**
 * Renders charts to PNG and posts them with files.uploadV2. A chart that fails to render or upload
 * is reported in a short note; it never takes the text result with it.
 */
import type { WebClient } from '@slack/web-api';
import type { TopLevelSpec } from 'vega-lite';
import { yieldToEventLoop } from '../event-loop.js';
import { escapeSlackText } from './escape-text.js';
import { type ErrorLogger, safeErrorFields, slackErrorCode } from './report-error.js';

/** One chart to post: a Vega-Lite spec and how to present it. */
export interface ChartRequest {
  /** File name without extension, e.g. "segment-sizes". */
  name: string;
  title: string;
  /** Screen-reader description of the image. */
  altText: string;
  spec: TopLevelSpec;
}

export interface ChartUploadTarget {
  channelId: string;
  threadTs?: string;
  /** Message introducing the charts. */
  comment?: string;
}

export interface ChartUploadResult {
  posted: string[];
  failed: string[];
}

export interface ChartUploader {
  /**
   * Renders every chart, uploads those that rendered in one message, and notes any failures,
   * including charts that already failed earlier (`failedEarlier`, by title).
   */
  postCharts(
    target: ChartUploadTarget,
    charts: readonly ChartRequest[],
    failedEarlier?: readonly string[],
  ): Promise<ChartUploadResult>;
}

export interface ChartUploaderOptions {
  client: WebClient;
  renderChart: (spec: TopLevelSpec) => Promise<Buffer>;
  logger: ErrorLogger;
}

/** Creates a chart uploader around a Web API client and a renderer. */
export function createChartUploader(options: ChartUploaderOptions): ChartUploader {
  const { client, renderChart, logger } = options;
  return {
    async postCharts(target, charts, failedEarlier = []) {
      const rendered: { chart: ChartRequest; png: Buffer }[] = [];
      const failed: string[] = [...failedEarlier];
      for (const chart of charts) {
        // Rendering is a few hundred milliseconds of synchronous work per chart; a turn of the event
        // loop between charts lets other channels' commands be acknowledged in between.
        await yieldToEventLoop();
        try {
          rendered.push({ chart, png: await renderChart(chart.spec) });
        } catch (error) {
          logger.error(safeErrorFields(error, `render chart ${chart.name}`), 'chart render failed');
          failed.push(chart.title);
        }
      }
      const posted: string[] = [];
      if (rendered.length > 0) {
        try {
          await client.files.uploadV2({
            channel_id: target.channelId,
            ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
            ...(target.comment ? { initial_comment: target.comment } : {}),
            file_uploads: rendered.map(({ chart, png }) => ({
              file: png,
              filename: `${chart.name}.png`,
              title: chart.title,
              alt_text: chart.altText,
            })),
          });
          posted.push(...rendered.map((r) => r.chart.title));
        } catch (error) {
          logger.error(
            { ...safeErrorFields(error, 'files.uploadV2'), slackError: slackErrorCode(error) },
            'chart upload failed',
          );
          failed.push(...rendered.map((r) => r.chart.title));
        }
      }
      if (failed.length > 0) {
        await noteFailure(client, target, failed, logger);
      }
      return { posted, failed };
    },
  };
}

async function noteFailure(
  client: WebClient,
  target: ChartUploadTarget,
  failed: string[],
  logger: ErrorLogger,
): Promise<void> {
  // Chart titles name segments and products, which come from the data.
  const which = failed.map((title) => escapeSlackText(title)).join(', ');
  try {
    await client.chat.postMessage({
      channel: target.channelId,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      text: `:warning: Could not post ${failed.length === 1 ? 'the chart' : 'these charts'}: ${which}. The results above are complete; \`/segbot runs\` can post them again later.`,
    });
  } catch (error) {
    logger.error(
      { ...safeErrorFields(error, 'chart failure note'), slackError: slackErrorCode(error) },
      'note failed',
    );
  }
}
