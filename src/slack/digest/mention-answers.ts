/**
 * What segbot answers when mentioned in a change thread: `movers <from> <to>`, `explain <segment>`,
 * `compare`; anything else gets the list of questions it can answer. Pure: the caller loads the
 * two runs and posts the answer.
 */
import {
  isStayCell,
  type RunComparison,
  type RunSnapshot,
  type SegmentChange,
} from '../../analytics/compare/compare-runs.js';
import { toCsv } from '../../analytics/predict/csv-export.js';
import type { Segment } from '../../analytics/types.js';
import { BadInputError, userMessage } from '../../errors.js';
import { didYouMean, matchSegmentName } from '../../text/match-segment-name.js';
import { tokenize } from '../../text/tokenize.js';
import { context, formatCount, formatShare, formatTime, type KnownBlock, section } from '../blocks/format.js';
import { decodeSlackText } from '../decode-slack-text.js';
import { escapeSlackText } from '../escape-text.js';
import { formatPp, formatSigned } from './digest-blocks.js';

export type MentionQuestion =
  | { kind: 'movers'; from: string[]; to: string[] }
  | { kind: 'explain'; segment: string }
  | { kind: 'compare' }
  | { kind: 'help'; said: string }
  /** Text that could not be read (an unclosed quote); `problem` says what and how to fix it. */
  | { kind: 'unreadable'; problem: string };

/** Reads a mention's text (user mentions, the bot's own included, removed) as one of the questions. */
export function parseMention(text: string): MentionQuestion {
  const cleaned = decodeSlackText(text, { withoutUserMentions: true }).trim();
  let words: string[];
  try {
    words = tokenize(cleaned, { example: '@segbot explain "VIP high spenders"' });
  } catch (error) {
    if (error instanceof BadInputError) return { kind: 'unreadable', problem: userMessage(error) };
    throw error;
  }
  const [first, ...rest] = words;
  const verb = first?.toLowerCase() ?? '';
  if (verb === 'compare') return { kind: 'compare' };
  if (verb === 'explain' && rest.length > 0) return { kind: 'explain', segment: rest.join(' ') };
  // "movers" alone: everyone who changed segment in the comparison.
  if (verb === 'movers' && rest.length === 0) return { kind: 'movers', from: [], to: [] };
  if (verb === 'movers' && rest.length >= 2) {
    const spoken = rest[0]?.toLowerCase() === 'from' ? rest.slice(1) : rest;
    const to = spoken.findIndex((w) => w.toLowerCase() === 'to');
    if (to > 0 && to < spoken.length - 1) {
      return { kind: 'movers', from: spoken.slice(0, to), to: spoken.slice(to + 1) };
    }
    return { kind: 'movers', from: spoken, to: [] };
  }
  return { kind: 'help', said: cleaned };
}

export interface ThreadRuns {
  comparison: RunComparison;
  previous: RunSnapshot;
  current: RunSnapshot;
  previousFacts: RunFactsLite;
  currentFacts: RunFactsLite;
}

/** What `compare` shows of a run besides its segments. */
export interface RunFactsLite {
  id: number;
  datasetVersion: number;
  createdAt: Date;
  k: number;
  silhouette: number | null;
}

export interface MentionAnswer {
  text: string;
  blocks: KnownBlock[];
  /** A CSV to attach in the thread (movers). */
  file?: { filename: string; title: string; content: string };
}

/**
 * The list of questions, for anything segbot does not understand. `intro` is mrkdwn segbot wrote;
 * whatever it quotes from the person was escaped by the caller.
 */
export function mentionHelp(intro?: string): MentionAnswer {
  const lines = [
    '`@segbot movers`: everyone who changed segment, the largest moves first, as a CSV',
    '`@segbot movers <from> <to>`: how many customers moved between two segments, a few examples, and the full list as CSV (segment names or numbers; "movers Revolvers to VIP high spenders" works for names with spaces)',
    '`@segbot explain <segment>`: what changed in a segment and why, from its profile',
    '`@segbot compare`: the two runs side by side',
  ];
  const head = intro ?? 'In a “segments changed” thread I can answer these (mention me in the thread):';
  return {
    text: `${head}\n${lines.join('\n')}`,
    blocks: [section(head), section(lines.join('\n'))],
  };
}

/** `@segbot movers` with no comparison to answer from; `reason` is segbot's own words. */
export function noComparisonAnswer(reason: string): MentionAnswer {
  const text = `There are no movers to show: ${escapeSlackText(reason)}. Movers come from comparing the channel’s latest run with the one before it; upload newer data and run \`/segbot segment\` again.`;
  return { text, blocks: [section(text)] };
}

interface Named {
  index: number;
  name: string;
  persona?: string;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function listing(items: readonly Named[]): string {
  return items.map((s, i) => `${i + 1}. ${escapeSlackText(s.name)}`).join(', ');
}

function previousNamed(runs: ThreadRuns): Named[] {
  return runs.previous.segments.map((s) => ({ index: s.index, name: s.name, persona: s.persona }));
}

function currentNamed(runs: ThreadRuns): Named[] {
  return runs.current.segments.map((s) => ({ index: s.index, name: s.name, persona: s.persona }));
}

/** Words that fit several segments, so the answer asks which one was meant. */
interface Ambiguity {
  said: string;
  candidates: Named[];
}

function ambiguityText(ambiguity: Ambiguity): string {
  const names = ambiguity.candidates.map((s) => escapeSlackText(s.name));
  return `“${escapeSlackText(ambiguity.said)}” fits more than one segment. ${didYouMean(names)}`;
}

/**
 * Resolves "movers" words into a (from, to) pair. Without "to" between them, every split of the
 * words is tried, so "movers VIP high spenders Revolvers" finds both multi-word names.
 */
function resolvePair(
  question: Extract<MentionQuestion, { kind: 'movers' }>,
  before: Named[],
  after: Named[],
): { from: Named; to: Named } | Ambiguity | null {
  if (question.to.length > 0) {
    const fromSaid = question.from.join(' ');
    const toSaid = question.to.join(' ');
    const from = matchSegmentName(before, fromSaid);
    const to = matchSegmentName(after, toSaid);
    if (from.kind === 'found' && to.kind === 'found') return { from: from.segment, to: to.segment };
    if (from.kind === 'ambiguous') return { said: fromSaid, candidates: from.candidates };
    if (to.kind === 'ambiguous') return { said: toSaid, candidates: to.candidates };
    return null;
  }
  for (let split = 1; split < question.from.length; split++) {
    const from = matchSegmentName(before, question.from.slice(0, split).join(' '));
    const to = matchSegmentName(after, question.from.slice(split).join(' '));
    if (from.kind === 'found' && to.kind === 'found') return { from: from.segment, to: to.segment };
  }
  return null;
}

const EXAMPLES = 5;

/** Customers in `from` (previous run) now in `to` (current run), in the current dataset's order. */
export function moversBetween(runs: ThreadRuns, fromIndex: number, toIndex: number): string[] {
  const before = new Map<string, number>();
  runs.previous.customerIds.forEach((id, row) => {
    before.set(id, runs.previous.labels[row]!);
  });
  const ids: string[] = [];
  runs.current.customerIds.forEach((id, row) => {
    if (runs.current.labels[row] === toIndex && before.get(id) === fromIndex) ids.push(id);
  });
  return ids;
}

function slug(name: string): string {
  return normalize(name).replace(/ /g, '-') || 'segment';
}

/** Every customer present in both runs whose segment changed, with where they went. */
export function allMovers(runs: ThreadRuns): { id: string; from: string; to: string }[] {
  const { migration } = runs.comparison;
  const before = new Map<string, number>();
  runs.previous.customerIds.forEach((id, row) => {
    before.set(id, runs.previous.labels[row]!);
  });
  const movers: { id: string; from: string; to: string }[] = [];
  runs.current.customerIds.forEach((id, row) => {
    const was = before.get(id);
    if (was === undefined) return;
    const i = migration.fromIndex.indexOf(was);
    const j = migration.toIndex.indexOf(runs.current.labels[row]!);
    if (i < 0 || j < 0 || isStayCell(migration, i, j)) return;
    movers.push({ id, from: migration.from[i]!, to: migration.to[j]! });
  });
  return movers;
}

/** `@segbot movers` alone: how many moved, the largest moves, and everyone who moved as a CSV. */
function answerAllMovers(runs: ThreadRuns): MentionAnswer {
  const movers = allMovers(runs);
  const { migration } = runs.comparison;
  const flows: { from: string; to: string; count: number }[] = [];
  migration.counts.forEach((line, i) => {
    line.forEach((count, j) => {
      if (count > 0 && !isStayCell(migration, i, j)) {
        flows.push({ from: migration.from[i]!, to: migration.to[j]!, count });
      }
    });
  });
  flows.sort((a, b) => b.count - a.count || a.from.localeCompare(b.from));
  const what = `${formatCount(movers.length)} of ${formatCount(runs.comparison.commonCustomers)} customers changed segment between run #${runs.previous.runId} and run #${runs.current.runId}`;
  if (movers.length === 0) {
    const text = `${what}.`;
    return { text, blocks: [section(`*${text}*`)] };
  }
  const largest = flows
    .slice(0, EXAMPLES)
    .map((f) => `• ${escapeSlackText(f.from)} → ${escapeSlackText(f.to)}: ${formatCount(f.count)}`)
    .join('\n');
  const text = `${what}. Largest moves:\n${largest}`;
  return {
    text,
    blocks: [
      section(`*${what}.*\nLargest moves:\n${largest}`),
      context(
        'Everyone who moved is in the CSV below. `@segbot movers <from> <to>` lists one move with examples.',
      ),
    ],
    file: {
      filename: `movers-run-${runs.previous.runId}-to-${runs.current.runId}.csv`,
      title: `Movers: run #${runs.previous.runId} → run #${runs.current.runId}`,
      content: toCsv(
        ['customer_id', 'segment_before', 'segment_now'],
        movers.map((m) => [m.id, m.from, m.to]),
      ),
    },
  };
}

function answerMovers(
  question: Extract<MentionQuestion, { kind: 'movers' }>,
  runs: ThreadRuns,
): MentionAnswer {
  if (question.from.length === 0) return answerAllMovers(runs);
  const before = previousNamed(runs);
  const after = currentNamed(runs);
  const pair = resolvePair(question, before, after);
  if (pair && 'candidates' in pair) {
    const text = ambiguityText(pair);
    return { text, blocks: [section(text)] };
  }
  if (!pair) {
    const example = escapeSlackText(
      `@segbot movers ${before[0]?.name ?? 'Revolvers'} to ${after[1]?.name ?? after[0]?.name ?? 'Transactors'}`,
      'code',
    );
    const text = `I could not tell which two segments you mean. Before (run #${runs.previous.runId}): ${listing(before)}. Now (run #${runs.current.runId}): ${listing(after)}. Example: \`@segbot movers 1 2\` or \`${example}\`.`;
    return { text, blocks: [section(text)] };
  }
  const ids = moversBetween(runs, pair.from.index, pair.to.index);
  const stayed = runs.comparison.changes.some(
    (c) =>
      c.status === 'matched' && c.previous?.index === pair.from.index && c.current?.index === pair.to.index,
  );
  const from = escapeSlackText(pair.from.name);
  const to = escapeSlackText(pair.to.name);
  const what = stayed
    ? `${formatCount(ids.length)} customers stayed in ${from}`
    : `${formatCount(ids.length)} customers moved from ${from} (run #${runs.previous.runId}) to ${to} (run #${runs.current.runId})`;
  const examples =
    ids.length > 0
      ? `Examples: ${ids
          .slice(0, EXAMPLES)
          .map((id) => `\`${escapeSlackText(id, 'code')}\``)
          .join(', ')}${ids.length > EXAMPLES ? ', …' : ''}`
      : 'Nobody made that move.';
  const text = `${what}. ${examples}`;
  const blocks: KnownBlock[] = [section(`*${what}.*\n${examples}`)];
  if (ids.length === 0) return { text, blocks };
  blocks.push(context('The full list is in the CSV below.'));
  return {
    text,
    blocks,
    file: {
      filename: `movers-${slug(pair.from.name)}-to-${slug(pair.to.name)}.csv`,
      title: `Movers: ${pair.from.name} → ${pair.to.name}`,
      content: toCsv(
        ['customer_id', 'segment_before', 'segment_now'],
        ids.map((id) => [id, pair.from.name, pair.to.name]),
      ),
    },
  };
}

function flowsText(runs: ThreadRuns, change: SegmentChange): string[] {
  const { migration } = runs.comparison;
  const lines: string[] = [];
  const col = change.current ? migration.toIndex.indexOf(change.current.index) : -1;
  const row = change.previous ? migration.fromIndex.indexOf(change.previous.index) : -1;
  const top = (entries: { name: string; count: number }[]) =>
    entries
      .filter((e) => e.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, 3)
      .map((e) => `${formatCount(e.count)} from ${e.name}`);
  if (col >= 0) {
    const inflow = migration.counts.map((line, i) => ({
      name: migration.from[i]!,
      count: isStayCell(migration, i, col) ? 0 : (line[col] ?? 0),
    }));
    const parts = top(inflow);
    if (parts.length > 0) lines.push(`Joined: ${parts.join(', ')}.`);
  }
  if (row >= 0) {
    const outflow = (migration.counts[row] ?? []).map((count, j) => ({
      name: migration.to[j]!,
      count: isStayCell(migration, row, j) ? 0 : count,
    }));
    const parts = top(outflow).map((p) => p.replace(' from ', ' to '));
    if (parts.length > 0) lines.push(`Left: ${parts.join(', ')}.`);
  }
  return lines;
}

/**
 * The change a segment name refers to: a segment of the current run, or else one of the previous
 * run that dissolved.
 */
function findChange(query: string, runs: ThreadRuns): SegmentChange | Ambiguity | null {
  const { changes } = runs.comparison;
  const current = matchSegmentName(currentNamed(runs), query);
  if (current.kind === 'found')
    return changes.find((c) => c.current?.index === current.segment.index) ?? null;
  if (current.kind === 'ambiguous') return { said: query, candidates: current.candidates };
  const previous = matchSegmentName(previousNamed(runs), query);
  if (previous.kind === 'found') {
    return (
      changes.find((c) => c.status === 'dissolved' && c.previous?.index === previous.segment.index) ?? null
    );
  }
  if (previous.kind === 'ambiguous') return { said: query, candidates: previous.candidates };
  return null;
}

function answerExplain(query: string, runs: ThreadRuns): MentionAnswer {
  const change = findChange(query, runs);
  if (change && 'candidates' in change) {
    const text = ambiguityText(change);
    return { text, blocks: [section(text)] };
  }
  if (!change) {
    const text = `I don’t know the segment “${escapeSlackText(query)}”. Now: ${listing(currentNamed(runs))}. Before: ${listing(previousNamed(runs))}.`;
    return { text, blocks: [section(text)] };
  }
  const name = change.current?.name ?? change.previous?.name ?? query;
  const segment: Segment | undefined = change.current
    ? (runs.current.segments.find((s) => s.index === change.current!.index) as Segment | undefined)
    : undefined;
  const lines: string[] = [];
  if (change.status === 'matched') {
    lines.push(
      `*${escapeSlackText(name)}*: ${formatCount(change.previous!.size)} → ${formatCount(change.current!.size)} customers (${formatSigned(change.sizeChange)}; share ${formatShare(change.previous!.share)} → ${formatShare(change.current!.share)}, ${formatPp(change.shareChangePp)}).`,
    );
    if (change.shifts.length > 0) {
      lines.push(
        `What moved in its profile: ${change.shifts.map((s) => escapeSlackText(s.text)).join('; ')}.`,
      );
    } else {
      lines.push('Its profile barely moved: the same kind of customer, in different numbers.');
    }
  } else if (change.status === 'new') {
    lines.push(
      `*${escapeSlackText(name)}* is new in run #${runs.current.runId}: ${formatCount(change.current!.size)} customers (${formatShare(change.current!.share)}); no segment of run #${runs.previous.runId} was close to it.`,
    );
  } else {
    lines.push(
      `*${escapeSlackText(name)}* dissolved: it had ${formatCount(change.previous!.size)} customers (${formatShare(change.previous!.share)}) in run #${runs.previous.runId}, and no segment of run #${runs.current.runId} is close to it.`,
    );
  }
  lines.push(...flowsText(runs, change).map((t) => escapeSlackText(t)));
  const traits = (segment?.traits ?? []).slice(0, 3);
  if (traits.length > 0) {
    lines.push(`What sets it apart now: ${traits.map((t) => escapeSlackText(t.text)).join('; ')}.`);
  }
  const action = segment?.actions[0];
  if (action) lines.push(`:dart: ${escapeSlackText(action.title)}: ${escapeSlackText(action.reason)}`);
  const text = lines.join('\n').replace(/\*/g, '');
  return { text, blocks: [section(lines.join('\n'))] };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

function answerCompare(runs: ThreadRuns): MentionAnswer {
  const a = runs.previousFacts;
  const b = runs.currentFacts;
  const runLine = (f: RunFactsLite) =>
    `run #${f.id}: dataset v${f.datasetVersion}, ${formatTime(f.createdAt)}, k=${f.k}, silhouette ${f.silhouette === null ? '–' : f.silhouette.toFixed(2)}`;
  const rows = runs.comparison.changes.map((c) => {
    const name = c.current?.name ?? c.previous?.name ?? '?';
    const before = c.previous ? `${formatCount(c.previous.size)} (${formatShare(c.previous.share)})` : '—';
    const after = c.current ? `${formatCount(c.current.size)} (${formatShare(c.current.share)})` : '—';
    const delta = c.status === 'matched' ? formatPp(c.shareChangePp) : c.status;
    return `${escapeSlackText(pad(name, 24), 'code')} ${pad(before, 16)} ${pad(after, 16)} ${delta}`;
  });
  const table = [
    `${pad('Segment', 24)} ${pad(`Run #${a.id}`, 16)} ${pad(`Run #${b.id}`, 16)} Change`,
    ...rows,
  ].join('\n');
  const head = `Before: ${runLine(a)}\nNow: ${runLine(b)}`;
  const text = `${head}\n${table}`;
  return {
    text,
    blocks: [
      section(head),
      section(`\`\`\`${table}\`\`\``),
      context(escapeSlackText(runs.comparison.headline)),
    ],
  };
}

/** Answers a question about the two runs of a change thread. */
export function answerMention(question: MentionQuestion, runs: ThreadRuns): MentionAnswer {
  switch (question.kind) {
    case 'movers':
      return answerMovers(question, runs);
    case 'explain':
      return answerExplain(question.segment, runs);
    case 'compare':
      return answerCompare(runs);
    case 'unreadable': {
      const text = escapeSlackText(question.problem, 'message');
      return { text, blocks: [section(text)] };
    }
    case 'help':
      return mentionHelp(
        question.said === ''
          ? undefined
          : `I can’t answer “${escapeSlackText(question.said.slice(0, 80))}” yet. In this thread I can answer:`,
      );
  }
}
