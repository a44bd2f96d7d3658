/**
 * Small text helpers shared by the block builders: numbers, shares and dates as people read them,
 * and the block shapes segbot uses. Data-derived text is escaped with escapeSlackText.
 */
import type { types } from '@slack/bolt';
import { escapeSlackText } from '../escape-text.js';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 8950 -> "8,950". */
export function formatCount(n: number): string {
  return integerFormat.format(n);
}

/** A file size as people read it: 44 -> "44 bytes", 462,000 -> "451 KB", 3,500,000 -> "3.3 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${formatCount(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A share in [0, 1] as a percentage with one decimal: 0.2617 -> "26.2%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A measured value with precision that suits its size: 1234.5 -> "1,234.5", 0.0312 -> "0.031". */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(
    value,
  );
}

/** A signed z-score: 1.234 -> "+1.23". */
export function formatZ(z: number): string {
  if (!Number.isFinite(z)) return '–';
  return `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(2)}`;
}

/** A timestamp as "2026-11-22 14:30 UTC" (the same for every reader, unlike local time). */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Header blocks take at most 150 characters of plain text. */
const HEADER_MAX = 150;

/**
 * A header block. Its text is plain and often names a file, segment or product, so it is escaped
 * here (segbot never puts markup in a header), then clipped to Slack's limit without cutting an
 * escape in half.
 */
export function header(text: string): KnownBlock {
  let shown = escapeSlackText(text, 'plain');
  if (shown.length > HEADER_MAX) {
    const chars = Array.from(text);
    let keep = Math.min(chars.length, HEADER_MAX - 1);
    do {
      shown = `${escapeSlackText(chars.slice(0, keep).join(''), 'plain')}…`;
      keep--;
    } while (shown.length > HEADER_MAX && keep > 0);
  }
  return { type: 'header', text: { type: 'plain_text', text: shown, emoji: true } };
}

/** A mrkdwn section (keep its text within 3,000 characters, or let fitMessage split it). */
export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** A small grey line of mrkdwn under the main content. */
export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** A horizontal rule between parts of a message. */
export function divider(): KnownBlock {
  return { type: 'divider' };
}

/** "a, b, c and 12 more" — keeps long column lists readable. */
export function listNames(names: readonly string[], max = 12): string {
  const shown = (list: readonly string[]) => list.map((name) => escapeSlackText(name)).join(', ');
  if (names.length <= max) return shown(names);
  return `${shown(names.slice(0, max))} and ${names.length - max} more`;
}
