/**
 * The `/segbot rfm` reply: one line per named RFM segment with its size, revenue share, score
 * ranges and playbook action.
 */
import type { RfmResult } from '../../analytics/rfm/score-rfm.js';
import { escapeSlackText } from '../escape-text.js';
import { context, formatCount, formatShare, header, type KnownBlock, section } from './format.js';

const range = (r: { min: number; max: number }) => (r.min === r.max ? `${r.min}` : `${r.min}–${r.max}`);

/** The message text and blocks for an RFM result on a channel's dataset. */
export function rfmMessage(
  dataset: { fileName: string; version: number },
  result: RfmResult,
): { text: string; blocks: KnownBlock[] } {
  const text = `${formatCount(result.customers)} customers of ${escapeSlackText(dataset.fileName)} v${dataset.version} in ${result.segments.length} RFM segments.`;
  const blocks: KnownBlock[] = [header('RFM segments'), context(text)];
  for (const s of result.segments) {
    blocks.push(
      section(
        `*${s.name}* · ${formatCount(s.size)} customers (${formatShare(s.share)}) · ${formatShare(s.revenueShare)} of revenue · R ${range(s.r)}, F ${range(s.f)}, M ${range(s.m)} · last purchase ${formatCount(s.medianRecencyDays)} days ago (median)\n→ *${s.action.title}*: ${s.action.reason}`,
      ),
    );
  }
  blocks.push(
    context(
      'Scores 1–5 by quintile (5 = most recent, most frequent, highest spend); names from the R × F grid. Rule table: see the README.',
    ),
  );
  return { text, blocks };
}
