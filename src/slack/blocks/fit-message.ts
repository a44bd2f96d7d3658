/**
 * Keeps a Block Kit message within Slack's limits (50 blocks, 3,000 characters of section text).
 * Nothing is dropped: what does not fit moves to follow-up messages meant for the thread.
 */
import { context, type KnownBlock, type SectionBlock, section } from './format.js';

export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;

/** A message that fits, plus the blocks that did not, already grouped into thread replies. */
export interface FittedMessage {
  blocks: KnownBlock[];
  /** Each entry is one thread reply of at most MAX_BLOCKS blocks. */
  overflow: KnownBlock[][];
}

const FENCE = '```';

/**
 * Splits text into pieces of at most `max` characters, at line breaks where possible. A code block
 * (```…```) is re-fenced in every piece so a long table stays monospaced.
 */
export function splitText(text: string, max = MAX_SECTION_TEXT): string[] {
  if (text.length <= max) return [text];
  const fenced = text.startsWith(FENCE) && text.endsWith(FENCE) && text.length > 2 * FENCE.length;
  const body = fenced ? text.slice(FENCE.length, -FENCE.length).replace(/^\n/, '') : text;
  const room = fenced ? max - 2 * FENCE.length - 1 : max;
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') pieces.push(current);
    current = '';
  };
  for (const rawLine of body.split('\n')) {
    let line = rawLine;
    // A single line longer than a whole piece is cut hard; only pathological input does that.
    while (line.length > room) {
      flush();
      pieces.push(line.slice(0, room));
      line = line.slice(room);
    }
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length > room) {
      flush();
      current = line;
    } else {
      current = candidate;
    }
  }
  flush();
  return fenced ? pieces.map((p) => `${FENCE}\n${p}${FENCE}`) : pieces;
}

function isLongSection(block: KnownBlock): block is SectionBlock & { text: { text: string } } {
  return block.type === 'section' && !!block.text && block.text.text.length > MAX_SECTION_TEXT;
}

/**
 * Makes `blocks` fit one message. Long sections are split into consecutive sections; when there are
 * more than MAX_BLOCKS blocks, the message ends with a note and the rest goes to `overflow`.
 */
export function fitMessage(blocks: readonly KnownBlock[]): FittedMessage {
  const expanded: KnownBlock[] = [];
  for (const block of blocks) {
    if (isLongSection(block)) {
      for (const piece of splitText(block.text.text)) expanded.push(section(piece));
    } else {
      expanded.push(block);
    }
  }
  if (expanded.length <= MAX_BLOCKS) return { blocks: expanded, overflow: [] };
  const head = expanded.slice(0, MAX_BLOCKS - 1);
  const rest = expanded.slice(MAX_BLOCKS - 1);
  head.push(context(`:thread: ${rest.length} more ${rest.length === 1 ? 'part' : 'parts'} in the thread.`));
  const overflow: KnownBlock[][] = [];
  for (let i = 0; i < rest.length; i += MAX_BLOCKS) overflow.push(rest.slice(i, i + MAX_BLOCKS));
  return { blocks: head, overflow };
}
