/**
 * `/segbot pull <source>`: imports a new dataset version from a data source an admin declared in
 * SEGBOT_SOURCES_FILE (a PostgreSQL query, Parquet or CSV files), through the same checks, quality
 * report and store as an uploaded CSV. Replacing a channel's data is an admin's right, as uploading
 * is; the source is only ever picked by name, never described in chat.
 */
import { BadInputError } from '../src/errors.js';
import { findSource, pulledName, pullIntoChannel } from '../src/services/pull-source.js';
import { formatCount } from '../src/slack/blocks/format.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { startProgress } from '../src/slack/post-message.js';
import { errorText } from '../src/slack/report-error.js';
import { type CommandContext, runQueued } from './context.js';

const USAGE = '`/segbot pull <source>` (e.g. `/segbot pull warehouse`)';

/** Runs `/segbot pull <source>`. */
export async function runPull(ctx: CommandContext): Promise<void> {
  const { deps } = ctx;
  // Who may replace the channel's data is checked before anything about sources is revealed.
  await deps.guard.requireAdmin(ctx.userId, 'pull customer data from a source');
  const [name, ...rest] = ctx.args;
  if (name === undefined || rest.length > 0) {
    const names = [...deps.config.sources.sources.keys()];
    throw new BadInputError('`/segbot pull` takes the name of one data source.', {
      hint: `Use ${USAGE}.${names.length > 0 ? ` Configured sources: ${names.join(', ')}.` : ''}`,
    });
  }
  const source = findSource(deps.config.sources, name);
  const shown = escapeSlackText(source.name);
  await runQueued(ctx, 'pull', `pull from ${shown}`, async (job) => {
    const progress = await startProgress(ctx.client, {
      channelId: ctx.channelId,
      text: `:hourglass_flowing_sand: <@${ctx.userId}> is pulling customer data from source *${shown}*…`,
      logger: deps.logger,
    });
    await job.setProgressTs(progress.ts);
    try {
      const { stored } = await pullIntoChannel(
        { sources: deps.config.sources, maxBytes: deps.config.maxUploadBytes, ...deps },
        {
          channelId: ctx.channelId,
          userId: ctx.userId,
          sourceName: source.name,
          signal: job.signal,
          onRows: (rows) =>
            progress.stage(
              `:hourglass_flowing_sand: Pulling from source *${shown}*: ${formatCount(rows)} rows read…`,
            ),
        },
      );
      if (stored.status === 'unchanged') {
        await progress.finish(
          `:information_source: Source *${shown}* holds the same data as dataset v${stored.record.version}, so no new version was made.`,
        );
        return;
      }
      await progress.finish(stored.report.text, stored.report.blocks);
    } catch (error) {
      const text = errorText(error, deps.logger, 'pull');
      job.markFailed(error);
      await progress.finish(
        `:x: Could not pull ${escapeSlackText(pulledName(source))}; the channel’s data is unchanged.\n${text}`,
      );
    }
  });
}
