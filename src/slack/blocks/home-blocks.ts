/**
 * The App Home tab: for the person who opened it, each channel they share with segbot that holds
 * customer data — its latest upload and run (segment names and sizes, drawn as text bars: Home
 * cannot show an uploaded image), live campaigns with their measured lift, the next digest — with
 * buttons that act in that channel. Aggregates only: Home never shows a customer.
 */
import type { types } from '@slack/bolt';
import { formatInZone } from '../digest/digest-blocks.js';
import { escapeSlackText } from '../escape-text.js';
import { ACTIONS, actions, button } from './buttons.js';
import {
  context,
  divider,
  formatCount,
  formatShare,
  formatTime,
  header,
  type KnownBlock,
  section,
} from './format.js';

export interface HomeChannel {
  channelId: string;
  dataset: { id: number; fileName: string; version: number; rows: number; createdAt: Date };
  run: {
    id: number;
    datasetVersion: number;
    segments: { name: string; share: number }[];
    createdAt: Date;
  } | null;
  nextDigest: { at: Date; timezone: string } | null;
  /** Live campaigns with their latest measured verdict (null: not measured yet). */
  campaigns: { name: string; verdict: string | null }[];
}

/** Slack refuses a Home view of more than 100 blocks. */
export const MAX_HOME_BLOCKS = 100;
/** Live campaigns listed per channel; the rest are counted. */
const MAX_HOME_CAMPAIGNS = 5;

const BAR_WIDTH = 20;

/** "Revolvers            ██████▌ 24%": one line per segment, in a code block so bars line up. */
function sizeBars(segments: readonly { name: string; share: number }[]): string {
  const width = Math.min(28, Math.max(...segments.map((s, i) => `${i + 1}. ${s.name}`.length)));
  const lines = segments.map((s, i) => {
    const label = `${i + 1}. ${s.name}`;
    const shown = label.length > width ? `${label.slice(0, width - 1)}…` : label.padEnd(width);
    const bar = '█'.repeat(Math.max(1, Math.round(s.share * BAR_WIDTH)));
    return `${escapeSlackText(shown, 'code')} ${bar} ${formatShare(s.share)}`;
  });
  return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
}

function channelBlocks(channel: HomeChannel): KnownBlock[] {
  const { dataset, run } = channel;
  const blocks: KnownBlock[] = [
    divider(),
    section(
      `*<#${channel.channelId}>*\nLatest upload: *${escapeSlackText(dataset.fileName)}* v${dataset.version} · ${formatCount(dataset.rows)} customers · ${formatTime(dataset.createdAt)}`,
    ),
  ];
  if (run) {
    const onLatest =
      run.datasetVersion === dataset.version ? '' : ` (on v${run.datasetVersion}, not the latest upload)`;
    blocks.push(
      section(`Run *#${run.id}*${onLatest}: ${run.segments.length} segments · ${formatTime(run.createdAt)}`),
    );
    blocks.push(section(sizeBars(run.segments)));
  } else {
    blocks.push(section('No segmentation yet.'));
  }
  if (channel.campaigns.length > 0) {
    const lines = channel.campaigns
      .slice(0, MAX_HOME_CAMPAIGNS)
      .map(
        (c) =>
          `• *${escapeSlackText(c.name)}*: ${c.verdict === null ? 'not measured yet' : escapeSlackText(c.verdict)}`,
      );
    const more = channel.campaigns.length - MAX_HOME_CAMPAIGNS;
    if (more > 0) lines.push(`…and ${more} more (\`/segbot campaigns\` in the channel)`);
    blocks.push(section(`*Live campaigns*\n${lines.join('\n')}`));
  }
  blocks.push(
    context(
      channel.nextDigest
        ? `Next digest: ${formatInZone(channel.nextDigest.at, channel.nextDigest.timezone)}`
        : 'No weekly digest: `/segbot digest weekly monday 09:00` in the channel starts one.',
    ),
  );
  const elements: types.Button[] = [
    button({
      text: 'Segment now',
      actionId: ACTIONS.segmentNow,
      target: { c: channel.channelId, d: dataset.id },
      style: 'primary',
    }),
  ];
  if (run) {
    elements.push(
      button({
        text: 'Open the latest run',
        actionId: ACTIONS.openRun,
        target: { c: channel.channelId, r: run.id },
      }),
    );
  }
  blocks.push(actions(`home_${channel.channelId}`, elements));
  return blocks;
}

/**
 * The Home view for one person; `channels` are already only those they are a member of. Channels
 * are added while they fit in Slack's 100 blocks, keeping one for the "…and N more" line.
 */
export function homeView(channels: readonly HomeChannel[]): types.HomeView {
  const blocks: KnownBlock[] = [
    header('segbot: your customer segments'),
    context(
      'Channels you share with segbot that hold customer data. Buttons act in that channel; replies appear there.',
    ),
  ];
  if (channels.length === 0) {
    blocks.push(
      section(
        'You share no channel with segbot that holds customer data yet. Invite segbot to a channel (`/invite @segbot`) and drop a customer CSV into it; an admin’s upload appears here with its segments.',
      ),
    );
  }
  let shown = 0;
  for (const channel of channels) {
    const next = channelBlocks(channel);
    const room = MAX_HOME_BLOCKS - blocks.length - (shown + 1 < channels.length ? 1 : 0);
    if (next.length > room) break;
    blocks.push(...next);
    shown++;
  }
  if (channels.length > shown) {
    blocks.push(context(`…and ${channels.length - shown} more channels; open them to see their segments.`));
  }
  return { type: 'home', blocks };
}
