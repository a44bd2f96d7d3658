/**
 * `/segbot export <segment> [product=… top=N] [held=include]`: a segment's customers as a CSV,
 * with their propensity when a product is given. Customers held back by a live campaign are left
 * out and counted unless asked for. Customer-level output: allowed channels only.
 */
import { customerListCsv } from '../src/analytics/campaign/campaign-csv.js';
import { BadInputError } from '../src/errors.js';
import { exportSegment } from '../src/services/campaigns.js';
import { formatCount } from '../src/slack/blocks/format.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { type CommandContext, requireLatestDataset, runQueued } from './context.js';
import { DEFAULT_SEED, integerOption, parseOptions } from './parse-args.js';

const OPTIONS = {
  product: { parse: (v: string) => v, expected: 'a product column', example: 'product=has_personal_loan' },
  top: { parse: integerOption(1, 10_000_000), expected: 'a whole number of customers', example: 'top=500' },
  held: {
    parse: (v: string): 'include' | 'exclude' => {
      const value = v.toLowerCase();
      if (value !== 'include' && value !== 'exclude') throw new Error('bad held');
      return value;
    },
    expected: 'include or exclude',
    example: 'held=include',
  },
};

/** Runs `/segbot export`. */
export async function runExport(ctx: CommandContext): Promise<void> {
  const { options, positional } = parseOptions(ctx.args, OPTIONS, {
    command: 'export',
    allowPositional: true,
  });
  const segment = positional.join(' ').trim();
  if (segment === '') {
    throw new BadInputError('Say which segment to export.', {
      hint: 'For example `/segbot export revolvers product=has_personal_loan top=500` or `/segbot export 2`.',
    });
  }
  const { deps } = ctx;
  // Before any work: the list is customer ids, and only allowed channels receive them.
  await deps.guard.requireCustomerLevelChannel(ctx.channelId, 'customer lists');
  await requireLatestDataset(ctx);
  const includeHeldBack = options.held === 'include';
  await runQueued(ctx, 'export', 'export', async () => {
    const exported = await exportSegment(deps, {
      channelId: ctx.channelId,
      segment,
      product: options.product ?? null,
      top: options.top ?? null,
      includeHeldBack,
      seed: DEFAULT_SEED,
    });
    const held =
      exported.heldBack === 0
        ? 'No customer of this segment is held back by a live campaign.'
        : includeHeldBack
          ? `${formatCount(exported.heldBack)} customers held back by live campaigns are included, as asked: contacting them spoils those campaigns’ measurement.`
          : `${formatCount(exported.heldBack)} customers held back by live campaigns are left out (add held=include to keep them).`;
    const scored = exported.productLabel
      ? `, most likely to take up ${escapeSlackText(exported.productLabel)} first`
      : '';
    await ctx.client.files.uploadV2({
      channel_id: ctx.channelId,
      filename: 'segment-export.csv',
      title: `Customers: ${exported.segmentName}`,
      file: Buffer.from(customerListCsv(exported.rows, exported.productLabel !== null), 'utf8'),
      initial_comment: `${formatCount(exported.rows.length)} customers of ${escapeSlackText(exported.segmentName)}${scored}. ${held}`,
    });
  });
}
