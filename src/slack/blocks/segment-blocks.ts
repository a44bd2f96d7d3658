/**
 * Block Kit for segmentation results: the run summary, one segment in depth, all segments in
 * brief, and the run history. Pure functions of stored data, so a re-posted run looks the same.
 */
import { capitalize, featureLabel } from '../../analytics/segment/column-labels.js';
import { describeMethodK, formatSure, METHOD_LABEL } from '../../analytics/segment/method-labels.js';
import type { ClusterMethod, KSelection, Segment } from '../../analytics/types.js';
import { escapeSlackText } from '../escape-text.js';
import { segmentRowButtons } from './buttons.js';
import {
  context,
  divider,
  formatCount,
  formatShare,
  formatTime,
  formatValue,
  formatZ,
  header,
  type KnownBlock,
  listNames,
  section,
} from './format.js';

/** The facts about a run that its messages show. */
export interface RunFacts {
  id: number;
  userId: string;
  datasetVersion: number;
  fileName: string;
  createdAt: Date;
  params: {
    k: 'auto' | number;
    seed: number;
    features?: string[];
    /** Absent: k-means. */
    method?: ClusterMethod;
    /** GMM: per segment index, the share of its customers clearly inside it. */
    sure?: number[];
  };
  k: number;
  silhouette: number;
  /** Whether the silhouette came from all customers or a sample. */
  silhouetteSample?: { exact: boolean; size: number } | null;
  kSelection: KSelection | null;
  segments: Segment[];
}

/** A Gaussian mixture run's certainty per segment index (see RunFacts.params.sure). */
export interface MixtureCertainty {
  sure?: number[];
}

/** How many traits and actions the summary shows per segment (describe shows all). */
const SUMMARY_TRAITS = 3;
const SUMMARY_ACTIONS = 1;

function totalCustomers(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + s.size, 0);
}

/** "k=4, chosen automatically" or "k=4 as requested". */
function describeK(facts: RunFacts): string {
  const method = facts.params.method ?? 'kmeans';
  const how = describeMethodK(method, facts.k, facts.params.k);
  return method === 'kmeans' ? how : `${METHOD_LABEL[method]}, ${how}`;
}

function describeSilhouette(facts: RunFacts): string {
  const sample = facts.silhouetteSample;
  const where = sample && !sample.exact ? ` (on a sample of ${formatCount(sample.size)})` : '';
  const quality =
    facts.silhouette >= 0.5
      ? 'clearly separated'
      : facts.silhouette >= 0.25
        ? 'reasonably separated'
        : 'overlapping; treat the boundaries as soft';
  return `silhouette ${facts.silhouette.toFixed(2)}${where}: segments are ${quality}`;
}

/** "1. Revolvers" — segments are numbered as listed, from 1. */
export function segmentLabel(segments: readonly Segment[], segment: Segment): string {
  return `${segments.indexOf(segment) + 1}. ${segment.name}`;
}

function segmentLine(
  segment: Segment,
  number: number,
  shown: { traits: number; actions: number; sure: number | undefined },
): string {
  const { traits, actions, sure } = shown;
  const certainty = sure === undefined ? '' : `, ${formatSure(sure)}`;
  const lines = [
    `*${number}. ${escapeSlackText(segment.name)}* — ${formatCount(segment.size)} customers (${formatShare(segment.share)}${certainty})`,
  ];
  for (const trait of segment.traits.slice(0, traits)) lines.push(`• ${escapeSlackText(trait.text)}`);
  for (const action of segment.actions.slice(0, actions)) {
    lines.push(`:dart: *${escapeSlackText(action.title)}*: ${escapeSlackText(action.reason)}`);
  }
  return lines.join('\n');
}

/** The summary posted when a run completes (and when it is re-posted with `/segbot runs <id>`). */
export function runSummaryMessage(facts: RunFacts): { text: string; blocks: KnownBlock[] } {
  const total = totalCustomers(facts.segments);
  const names = facts.segments.map((s) => escapeSlackText(s.name)).join(', ');
  const text = `Run #${facts.id}: ${facts.segments.length} segments of ${formatCount(total)} customers in ${escapeSlackText(facts.fileName)} (v${facts.datasetVersion}): ${names}.`;
  const blocks: KnownBlock[] = [
    header(`${facts.segments.length} customer segments in ${facts.fileName}`),
    section(
      `Run *#${facts.id}* on dataset v${facts.datasetVersion} (${formatCount(total)} customers) by <@${facts.userId}>: ${describeK(facts)}; ${describeSilhouette(facts)}.`,
    ),
  ];
  if (facts.params.k === 'auto' && facts.kSelection?.reason) {
    blocks.push(context(`How k was chosen: ${escapeSlackText(facts.kSelection.reason)}`));
  }
  blocks.push(divider());
  facts.segments.forEach((segment, i) => {
    const sure = facts.params.sure?.[segment.index];
    blocks.push(
      section(segmentLine(segment, i + 1, { traits: SUMMARY_TRAITS, actions: SUMMARY_ACTIONS, sure })),
    );
    blocks.push(segmentRowButtons(facts.id, i + 1));
  });
  const features = facts.params.features?.length
    ? listNames(facts.params.features, 8)
    : 'all numeric and categorical columns';
  blocks.push(
    context(
      `Seed ${facts.params.seed} · features: ${features} · ${formatTime(facts.createdAt)} · \`/segbot describe 1\` for a segment in depth · \`/segbot runs ${facts.id}\` shows this run again`,
    ),
  );
  return { text, blocks };
}

/** How many profile rows describe shows (strongest deviations first); the rest is summarised. */
const PROFILE_ROWS = 20;

function profileTable(segment: Segment): string {
  const rows = [...segment.profile].sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  const shown = rows.slice(0, PROFILE_ROWS);
  const width = Math.min(28, Math.max(7, ...shown.map((r) => featureLabel(r.feature).length)));
  // A category's mean is the share of the segment in it: shown as a percentage, like its trait.
  const value = (feature: string, v: number) =>
    feature.includes('=') && Number.isFinite(v) ? `${Math.round(v * 100)}%` : formatValue(v);
  // Padded first, escaped after: an escape must not be cut in half, and the columns stay aligned.
  const pad = (s: string, n: number) =>
    escapeSlackText(s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n), 'code');
  const lines = [
    `${pad('Feature', width)}  ${'Segment'.padStart(10)}  ${'All'.padStart(10)}  ${'z'.padStart(6)}`,
    ...shown.map(
      (r) =>
        `${pad(capitalize(featureLabel(r.feature)), width)}  ${value(r.feature, r.mean).padStart(10)}  ${value(r.feature, r.populationMean).padStart(10)}  ${formatZ(r.z).padStart(6)}`,
    ),
  ];
  if (rows.length > shown.length) lines.push(`…and ${rows.length - shown.length} features closer to average`);
  return '```\n' + lines.join('\n') + '\n```';
}

/** One segment in depth: profile table, traits, the campaign playbook with reasons. */
export function segmentDetailMessage(
  facts: Pick<RunFacts, 'id' | 'datasetVersion' | 'fileName' | 'segments'> & MixtureCertainty,
  segment: Segment,
): { text: string; blocks: KnownBlock[] } {
  const number = facts.segments.indexOf(segment) + 1;
  const total = totalCustomers(facts.segments);
  const text = `Segment ${number}: ${escapeSlackText(segment.name)}, ${formatCount(segment.size)} customers (${formatShare(segment.share)}).`;
  const sure = facts.sure?.[segment.index];
  const blocks: KnownBlock[] = [
    header(`Segment ${number}: ${segment.name}`),
    section(
      `*${formatCount(segment.size)} customers*, ${formatShare(segment.share)} of ${formatCount(total)} in ${escapeSlackText(facts.fileName)} (v${facts.datasetVersion}, run #${facts.id}).${sure === undefined ? '' : ` Gaussian mixture membership: ${formatSure(sure)} (share of them at least 90% likely to belong here).`}`,
    ),
  ];
  if (segment.traits.length > 0) {
    blocks.push(
      section(
        `*What sets them apart*\n${segment.traits.map((t) => `• ${escapeSlackText(t.text)}`).join('\n')}`,
      ),
    );
  }
  if (segment.profile.length > 0) {
    blocks.push(
      section(
        `*Profile* (segment average vs all customers; z in standard deviations)\n${profileTable(segment)}`,
      ),
    );
  }
  if (segment.actions.length > 0) {
    blocks.push(
      section(
        `*Campaign playbook*\n${segment.actions
          .map((a, i) => `${i + 1}. *${escapeSlackText(a.title)}*: ${escapeSlackText(a.reason)}`)
          .join('\n')}`,
      ),
    );
  }
  blocks.push(context(`\`/segbot describe\` lists all segments briefly.`));
  return { text, blocks };
}

/** All segments of a run in brief. */
export function segmentsOverviewMessage(
  facts: Pick<RunFacts, 'id' | 'datasetVersion' | 'fileName' | 'segments'> & MixtureCertainty,
): { text: string; blocks: KnownBlock[] } {
  const text = `Segments of run #${facts.id}: ${facts.segments.map((s, i) => `${i + 1}. ${escapeSlackText(s.name)}`).join(', ')}.`;
  const blocks: KnownBlock[] = [
    header(`Segments of run #${facts.id} (${facts.fileName} v${facts.datasetVersion})`),
  ];
  facts.segments.forEach((segment, i) => {
    const sure = facts.sure?.[segment.index];
    blocks.push(section(segmentLine(segment, i + 1, { traits: 2, actions: 1, sure })));
  });
  blocks.push(context('`/segbot describe <number or name>` shows one segment in depth.'));
  return { text, blocks };
}

/** One row of the run history. */
export interface RunHistoryRow {
  id: number;
  userId: string;
  status: 'running' | 'done' | 'failed';
  createdAt: Date;
  datasetVersion: number;
  params: { k: 'auto' | number; seed: number; features?: string[] };
  k: number | null;
  silhouette: number | null;
  sizes: number[];
  error: string | null;
}

/** The run history, newest first. */
export function runHistoryMessage(
  rows: readonly RunHistoryRow[],
  hasMore = false,
): { text: string; blocks: KnownBlock[] } {
  const text = `${rows.length} segmentation ${rows.length === 1 ? 'run' : 'runs'} in this channel.`;
  const blocks: KnownBlock[] = [header('Segmentation runs in this channel')];
  for (const row of rows) {
    const features = row.params.features?.length ? listNames(row.params.features, 8) : 'all';
    const head = `*#${row.id}* · ${formatTime(row.createdAt)} · <@${row.userId}> · dataset v${row.datasetVersion}`;
    const params = `k=${row.params.k}${row.params.k === 'auto' && row.k !== null ? `→${row.k}` : ''} · seed ${row.params.seed} · features: ${features}`;
    let outcome: string;
    if (row.status === 'done') {
      const silhouette = row.silhouette !== null ? `silhouette ${row.silhouette.toFixed(2)}` : '';
      outcome = `${silhouette} · sizes ${row.sizes.map(formatCount).join(' / ')}`;
    } else if (row.status === 'failed') {
      outcome = `:x: failed: ${escapeSlackText(row.error ?? 'no reason recorded', 'message')}`;
    } else {
      outcome = ':hourglass_flowing_sand: running';
    }
    blocks.push(section(`${head}\n${params}\n${outcome}`));
  }
  blocks.push(
    context(
      hasMore
        ? `Showing the newest ${rows.length}. \`/segbot runs <id>\` posts a run again.`
        : '`/segbot runs <id>` posts a run again.',
    ),
  );
  return { text, blocks };
}
