/**
 * The shape of one `/segbot` subcommand: how it is called, what help says about it, and its handler.
 * Later commands (predict, digest, admins, …) add one entry to the list in commands/index.ts.
 */
import type { CommandContext } from './context.js';

export interface Subcommand {
  /** The word after /segbot. */
  name: string;
  aliases?: string[];
  /** "segment [k=auto|N] [features=a,b] [seed=N]" */
  usage: string;
  /** One sentence for the help list. */
  summary: string;
  examples: string[];
  run(ctx: CommandContext): Promise<void>;
}
