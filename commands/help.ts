/**
 * `/segbot help`: the command list with examples, also shown for unknown subcommands.
 */
import { context, header, type KnownBlock, section } from '../src/slack/blocks/format.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import type { CommandContext } from './context.js';
import type { Subcommand } from './subcommand.js';

/** The help message for a list of subcommands; `unknown` is the word that was not understood. */
export function helpMessage(
  subcommands: readonly Pick<Subcommand, 'usage' | 'summary' | 'examples'>[],
  unknown?: string,
): { text: string; blocks: KnownBlock[] } {
  const intro = unknown
    ? `I don’t know the command “${escapeSlackText(unknown)}”. Here is what I can do:`
    : 'segbot finds customer segments in a CSV shared in this channel and suggests campaigns for them.';
  const lines = subcommands.map((s) => {
    const examples = s.examples.map((e) => `\`${e}\``).join('  ');
    return `*\`/segbot ${escapeSlackText(s.usage, 'code')}\`*\n${escapeSlackText(s.summary, 'message')}${examples ? `\n${examples}` : ''}`;
  });
  const text = `${intro}\n${subcommands.map((s) => escapeSlackText(`/segbot ${s.usage}: ${s.summary}`, 'message')).join('\n')}`;
  const blocks: KnownBlock[] = [header('segbot commands'), section(intro)];
  for (const line of lines) blocks.push(section(line));
  blocks.push(
    context(
      'Upload: drag a .csv file into this channel (invite segbot with `/invite @segbot` first); segbot replies in the file’s thread with a data-quality report.',
    ),
  );
  return { text, blocks };
}

/** Sends the help message privately to the person who asked. */
export async function runHelp(
  ctx: CommandContext,
  subcommands: readonly Subcommand[],
  unknown?: string,
): Promise<void> {
  const { text, blocks } = helpMessage(subcommands, unknown);
  await ctx.ephemeral(text, blocks);
}
