/**
 * The one escape for text that comes from data or from people (column names, customer ids, file
 * names, segment names, product labels, mention text) on its way to Slack, in blocks and in the
 * fallback `text` alike. Slack reads `<…>` as mentions (`<!here>`, `<@U1>`, `<#C1>`) and links
 * (`<https://…|label>`), so `&`, `<` and `>` are always escaped; what else must go depends on where
 * the text lands (see SlackTextPlace).
 */

/**
 * Where an escaped text lands:
 * - `mrkdwn` (the default): one value inside mrkdwn or a fallback `text`. Kept on one line, and
 *   `*`, `_`, `~` and backticks that could start or end formatting become look-alikes.
 * - `code`: inside a code span or block, where formatting characters are inert but a backtick
 *   would end the block and a line break would break a table row.
 * - `plain`: a `plain_text` object (headers): only markup and invisible characters matter.
 * - `message`: a whole text segbot composed around values it could not escape one by one (the text
 *   of an error from the analytics core): its line breaks and its own mrkdwn stay.
 */
export type SlackTextPlace = 'mrkdwn' | 'code' | 'plain' | 'message';

/** Line breaks of every kind (tabs too): one value stays on one line. */
const LINE_BREAKS = /\r\n|[\t\n\v\f\r\u2028\u2029]/g;
/** Line breaks, for texts that keep them: normalized to `\n`; tabs become spaces. */
const OTHER_BREAKS = /\r\n|[\v\f\r\u2028\u2029]/g;
/**
 * Control characters (what is left after line breaks were handled) have no business in a message,
 * and bidirectional overrides, isolates and marks (U+202E, U+2066, U+200F, …) would make a value
 * read backwards ("csv.exe" shown as "exe.vsc").
 */
const INVISIBLE = /(?!\n)[\p{Cc}\p{Bidi_Control}]/gu;
/**
 * A backtick, or a `*`, `_` or `~` that touches something other than a letter or digit on either
 * side. Slack opens and closes bold, italics and strikethrough only at such word boundaries, so an
 * underscore inside `credit_limit` stays as typed (and can be copied into `features=`).
 */
const FORMATTING = /`|(?<![\p{L}\p{N}])[*_~]|[*_~](?![\p{L}\p{N}])/gu;
/** Look-alikes Slack does not read as formatting. */
const LOOKALIKE: Record<string, string> = { '*': '\u2217', _: '\u02CD', '~': '\u223C', '`': '\u02CB' };

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `text` made safe for `place` in a Slack message: see SlackTextPlace. */
export function escapeSlackText(text: string, place: SlackTextPlace = 'mrkdwn'): string {
  if (place === 'message') {
    return escapeMarkup(text.replace(OTHER_BREAKS, '\n').replace(/\t/g, ' ').replace(INVISIBLE, ''));
  }
  const line = text.replace(LINE_BREAKS, ' ').replace(INVISIBLE, '');
  switch (place) {
    case 'plain':
      return escapeMarkup(line);
    case 'code':
      return escapeMarkup(line.replace(/`/g, LOOKALIKE['`']!));
    case 'mrkdwn':
      return escapeMarkup(line.replace(FORMATTING, (c) => LOOKALIKE[c]!));
  }
}
