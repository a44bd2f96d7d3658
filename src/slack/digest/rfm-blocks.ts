/**
 * The RFM part of digests and change threads: the named RFM segments' sizes, their change since
 * the previous transaction upload, and the largest moves between them. Pure, like digest-blocks.
 */
import type { ChannelRfm } from '../../services/rfm-changes.js';
import { context, formatCount, formatShare, header, type KnownBlock, section } from '../blocks/format.js';
import { escapeSlackText } from '../escape-text.js';
import { formatPp, formatSigned, type SlackMessage } from './digest-blocks.js';

/** Moves listed in a digest or thread; the rest are counted. */
const MOVES_SHOWN = 5;

/** One line per RFM segment: size, share, and the change since the previous upload. */
function sizeLines(rfm: ChannelRfm): string[] {
  const changes = new Map(rfm.change?.sizes.map((s) => [s.name, s]) ?? []);
  const lines = rfm.segments.map((segment) => {
    const change = changes.get(segment.name);
    const since = change
      ? ` (${formatSigned(change.after - change.before)}, ${formatPp(change.shareChangePp)})`
      : '';
    return `*${segment.name}*: ${formatCount(segment.size)} customers, ${formatShare(segment.share)}${since}`;
  });
  // A segment that emptied is still news.
  for (const change of rfm.change?.sizes ?? []) {
    if (change.after === 0) lines.push(`*${change.name}*: none left (was ${formatCount(change.before)})`);
  }
  return lines;
}

function moveLines(rfm: ChannelRfm): string[] {
  const change = rfm.change;
  if (!change || change.movers === 0) return [];
  return change.moves.slice(0, MOVES_SHOWN).map((m) => `${m.from} → ${m.to}: ${formatCount(m.customers)}`);
}

/** The RFM section of a digest or a run's change thread. */
export function rfmSectionBlocks(rfm: ChannelRfm): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const lines = sizeLines(rfm);
  const head = `*RFM segments* (upload v${rfm.datasetVersion}${rfm.previousVersion !== null ? `, vs v${rfm.previousVersion}` : ''})`;
  for (let i = 0; i < lines.length; i += 6)
    blocks.push(section(`${i === 0 ? `${head}\n` : ''}${lines.slice(i, i + 6).join('\n')}`));
  const moves = moveLines(rfm);
  if (moves.length > 0 && rfm.change) {
    blocks.push(
      section(
        `:arrow_right: ${formatCount(rfm.change.movers)} of ${formatCount(rfm.change.common)} customers in both uploads changed RFM segment. Largest moves:\n${moves.join('\n')}`,
      ),
    );
  }
  return blocks;
}

/** A digest for a channel with transactions but no segmentation yet: the RFM section alone. */
export function rfmOnlyDigestMessage(
  rfm: ChannelRfm,
  input: { scheduled: boolean; late: boolean },
): SlackMessage {
  const title = `${input.scheduled ? 'Weekly segment digest' : 'Segment digest'}${input.late ? ' (late)' : ''}`;
  const text = `${title}: RFM segments of upload v${rfm.datasetVersion}${rfm.change ? `; ${formatCount(rfm.change.movers)} customers changed RFM segment since v${rfm.previousVersion}` : ''}.`;
  return {
    text,
    blocks: [
      header(title),
      ...rfmSectionBlocks(rfm),
      context(
        'No segmentation has run in this channel yet: `/segbot segment` adds behaviour segments to the digest.',
      ),
    ],
  };
}

/** The short channel message that opens an RFM change thread. */
export function rfmChangeAlertMessage(rfm: ChannelRfm, thresholdPp: number): SlackMessage {
  const change = rfm.change!;
  const largest = [...change.sizes].sort((a, b) => Math.abs(b.shareChangePp) - Math.abs(a.shareChangePp))[0]!;
  const text = `:bell: RFM segments changed with upload v${rfm.datasetVersion} of ${escapeSlackText(rfm.fileName)} (vs v${rfm.previousVersion}): ${largest.name} moved ${formatPp(largest.shareChangePp)}; ${formatCount(change.movers)} customers changed RFM segment.`;
  return {
    text,
    blocks: [
      section(text),
      context(
        `Details in the thread. Alert threshold: ${thresholdPp} pp (\`/segbot alerts threshold=N\`). \`/segbot rfm\` shows the grid and the playbook.`,
      ),
    ],
  };
}

/** The thread's details: every RFM segment's change and the largest moves. */
export function rfmChangeDetailsMessage(rfm: ChannelRfm): SlackMessage {
  const change = rfm.change;
  const text = `RFM segments in upload v${rfm.datasetVersion}${change ? `: ${formatCount(change.movers)} of ${formatCount(change.common)} customers changed segment` : ''}.`;
  return { text, blocks: rfmSectionBlocks(rfm) };
}
