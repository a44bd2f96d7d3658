/**
 * What every button, modal and shortcut handler shares: a command context for the person and channel
 * an interaction stands for (so access is checked exactly as for the typed command), a once-only
 * claim against double clicks, and channel membership for surfaces outside a channel (Home, the
 * global shortcut).
 */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type CommandContext, createCommandContext } from '../context.js';
import type { CommandDeps } from '../deps.js';

export interface Interaction {
  channelId: string;
  userId: string;
  client: WebClient;
  deps: CommandDeps;
  /** The interaction's response_url responder (buttons on messages, message shortcuts). */
  respond?: RespondFn;
}

/** A context for running a subcommand on behalf of an interaction, with `args` as if typed. */
export function interactionContext(interaction: Interaction, args: string[] = []): CommandContext {
  return createCommandContext({
    channelId: interaction.channelId,
    userId: interaction.userId,
    args,
    client: interaction.client,
    botToken: interaction.deps.config.botToken ?? interaction.client.token,
    deps: interaction.deps,
    ...(interaction.respond ? { respond: interaction.respond } : {}),
  });
}

/**
 * How long a press counts as the same press. A double click arrives as two payloads (each with its
 * own signature and action_ts), so the receiver's replay screen does not catch it.
 */
export const DOUBLE_CLICK_WINDOW_MS = 30_000;

/** True for the first press of `key` (a `press:` key) within the window; false for repeats. */
export function firstPress(deps: CommandDeps, key: string): Promise<boolean> {
  return deps.requests.claim(key, new Date(Date.now() + DOUBLE_CLICK_WINDOW_MS));
}

/** Whether `userId` is in `channelId` (conversations.members, page by page; the bot must be in it). */
export async function isChannelMember(
  client: WebClient,
  channelId: string,
  userId: string,
): Promise<boolean> {
  let cursor: string | undefined;
  try {
    do {
      const page = await client.conversations.members({
        channel: channelId,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      if (page.members?.includes(userId)) return true;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
  } catch {
    // A channel segbot cannot read members of (left, archived, unknown) counts as not shared: fail closed.
    return false;
  }
  return false;
}
