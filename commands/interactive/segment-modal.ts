/**
 * The "Segment with options…" modal: k (automatic or 3 to 8) and the features to segment on, for one
 * channel's latest upload; opened from the quality report's button, or from the global shortcut with
 * a channel picker. A submission is checked in place (`response_action: errors`), so a bad choice is
 * fixed in the modal and never becomes an error message after it closed.
 */
import type { types, ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CHOOSE_K_DEFAULTS } from '../../src/analytics/cluster/choose-k.js';
import { BadInputError } from '../../src/errors.js';
import { VIEWS } from '../../src/slack/blocks/buttons.js';
import { formatCount } from '../../src/slack/blocks/format.js';
import { escapeSlackText } from '../../src/slack/escape-text.js';
import type { CommandDeps, DatasetRecord } from '../deps.js';
import { checkFeatures } from '../segment.js';
import { isChannelMember } from './interaction.js';
import { MAX_OPTIONS, option, plain, usableColumns } from './view-elements.js';

/** Block and action ids of the modal's inputs (the same string for both). */
export const SEGMENT_INPUTS = { channel: 'channel', k: 'k', features: 'features' } as const;

interface SegmentModalMetadata {
  /** Set when the modal was opened for one channel; absent with the channel picker. */
  c?: string;
}

function kInput(): types.InputBlock {
  const { kMin, kMax } = CHOOSE_K_DEFAULTS;
  const options = [option(`Automatic (best of ${kMin} to ${kMax})`, 'auto')];
  for (let k = kMin; k <= kMax; k++) options.push(option(`${k} segments`, String(k)));
  return {
    type: 'input',
    block_id: SEGMENT_INPUTS.k,
    label: plain('Number of segments'),
    element: {
      type: 'static_select',
      action_id: SEGMENT_INPUTS.k,
      options,
      initial_option: options[0]!,
    },
  };
}

/**
 * The modal for `dataset` of `channelId`, or (no dataset) with a channel picker and the features
 * typed as a list, since the columns depend on the channel chosen.
 */
export function segmentModal(target: { channelId: string; dataset: DatasetRecord } | null): types.View {
  const blocks: types.KnownBlock[] = [];
  const metadata: SegmentModalMetadata = {};
  if (target) {
    metadata.c = target.channelId;
    const { dataset } = target;
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${escapeSlackText(dataset.fileName)} v${dataset.version} · ${formatCount(dataset.rowCount)} customers in <#${target.channelId}>`,
        },
      ],
    });
  } else {
    blocks.push({
      type: 'input',
      block_id: SEGMENT_INPUTS.channel,
      label: plain('Channel'),
      element: {
        type: 'conversations_select',
        action_id: SEGMENT_INPUTS.channel,
        default_to_current_conversation: true,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
      },
    });
  }
  blocks.push(kInput());
  const columns = target ? usableColumns(target.dataset) : [];
  if (target && columns.length > 0 && columns.length <= MAX_OPTIONS) {
    blocks.push({
      type: 'input',
      block_id: SEGMENT_INPUTS.features,
      optional: true,
      label: plain('Features (leave empty for all)'),
      element: {
        type: 'multi_static_select',
        action_id: SEGMENT_INPUTS.features,
        placeholder: plain('All usable columns'),
        options: columns.map((name) => option(name, name)),
      },
    });
  } else {
    blocks.push({
      type: 'input',
      block_id: SEGMENT_INPUTS.features,
      optional: true,
      label: plain('Features (comma-separated; empty for all)'),
      element: {
        type: 'plain_text_input',
        action_id: SEGMENT_INPUTS.features,
        placeholder: plain('e.g. BALANCE, PURCHASES, CASH_ADVANCE'),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: VIEWS.segment,
    private_metadata: JSON.stringify(metadata),
    title: plain('Segment customers'),
    submit: plain('Segment'),
    close: plain('Cancel'),
    blocks,
  };
}

export async function openSegmentModal(
  client: WebClient,
  triggerId: string,
  target: { channelId: string; dataset: DatasetRecord } | null,
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: segmentModal(target) });
}

type StateValues = ViewOutput['state']['values'];

/** What a valid submission asks for: the channel and the words of `/segbot segment …`. */
export type SegmentSubmission =
  | { ok: true; channelId: string; args: string[] }
  | { ok: false; errors: Record<string, string> };

/** Slack shows at most this much of an input's error text. */
const MAX_ERROR_TEXT = 150;

function clip(text: string): string {
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text;
}

/**
 * Checks a submission: a channel the person is in and segbot holds data for, and features that
 * exist and can be used (the same check `/segbot segment features=…` makes).
 */
export async function readSegmentSubmission(input: {
  deps: CommandDeps;
  client: WebClient;
  userId: string;
  privateMetadata: string;
  values: StateValues;
}): Promise<SegmentSubmission> {
  const { deps, values } = input;
  let metadata: SegmentModalMetadata = {};
  try {
    metadata = JSON.parse(input.privateMetadata || '{}') as SegmentModalMetadata;
  } catch {
    metadata = {};
  }
  const picked = values[SEGMENT_INPUTS.channel]?.[SEGMENT_INPUTS.channel]?.selected_conversation;
  const channelId = typeof metadata.c === 'string' ? metadata.c : (picked ?? undefined);
  const channelBlock = metadata.c ? SEGMENT_INPUTS.k : SEGMENT_INPUTS.channel;
  if (!channelId) return { ok: false, errors: { [channelBlock]: 'Choose a channel.' } };
  // The picker offers any channel the person can see; segbot acts only where they are a member.
  if (!(await isChannelMember(input.client, channelId, input.userId))) {
    return {
      ok: false,
      errors: { [channelBlock]: 'segbot can segment only in a channel you and segbot are both in.' },
    };
  }
  const dataset = await deps.datasets.latestDataset(channelId);
  if (!dataset) {
    return {
      ok: false,
      errors: { [channelBlock]: 'That channel has no customer data yet: drop a CSV into it first.' },
    };
  }
  const k = values[SEGMENT_INPUTS.k]?.[SEGMENT_INPUTS.k]?.selected_option?.value ?? 'auto';
  const featureState = values[SEGMENT_INPUTS.features]?.[SEGMENT_INPUTS.features];
  const features = featureState?.selected_options
    ? featureState.selected_options.map((o) => o.value)
    : (featureState?.value ?? '')
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== '');
  if (features.length === 1) {
    return {
      ok: false,
      errors: {
        [SEGMENT_INPUTS.features]: 'Choose at least 2 features, or none to use every usable column.',
      },
    };
  }
  try {
    checkFeatures(dataset, features.length > 0 ? features : undefined);
  } catch (error) {
    if (error instanceof BadInputError) {
      return { ok: false, errors: { [SEGMENT_INPUTS.features]: clip(error.message) } };
    }
    throw error;
  }
  const args = [`k=${k}`];
  if (features.length > 0) args.push(`features=${features.join(',')}`);
  return { ok: true, channelId, args };
}
