/**
 * `/segbot campaign new|results|close|suppress …`: one subcommand word with its actions, each in
 * its own file.
 */
import { BadInputError } from '../src/errors.js';
import { runCampaignClose } from './campaign-close.js';
import { runCampaignNew } from './campaign-new.js';
import { runCampaignResults } from './campaign-results.js';
import { runCampaignSuppress } from './campaign-suppress.js';
import type { CommandContext } from './context.js';

const ACTIONS: Record<string, (ctx: CommandContext) => Promise<void>> = {
  new: runCampaignNew,
  results: runCampaignResults,
  close: runCampaignClose,
  suppress: runCampaignSuppress,
};

/** Runs `/segbot campaign <action> …`. */
export async function runCampaign(ctx: CommandContext): Promise<void> {
  const [action, ...rest] = ctx.args;
  const run = action ? ACTIONS[action.toLowerCase()] : undefined;
  if (!run) {
    throw new BadInputError(
      action ? `"${action}" is not a campaign action.` : 'Say what to do with a campaign.',
      {
        hint: 'Actions: new, results, close, suppress. For example `/segbot campaign new "Loan push" segment=1 product=has_personal_loan top=500`.',
      },
    );
  }
  await run({ ...ctx, args: rest });
}
