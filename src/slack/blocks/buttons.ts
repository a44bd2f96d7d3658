/**
 * segbot's interactive vocabulary: the action ids of its buttons, the callback ids of its modals and
 * shortcuts, and small builders for buttons whose value says exactly which data they act on (a
 * dataset or run id), so a press on an old message can be told apart from one on the latest.
 */
import type { types } from '@slack/bolt';
import type { KnownBlock } from './format.js';

/** Buttons. Each handler lives in commands/interactive/. */
export const ACTIONS = {
  segmentNow: 'segbot_segment_now',
  segmentOptions: 'segbot_segment_options',
  describeSegment: 'segbot_describe_segment',
  predictSegment: 'segbot_predict_segment',
  exportSegment: 'segbot_export_segment',
  campaignSegment: 'segbot_campaign_segment',
  exportScores: 'segbot_export_scores',
  campaignTopDecile: 'segbot_campaign_top_decile',
  openRun: 'segbot_open_run',
  openLatestRun: 'segbot_open_latest_run',
  showMovers: 'segbot_show_movers',
  forgetConfirmed: 'segbot_forget_confirmed',
} as const;

/** Modals (view callback ids). */
export const VIEWS = {
  segment: 'segbot_segment_modal',
  predict: 'segbot_predict_modal',
  campaign: 'segbot_campaign_modal',
} as const;

/** Shortcuts, as declared in manifest.yml. */
export const SHORTCUTS = {
  /** Global: "segbot…" opens the segment modal with a channel picker. */
  open: 'segbot_open',
  /** On a message with a shared CSV: "Segment this CSV". */
  segmentFile: 'segbot_segment_file',
} as const;

/** What a button acts on; kept short (Slack allows 2,000 characters). */
export interface ButtonTarget {
  /** Channel (only for buttons outside a channel: Home). */
  c?: string;
  /** Dataset id. */
  d?: number;
  /** Run id. */
  r?: number;
  /** Segment number (from 1, as listed). */
  n?: number;
  /** Product column (prediction buttons). */
  p?: string;
}

/** A product column is a header cell; anything longer than this is not one segbot wrote. */
const MAX_PRODUCT_LENGTH = 200;

export function encodeTarget(target: ButtonTarget): string {
  return JSON.stringify(target);
}

/** The target of a pressed button; fields that are not what segbot writes are dropped. */
export function decodeTarget(value: string | undefined): ButtonTarget {
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const raw = parsed as Record<string, unknown>;
  const target: ButtonTarget = {};
  if (typeof raw['c'] === 'string' && /^[CG][A-Z0-9]{2,}$/.test(raw['c'])) target.c = raw['c'];
  for (const key of ['d', 'r', 'n'] as const) {
    const n = raw[key];
    if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) target[key] = n;
  }
  const product = raw['p'];
  if (typeof product === 'string' && product !== '' && product.length <= MAX_PRODUCT_LENGTH) {
    target.p = product;
  }
  return target;
}

export function button(input: {
  text: string;
  actionId: string;
  target: ButtonTarget;
  style?: 'primary' | 'danger';
  confirm?: types.ConfirmationDialog;
}): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: input.text, emoji: true },
    action_id: input.actionId,
    value: encodeTarget(input.target),
    ...(input.style ? { style: input.style } : {}),
    ...(input.confirm ? { confirm: input.confirm } : {}),
  };
}

export function actions(blockId: string, elements: types.Button[]): KnownBlock {
  return { type: 'actions', block_id: blockId, elements };
}

/** "Segment now" and "Segment with options…" under an upload's quality report. */
export function segmentButtons(datasetId: number): KnownBlock {
  return actions(`segment_${datasetId}`, [
    button({ text: 'Segment now', actionId: ACTIONS.segmentNow, target: { d: datasetId }, style: 'primary' }),
    button({ text: 'Segment with options…', actionId: ACTIONS.segmentOptions, target: { d: datasetId } }),
  ]);
}

/** The buttons under one segment of a run summary. */
export function segmentRowButtons(runId: number, number: number): KnownBlock {
  const target = { r: runId, n: number };
  return actions(`run_${runId}_segment_${number}`, [
    button({ text: 'Describe', actionId: ACTIONS.describeSegment, target }),
    button({ text: 'Export list', actionId: ACTIONS.exportSegment, target }),
    button({ text: 'Predict uptake…', actionId: ACTIONS.predictSegment, target }),
    button({ text: 'Start a campaign…', actionId: ACTIONS.campaignSegment, target }),
  ]);
}

/**
 * The buttons under a prediction: the scored CSV again (only offered where customer ids may go)
 * and a campaign on the top decile. `segment` is the segment number the prediction was limited to.
 */
export function predictionButtons(input: {
  datasetId: number;
  product: string;
  segment: number | null;
  customerLevel: boolean;
}): KnownBlock {
  const target: ButtonTarget = {
    d: input.datasetId,
    p: input.product,
    ...(input.segment !== null ? { n: input.segment } : {}),
  };
  const elements: types.Button[] = [];
  if (input.customerLevel) {
    elements.push(button({ text: 'Export scored CSV', actionId: ACTIONS.exportScores, target }));
  }
  elements.push(
    button({ text: 'Campaign from the top decile', actionId: ACTIONS.campaignTopDecile, target }),
  );
  return actions(`prediction_${input.datasetId}`, elements);
}

/** "Open the latest run" under a digest: whatever run is the channel's latest when pressed. */
export function digestButtons(runId: number): KnownBlock {
  return actions(`digest_${runId}`, [
    button({ text: 'Open the latest run', actionId: ACTIONS.openLatestRun, target: {} }),
  ]);
}

/** "Show movers" on a "segments changed" alert, for the run it compared. */
export function changeThreadButtons(runId: number): KnownBlock {
  return actions(`changes_${runId}`, [
    button({ text: 'Show movers', actionId: ACTIONS.showMovers, target: { r: runId } }),
  ]);
}
