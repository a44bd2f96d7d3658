/**
 * Finds Slack markup in outgoing messages that segbot did not write itself: mentions (`<!here>`,
 * `<@U…>`, `<#C…>`), links (`<https://…|…>`, `<mailto:…>`) and bidirectional overrides.
 */

/** Every string of a message: the fallback text and each string value in its blocks. */
export function messageStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const inner of value) messageStrings(inner, out);
  else if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) messageStrings(inner, out);
  }
  return out;
}

const FOREIGN_MARKUP = /<[!@#]|<https?:|<mailto:/i;
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * The strings of `message` that carry markup or a bidi control segbot did not put there; the
 * mentions of `ownMentions` (people segbot names on purpose, like whoever ran a command) are allowed.
 */
export function foreignMarkup(message: unknown, ownMentions: readonly string[]): string[] {
  return messageStrings(message).filter((s) => {
    const rest = ownMentions.reduce((text, user) => text.split(`<@${user}>`).join(''), s);
    return FOREIGN_MARKUP.test(rest) || BIDI_CONTROL.test(rest);
  });
}
