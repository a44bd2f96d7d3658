/**
 * Turns a Slack message (Block Kit blocks, mrkdwn) into plain terminal text for the local console.
 */

import { parseSlackText, type SlackTextPart, typedText } from '../slack/decode-slack-text.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const RULE = '─'.repeat(48);

/** Emoji codes the bot uses, shown as the emoji itself; others stay as `:code:`. */
const EMOJI: Record<string, string> = {
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  dart: '🎯',
  white_check_mark: '✅',
  heavy_check_mark: '✔',
  warning: '⚠️',
  x: '❌',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  information_source: 'ℹ️',
  bulb: '💡',
  mag: '🔍',
  arrow_right: '→',
  calendar: '📅',
  bell: '🔔',
  lock: '🔒',
  wave: '👋',
  key: '🔑',
  unlock: '🔓',
  wastebasket: '🗑️',
  no_entry: '⛔',
  thread: '🧵',
  speech_balloon: '💬',
  clipboard: '📋',
  checkered_flag: '🏁',
  grey_question: '❔',
};

/** A link with its address, a person by name: the console has no hover to show either. */
function readablePart(part: SlackTextPart): string {
  switch (part.kind) {
    case 'text':
      return part.text.replace(/:([a-z0-9_+-]+):/g, (code, name: string) => EMOJI[name] ?? code);
    case 'user':
      return `@${part.label ?? part.id}`;
    case 'link':
      return part.label ? `${part.label} (${part.url})` : part.url;
    default:
      return typedText(part);
  }
}

/** Slack's mrkdwn escapes and link syntax, made readable: `<url|label>` → `label (url)`, `<@U1>` → `@U1`. */
export function mrkdwnToText(text: string): string {
  return parseSlackText(text).map(readablePart).join('');
}

function textOf(value: unknown): string {
  if (!isObject(value)) return '';
  return typeof value['text'] === 'string' ? mrkdwnToText(value['text']) : '';
}

/** Text inside rich_text elements (sections, lists, quotes, preformatted), in reading order. */
function richText(elements: unknown): string {
  if (!Array.isArray(elements)) return '';
  return elements
    .map((element) => {
      if (!isObject(element)) return '';
      switch (element['type']) {
        case 'text':
          return String(element['text'] ?? '');
        case 'link':
          return String(element['text'] ?? element['url'] ?? '');
        case 'user':
          return `@${String(element['user_id'] ?? '')}`;
        case 'channel':
          return `#${String(element['channel_id'] ?? '')}`;
        case 'emoji':
          return mrkdwnToText(`:${String(element['name'] ?? '')}:`);
        case 'rich_text_list':
          return (element['elements'] as unknown[] | undefined)
            ?.map((item) => `  • ${isObject(item) ? richText(item['elements']) : ''}`)
            .join('\n');
        case 'rich_text_preformatted':
        case 'rich_text_quote':
        case 'rich_text_section':
          return richText(element['elements']);
        default:
          return '';
      }
    })
    .join('');
}

/** One block as lines of text; unknown block types contribute nothing rather than noise. */
function renderBlock(block: unknown): string[] {
  if (!isObject(block)) return [];
  switch (block['type']) {
    case 'header':
      return [textOf(block['text']).toUpperCase()];
    case 'section': {
      const lines: string[] = [];
      const text = textOf(block['text']);
      if (text) lines.push(text);
      const fields = block['fields'];
      if (Array.isArray(fields)) {
        for (const field of fields) lines.push(`  ${textOf(field).replace(/\n/g, ' ')}`);
      }
      const accessory = block['accessory'];
      if (isObject(accessory) && accessory['type'] === 'image')
        lines.push(`[image: ${String(accessory['alt_text'])}]`);
      return lines;
    }
    case 'context': {
      const elements = block['elements'];
      if (!Array.isArray(elements)) return [];
      return [
        elements
          .map((element) =>
            isObject(element) && element['type'] === 'image'
              ? `[${String(element['alt_text'])}]`
              : textOf(element),
          )
          .filter(Boolean)
          .join('  ·  '),
      ];
    }
    case 'divider':
      return [RULE];
    case 'image':
      return [`[image: ${String(block['alt_text'] ?? block['title'] ?? '')}]`];
    case 'actions': {
      const elements = block['elements'];
      if (!Array.isArray(elements)) return [];
      return [
        elements.map((element) => (isObject(element) ? `[ ${textOf(element['text'])} ]` : '')).join(' '),
      ];
    }
    case 'markdown':
      return typeof block['text'] === 'string' ? [block['text']] : [];
    case 'rich_text':
      return [richText(block['elements'])];
    case 'table': {
      const rows = block['rows'];
      if (!Array.isArray(rows)) return [];
      return rows.map((row) =>
        Array.isArray(row)
          ? row.map((cell) => (isObject(cell) ? textOf(cell) || richText(cell['elements']) : '')).join(' | ')
          : '',
      );
    }
    default:
      return [];
  }
}

/**
 * A message as terminal text: its blocks flattened when it has any (the `text` is then only the
 * notification fallback), otherwise its mrkdwn text.
 */
export function renderMessage(message: { text: string; blocks?: unknown[] }): string {
  if (message.blocks && message.blocks.length > 0) {
    const lines = message.blocks.flatMap(renderBlock);
    if (lines.some((line) => line.trim() !== '')) return lines.join('\n');
  }
  return mrkdwnToText(message.text);
}
