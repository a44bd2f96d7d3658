/**
 * Small text helpers shared by the block builders: numbers, shares and dates as people read them,
 * and escaping of the three characters Slack's mrkdwn treats as markup.
 */
import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 8950 -> "8,950". */
export function formatCount(n: number): string {
  return integerFormat.format(n);
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

/** Escapes &, < and > so names from a file cannot form Slack links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Header blocks take at most 150 characters of plain text. */
export function header(text: string): KnownBlock {
  const clipped = text.length > 150 ? `${text.slice(0, 149)}…` : text;
  return { type: 'header', text: { type: 'plain_text', text: clipped, emoji: true } };
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
  if (names.length <= max) return names.map(escapeMrkdwn).join(', ');
  return `${names.slice(0, max).map(escapeMrkdwn).join(', ')} and ${names.length - max} more`;
}
