/**
 * `/segbot admins [add|remove @user]`: who may upload data, change schedules, allow channels and
 * forget data. The first admins come from SEGBOT_ADMINS; after that admins manage each other here.
 */
import { BadInputError } from '../src/errors.js';
import { adminMentions } from '../src/slack/access.js';
import { mentionedUserId } from '../src/slack/decode-slack-text.js';
import { slackErrorCode } from '../src/slack/report-error.js';
import type { CommandContext } from './context.js';

const USAGE = '`/segbot admins`, `/segbot admins add @user`, `/segbot admins remove @user`';

/**
 * Reads the users named in the words of `admins add …`: mentions (`<@U123|dana>` in Slack's text,
 * `@U123` once decoded) or bare user ids. A plain "@dana" carries no id, so it is refused with how
 * to name the person instead.
 */
export function parseUserMentions(words: readonly string[]): string[] {
  if (words.length === 0) {
    throw new BadInputError('Say whom you mean.', { hint: `For example: ${USAGE}` });
  }
  const ids: string[] = [];
  for (const word of words) {
    const id = mentionedUserId(word);
    if (id === null) {
      throw new BadInputError(`segbot cannot tell which Slack user “${word.slice(0, 80)}” is.`, {
        hint: 'Pick the person from the list Slack shows while you type @ so the command carries their user id, or give the member id itself (in their profile: ⋮ → Copy member ID), e.g. `/segbot admins add U012ABCDEF`.',
      });
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * Refuses ids Slack does not know (a typo, an id from another workspace) and deactivated accounts,
 * before any is added: an admin who cannot exist would only look like a working grant. Other Slack
 * failures (a missing users:read scope, Slack unreachable) propagate, so nothing is added on doubt.
 */
export async function requireSlackUsers(
  ctx: Pick<CommandContext, 'client'>,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) {
    let deleted: boolean;
    try {
      const info = await ctx.client.users.info({ user: id });
      deleted = info.user?.deleted === true;
    } catch (error) {
      if (slackErrorCode(error) !== 'user_not_found') throw error;
      throw new BadInputError(`Slack has no user ${id} in this workspace, so nobody was made an admin.`, {
        hint: 'Pick the person from the list Slack shows while you type @, or copy their member ID from their profile (⋮ → Copy member ID).',
      });
    }
    if (deleted) {
      throw new BadInputError(`${id} is a deactivated Slack account, so nobody was made an admin.`, {
        hint: 'Name a person whose account is active.',
      });
    }
  }
}

/** Runs `/segbot admins …`. */
export async function runAdmins(ctx: CommandContext): Promise<void> {
  const { access } = ctx.deps;
  const [verb = '', ...rest] = ctx.args;
  const action = verb.toLowerCase();
  if (action === '' || action === 'list') {
    const mentions = await adminMentions(access);
    const count = (await access.listAdmins()).length;
    await ctx.ephemeral(
      mentions
        ? `:key: segbot admins (${count}): ${mentions}. Admins upload data, change schedules, allow channels to receive customer-level data and can forget a channel’s data.`
        : ':key: segbot has no admins yet. The person who runs segbot sets SEGBOT_ADMINS to a list of Slack user ids and restarts it.',
    );
    return;
  }
  if (action !== 'add' && action !== 'remove') {
    throw new BadInputError(`“${verb.slice(0, 40)}” is not something /segbot admins does.`, {
      hint: `Use ${USAGE}.`,
    });
  }
  await ctx.deps.guard.requireAdmin(ctx.userId, action === 'add' ? 'add admins' : 'remove admins');
  const users = parseUserMentions(rest);
  const who = (ids: string[]) => ids.map((id) => `<@${id}>`).join(', ');

  if (action === 'add') {
    await requireSlackUsers(ctx, users);
    const added: string[] = [];
    for (const id of users) if (await access.addAdmin(id, ctx.userId)) added.push(id);
    const already = users.filter((id) => !added.includes(id));
    ctx.deps.logger.info({ channelId: ctx.channelId, by: ctx.userId, added }, 'admins added');
    const parts: string[] = [];
    if (added.length)
      parts.push(
        `:key: ${who(added)} ${added.length === 1 ? 'is now a segbot admin' : 'are now segbot admins'}.`,
      );
    if (already.length)
      parts.push(
        `${who(already)} ${already.length === 1 ? 'was' : 'were'} already ${already.length === 1 ? 'an admin' : 'admins'}.`,
      );
    await ctx.ephemeral(parts.join(' '));
    return;
  }

  // Removing every admin would leave nobody able to upload or restore roles without a restart.
  const current = new Set((await access.listAdmins()).map((a) => a.userId));
  const leaving = users.filter((id) => current.has(id));
  if (leaving.length > 0 && leaving.length >= current.size) {
    throw new BadInputError('segbot must keep at least one admin, so this would remove too many.', {
      hint: 'Add the new admin first (`/segbot admins add @user`), then remove the old one.',
    });
  }
  const removed: string[] = [];
  for (const id of users) if (await access.removeAdmin(id)) removed.push(id);
  const notAdmins = users.filter((id) => !removed.includes(id));
  ctx.deps.logger.info({ channelId: ctx.channelId, by: ctx.userId, removed }, 'admins removed');
  const parts: string[] = [];
  if (removed.length)
    parts.push(
      `:key: ${who(removed)} ${removed.length === 1 ? 'is' : 'are'} no longer ${removed.length === 1 ? 'a segbot admin' : 'segbot admins'}.`,
    );
  if (notAdmins.length)
    parts.push(`${who(notAdmins)} ${notAdmins.length === 1 ? 'was not an admin' : 'were not admins'}.`);
  const seeded =
    removed.length > 0
      ? ' If they are listed in SEGBOT_ADMINS they become admins again at the next restart; remove them there too.'
      : '';
  await ctx.ephemeral(parts.join(' ') + seeded);
}
