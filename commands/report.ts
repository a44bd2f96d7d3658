/**
 * `/segbot report [run <id>]`: the stakeholder deck of the channel's latest completed run (or the
 * one named), posted to the channel as an editable PowerPoint file and the same slides as a PDF,
 * which Slack previews inline. The deck holds aggregates only, so any channel may receive it.
 */
import { BadInputError } from '../src/errors.js';
import {
  type ReportFiles,
  renderReport,
  reportInputFromRun,
  reportRun,
} from '../src/services/build-report.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { startProgress } from '../src/slack/post-message.js';
import { errorText } from '../src/slack/report-error.js';
import { type CommandContext, runQueued } from './context.js';

const USAGE_HINT = 'For example: `/segbot report` (the latest run) or `/segbot report run 12`.';

/** The run id asked for: null for the latest completed run. */
export function parseReportArgs(args: readonly string[]): number | null {
  const words = args[0]?.toLowerCase() === 'run' ? args.slice(1) : [...args];
  if (words.length === 0 && args.length === 0) return null;
  const [idText] = words;
  const match = words.length === 1 && idText !== undefined ? /^#?(\d{1,9})$/.exec(idText) : null;
  if (!match) {
    throw new BadInputError('`/segbot report` takes nothing, or `run` and a run id.', { hint: USAGE_HINT });
  }
  return Number(match[1]);
}

/** The person's name as Slack shows it, or a neutral phrase when Slack does not say. */
async function displayName(ctx: CommandContext, userId: string): Promise<string> {
  try {
    const info = await ctx.client.users.info({ user: userId });
    const profile = info.user?.profile;
    return (
      profile?.real_name || profile?.display_name || info.user?.real_name || info.user?.name || 'a teammate'
    );
  } catch (error) {
    ctx.deps.logger.warn(
      { where: 'users.info', errorName: (error as Error)?.name },
      'no user name for the report',
    );
    return 'a teammate';
  }
}

function fileStem(runId: number | null): string {
  return runId === null ? 'segbot-report' : `segbot-report-run-${runId}`;
}

/** The comment posted with the files; the file name comes from the data, so it is escaped. */
export function reportComment(
  runId: number,
  fileName: string,
  files: Pick<ReportFiles, 'deck' | 'missingCharts'>,
): string {
  const slides = files.deck.slides.length;
  const lines = [
    `:bar_chart: The stakeholder deck for run #${runId} on ${escapeSlackText(fileName)}: ${slides} slides, as PowerPoint (editable) and PDF.`,
  ];
  if (files.missingCharts.length > 0) {
    lines.push(
      `:warning: ${files.missingCharts.length} chart(s) could not be drawn and were left out; the tables are complete.`,
    );
  }
  return lines.join('\n');
}

/** Runs `/segbot report [run <id>]`. */
export async function runReport(ctx: CommandContext): Promise<void> {
  const runId = parseReportArgs(ctx.args);
  // Fail fast, before the queue, on a run that is not there or not finished.
  await reportRun(ctx.deps, ctx.channelId, runId);
  await runQueued(ctx, 'report', 'report', async (job) => {
    const { deps } = ctx;
    const run = await reportRun(deps, ctx.channelId, runId);
    const progress = await startProgress(ctx.client, {
      channelId: ctx.channelId,
      text: `:hourglass_flowing_sand: Building the deck for run #${run.id}…`,
      logger: deps.logger,
    });
    await job.setProgressTs(progress.ts);
    try {
      const input = await reportInputFromRun(deps, {
        channelId: ctx.channelId,
        runId: run.id,
        nameOf: (userId) => displayName(ctx, userId),
      });
      const files = await renderReport(deps, input);
      const stem = fileStem(run.id);
      await ctx.client.files.uploadV2({
        channel_id: ctx.channelId,
        initial_comment: reportComment(run.id, input.dataset.fileName, files),
        file_uploads: [
          { file: files.pdf, filename: `${stem}.pdf`, title: `Segments report, run #${run.id} (PDF)` },
          {
            file: files.pptx,
            filename: `${stem}.pptx`,
            title: `Segments report, run #${run.id} (PowerPoint)`,
          },
        ],
      });
      deps.logger.info(
        {
          channelId: ctx.channelId,
          runId: run.id,
          slides: files.deck.slides.length,
          pptxBytes: files.pptx.byteLength,
          pdfBytes: files.pdf.byteLength,
        },
        'report posted',
      );
      await progress.finish(`:white_check_mark: The deck for run #${run.id} is posted below.`);
    } catch (error) {
      job.markFailed(error);
      await progress.finish(
        `:x: The deck for run #${run.id} could not be made.\n${errorText(error, deps.logger, 'report')}`,
      );
    }
  });
}
