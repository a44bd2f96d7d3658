/**
 * Block Kit for the weekly digest and for "segments changed" threads. Pure functions of the
 * comparison and the stored segments, so what a test sees is what Slack gets.
 */
import type { RunComparison, SegmentChange } from '../../analytics/compare/compare-runs.js';
import type { DigestSummary } from '../../analytics/compare/summarize-digest.js';
import type { Segment } from '../../analytics/types.js';
import { changeThreadButtons, digestButtons } from '../blocks/buttons.js';
import {
  context,
  divider,
  formatCount,
  formatShare,
  header,
  type KnownBlock,
  section,
} from '../blocks/format.js';
import { escapeSlackText } from '../escape-text.js';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** "Mon 23 Nov, 09:00 Europe/London": a moment as the channel's schedule reads it. */
export function formatInZone(date: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${timezone}`;
}

/** "+1.2 pp" / "−0.4 pp" / "±0.0 pp". */
export function formatPp(pp: number): string {
  const rounded = Math.round(pp * 10) / 10;
  if (rounded === 0) return '±0.0 pp';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)} pp`;
}

/** "+120" / "−35" / "±0". */
export function formatSigned(n: number): string {
  if (n === 0) return '±0';
  return `${n > 0 ? '+' : '−'}${formatCount(Math.abs(n))}`;
}

export interface DigestFacts {
  summary: DigestSummary;
  /** The occurrence this digest is for (null for `/segbot digest now`). */
  dueAt: Date | null;
  timezone: string;
  late: boolean;
  runId: number;
  previousRunId: number | null;
  /** Why the previous run was not compared (a different customer base), when it was not. */
  notCompared?: string | null;
  datasetVersion: number;
  /** True when the digest re-ran segmentation because a newer dataset had been uploaded. */
  rerun: boolean;
  /** Whether the migration chart follows in the thread. */
  chartInThread: boolean;
  /** One line per live campaign, already escaped (campaignDigestLines). */
  campaigns?: string[];
  /** The RFM section (rfmSectionBlocks), when the channel's latest upload holds transactions. */
  rfm?: KnownBlock[];
}

/** The weekly digest: headline, one line per segment, dissolved segments, movers. */
export function digestMessage(facts: DigestFacts): SlackMessage {
  const { summary } = facts;
  const when = facts.dueAt ? formatInZone(facts.dueAt, facts.timezone) : null;
  const lateLine =
    facts.late && when ? `this digest was due ${when}; segbot was offline then and sends it now.` : null;
  const title = facts.dueAt ? 'Weekly segment digest' : 'Segment digest';
  const blocks: KnownBlock[] = [header(`${title}${facts.late ? ' (late)' : ''}`)];
  if (lateLine) blocks.push(section(`:hourglass: *Late:* ${lateLine}`));
  blocks.push(section(`*${escapeSlackText(summary.headline)}*`));

  const lines = summary.rows.map((row, i) => {
    const change =
      row.status === 'matched' && row.sizeChange !== null && row.shareChangePp !== null
        ? ` (${formatSigned(row.sizeChange)}, ${formatPp(row.shareChangePp)} week over week)`
        : row.status === 'new'
          ? ' (new this week)'
          : '';
    const action = row.topAction ? `\n    :dart: ${escapeSlackText(row.topAction)}` : '';
    return `*${i + 1}. ${escapeSlackText(row.name)}*: ${formatCount(row.size)} customers, ${formatShare(row.share)}${change}${action}`;
  });
  // One section per few segments keeps every section under Slack's 3,000 characters.
  for (let i = 0; i < lines.length; i += 5) blocks.push(section(lines.slice(i, i + 5).join('\n')));

  if (summary.dissolved.length > 0) {
    blocks.push(
      section(
        `Dissolved since the previous run: ${summary.dissolved
          .map((d) => `${escapeSlackText(d.name)} (was ${formatCount(d.size)})`)
          .join(', ')}`,
      ),
    );
  }
  if (facts.previousRunId !== null && summary.commonCustomers > 0) {
    blocks.push(
      section(
        `:arrow_right: ${formatCount(summary.movers)} of ${formatCount(summary.commonCustomers)} customers present in both runs changed segment.${facts.chartInThread ? ' The migration chart is in the thread.' : ''}`,
      ),
    );
  }
  if (facts.campaigns && facts.campaigns.length > 0) {
    // Lines come escaped from campaignDigestLines.
    blocks.push(section(`*Live campaigns*\n${facts.campaigns.join('\n')}`));
  }
  if (facts.rfm && facts.rfm.length > 0) blocks.push(divider(), ...facts.rfm);
  const notes = [
    `Run #${facts.runId} on dataset v${facts.datasetVersion}`,
    facts.previousRunId !== null
      ? `compared with run #${facts.previousRunId}`
      : facts.notCompared
        ? escapeSlackText(facts.notCompared)
        : 'no earlier run to compare with',
  ];
  if (facts.rerun) notes.push('segmentation re-run on the newest upload with the last run’s settings');
  if (when && !facts.late) notes.push(`scheduled ${when}`);
  blocks.push(context(notes.join(' · ')));
  blocks.push(digestButtons(facts.runId));

  const text = [
    `${title}${facts.late ? ' (late)' : ''}: ${escapeSlackText(summary.headline)}`,
    ...(lateLine ? [`Late: ${lateLine}`] : []),
  ].join('\n');
  return { text, blocks };
}

/** A digest for a channel that has no finished run yet. */
export function emptyDigestMessage(input: {
  dueAt: Date | null;
  timezone: string;
  late: boolean;
}): SlackMessage {
  const when = input.dueAt ? formatInZone(input.dueAt, input.timezone) : null;
  const late = input.late && when ? ` (late: it was due ${when})` : '';
  const text = `Weekly segment digest${late}: there are no segments in this channel yet. Upload a CSV and run \`/segbot segment\`; next week’s digest will report on it.`;
  return { text, blocks: [section(text)] };
}

function changeName(change: SegmentChange): string {
  return change.current?.name ?? change.previous?.name ?? 'A segment';
}

/** The short channel message that opens a change thread. */
export function changeAlertMessage(comparison: RunComparison, thresholdPp: number): SlackMessage {
  const appeared = comparison.changes.filter((c) => c.status === 'new').length;
  const dissolved = comparison.changes.filter((c) => c.status === 'dissolved').length;
  const facts: string[] = [];
  if (comparison.maxShareChangePp >= thresholdPp) {
    facts.push(`a segment’s share moved ${comparison.maxShareChangePp.toFixed(1)} pp`);
  }
  if (appeared > 0) facts.push(`${appeared} new ${appeared === 1 ? 'segment' : 'segments'}`);
  if (dissolved > 0) facts.push(`${dissolved} dissolved`);
  // A change of k or of the features is the cause, not customers moving: the alert says so first.
  const head = `:bell: Segments changed in run #${comparison.currentRunId} (vs run #${comparison.previousRunId})`;
  const text =
    comparison.causes.length > 0
      ? `${head} because ${escapeSlackText(comparison.causes.join(' and '))}, not because customers moved: ${facts.join(', ')}. Compare the segments by their profiles.`
      : `${head}: ${facts.join(', ')}. ${escapeSlackText(comparison.headline)}`;
  return {
    text,
    blocks: [
      section(text),
      context(
        `Details in the thread. Alert threshold: ${thresholdPp} pp (\`/segbot alerts threshold=N\`). Ask me there: \`@segbot movers\` (everyone who moved) or \`@segbot movers <from> <to>\`, \`@segbot explain <segment>\`, \`@segbot compare\`.`,
      ),
      changeThreadButtons(comparison.currentRunId),
    ],
  };
}

function changeLine(change: SegmentChange): string {
  const name = escapeSlackText(changeName(change));
  if (change.status === 'new') {
    return `*${name}*: new, ${formatCount(change.current!.size)} customers (${formatShare(change.current!.share)})`;
  }
  if (change.status === 'dissolved') {
    return `*${name}*: dissolved (was ${formatCount(change.previous!.size)}, ${formatShare(change.previous!.share)})`;
  }
  const shifts = change.shifts.map((s) => `\n    • ${escapeSlackText(s.text)}`).join('');
  return `*${name}*: ${formatCount(change.previous!.size)} → ${formatCount(change.current!.size)} (${formatSigned(change.sizeChange)}, ${formatPp(change.shareChangePp)})${shifts}`;
}

/** The thread's details: per-segment changes and the suggested action for each current segment. */
export function changeDetailsMessage(comparison: RunComparison, current: readonly Segment[]): SlackMessage {
  const order = { new: 0, dissolved: 1, matched: 2 } as const;
  const changes = [...comparison.changes].sort(
    (a, b) => order[a.status] - order[b.status] || Math.abs(b.shareChangePp) - Math.abs(a.shareChangePp),
  );
  const blocks: KnownBlock[] = [section('*What changed, segment by segment*')];
  const lines = changes.map(changeLine);
  for (let i = 0; i < lines.length; i += 4) blocks.push(section(lines.slice(i, i + 4).join('\n')));
  blocks.push(divider());
  const actions = current
    .map((segment) => {
      const action = segment.actions[0];
      if (!action) return null;
      return `:dart: *${escapeSlackText(segment.name)}*: ${escapeSlackText(action.title)}. ${escapeSlackText(action.reason)}`;
    })
    .filter((line): line is string => line !== null);
  if (actions.length > 0) {
    blocks.push(section('*Suggested actions*'));
    for (let i = 0; i < actions.length; i += 4) blocks.push(section(actions.slice(i, i + 4).join('\n')));
  }
  blocks.push(
    context(
      `${formatCount(comparison.commonCustomers)} customers are in both runs; ${formatCount(comparison.newCustomers)} are new and ${formatCount(comparison.departedCustomers)} have left.`,
    ),
  );
  const text = `What changed between run #${comparison.previousRunId} and run #${comparison.currentRunId}: ${changes
    .map(
      (c) =>
        `${escapeSlackText(changeName(c))} ${c.status === 'matched' ? formatPp(c.shareChangePp) : c.status}`,
    )
    .join('; ')}`;
  return { text, blocks };
}
