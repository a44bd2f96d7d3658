/**
 * The one decoder of Slack's message formatting for text that comes in (slash-command text, event
 * text): `<@U123|dana>`, `<#C123|general>`, `<!here>`, `<!subteam^S1|@team>`, `<!date^…|fallback>`,
 * `<https://…|label>`, `<mailto:…|…>`, and the `&amp;` `&lt;` `&gt;` escapes.
 *
 * Slack escapes `&`, `<` and `>` in what people type, so a raw `<` can only start one of these
 * entities; anything between angle brackets that is none of them is kept as it came.
 */

/** One piece of Slack-formatted text, with escapes undone. */
export type SlackTextPart =
  | { kind: 'text'; text: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  | { kind: 'usergroup'; id: string; label?: string }
  /** `<!here>`, `<!channel>`, `<!everyone>`, and `<!date^…|fallback>` (name `date`). */
  | { kind: 'special'; name: string; label?: string }
  | { kind: 'link'; url: string; label?: string };

const ENTITY = /<([^<>]*)>/g;
const USER = /^@([UW][A-Z0-9]+)(?:\|(.*))?$/s;
const CHANNEL = /^#([CGD][A-Z0-9]+)(?:\|(.*))?$/s;
const USERGROUP = /^!subteam\^([A-Z0-9]+)(?:\|(.*))?$/s;
const SPECIAL = /^!([a-z]+)(?:\^[^|]*)?(?:\|(.*))?$/s;
const LINK = /^([a-z][a-z0-9+.-]*:[^|]+)(?:\|(.*))?$/is;
const ESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Undoes the HTML escaping Slack applies to `&`, `<` and `>` (one pass, so `&amp;lt;` stays `&lt;`). */
export function unescapeSlackText(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => ESCAPES[entity]!);
}

/** `{ label }` when the entity carries one, escapes undone. */
function labelOf(label: string | undefined): { label?: string } {
  return label === undefined || label === '' ? {} : { label: unescapeSlackText(label) };
}

function entityOf(inner: string): SlackTextPart | null {
  let m = USER.exec(inner);
  if (m) return { kind: 'user', id: m[1]!, ...labelOf(m[2]) };
  m = CHANNEL.exec(inner);
  if (m) return { kind: 'channel', id: m[1]!, ...labelOf(m[2]) };
  m = USERGROUP.exec(inner);
  if (m) return { kind: 'usergroup', id: m[1]!, ...labelOf(m[2]) };
  m = SPECIAL.exec(inner);
  if (m) return { kind: 'special', name: m[1]!, ...labelOf(m[2]) };
  m = LINK.exec(inner);
  if (m) return { kind: 'link', url: unescapeSlackText(m[1]!), ...labelOf(m[2]) };
  return null;
}

/** Splits Slack-formatted text into plain text and entities, in order. */
export function parseSlackText(text: string): SlackTextPart[] {
  const parts: SlackTextPart[] = [];
  let pending = '';
  let last = 0;
  const flush = () => {
    if (pending !== '') parts.push({ kind: 'text', text: unescapeSlackText(pending) });
    pending = '';
  };
  for (const match of text.matchAll(ENTITY)) {
    const entity = entityOf(match[1]!);
    pending += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (entity === null) {
      pending += match[0];
      continue;
    }
    flush();
    parts.push(entity);
  }
  pending += text.slice(last);
  flush();
  return parts;
}

/**
 * A part as the person typed it (the rendering decodeSlackText uses): a user mention as `@U123` (the id is what identifies the person;
 * the label is only their display name at the time), a channel as `#general`, a link as its label
 * or address.
 */
export function typedText(part: SlackTextPart): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'user':
      return `@${part.id}`;
    case 'channel':
      return `#${part.label ?? part.id}`;
    case 'usergroup':
      return part.label ?? `@${part.id}`;
    case 'special':
      // A date shows its fallback text; `<!here|here>` is still "@here".
      return part.name === 'date' ? (part.label ?? '') : `@${part.name}`;
    case 'link':
      return part.label ?? part.url.replace(/^mailto:/i, '');
  }
}

export interface DecodeOptions {
  /** Leave user mentions out (a question to the bot starts with the bot's own mention). */
  withoutUserMentions?: boolean;
}

/**
 * Slack-formatted text as the person typed it: escapes undone, links as their label or address,
 * channels by name, and user mentions as `@U123` so the user id survives (see `mentionedUserId`).
 */
export function decodeSlackText(text: string, options: DecodeOptions = {}): string {
  return parseSlackText(text)
    .map((part) => (part.kind === 'user' && options.withoutUserMentions ? ' ' : typedText(part)))
    .join('');
}

const TYPED_USER = /^@?([UW][A-Z0-9]{2,})$/;
/** The mention syntax typed out by hand, which Slack escapes and so does not turn into a mention. */
const LITERAL_MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/;

/**
 * The user id in a word of decoded text: a mention (`@U123`, as decodeSlackText writes it), the
 * mention syntax typed out (`<@U123|dana>`), or a bare member id (`U123`); null for anything else,
 * such as a plain `@dana` that carries no id.
 */
export function mentionedUserId(word: string): string | null {
  return (TYPED_USER.exec(word) ?? LITERAL_MENTION.exec(word))?.[1] ?? null;
}
