/**
 * The "Start a campaign…" modal: a name, the segments, a cut by propensity (none, the top N, or the
 * top deciles of a product's score) and the share held back. Opened from a segment of a run summary
 * or from a prediction ("Campaign from the top decile", cut and product filled in). A submission is
 * checked in place (`response_action: errors`) and then becomes the same CampaignSpec that
 * `/segbot campaign new` builds, handed to the same service.
 */
import type { types, ViewOutput } from '@slack/bolt';
import { productColumns } from '../../src/analytics/predict/train-propensity.js';
import type { CampaignSpec } from '../../src/services/campaigns.js';
import { VIEWS } from '../../src/slack/blocks/buttons.js';
import { formatCount } from '../../src/slack/blocks/format.js';
import { escapeSlackText } from '../../src/slack/escape-text.js';
import { decilesOption, HOLDOUT_RANGE, holdoutOption } from '../campaign-args.js';
import type { CommandDeps, DatasetRecord, RunRecord } from '../deps.js';
import { DEFAULT_SEED } from '../parse-args.js';
import { MAX_OPTIONS, option, plain } from './view-elements.js';

/** Block and action ids of the modal's inputs (the same string for both). */
export const CAMPAIGN_INPUTS = {
  name: 'name',
  segments: 'segments',
  product: 'product',
  cut: 'cut',
  top: 'top',
  deciles: 'deciles',
  holdout: 'holdout',
} as const;

/** The cut choices, as option values. */
const CUTS = {
  none: 'none',
  top: 'top',
  deciles: 'deciles',
} as const;

const MAX_NAME = 80;

interface CampaignModalMetadata {
  /** Channel. */
  c: string;
  /** Dataset the modal was opened on. */
  d: number;
  /** Run whose segments are offered, or null (no segmentation of the latest data). */
  r: number | null;
}

/** What the modal opens with: the segment pressed, or a prediction's product and top decile. */
export interface CampaignModalInput {
  channelId: string;
  dataset: DatasetRecord;
  /** The latest run when it is on `dataset`, else null. */
  run: RunRecord | null;
  /** Segment numbers (from 1) chosen at the start. */
  segments: number[];
  /** Product column chosen at the start. */
  product?: string;
  /** Start with the top decile of `product`'s score. */
  topDecile?: boolean;
}

export function campaignModal(input: CampaignModalInput): types.View {
  const { dataset, run } = input;
  const metadata: CampaignModalMetadata = { c: input.channelId, d: dataset.id, r: run?.id ?? null };
  const blocks: types.KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${escapeSlackText(dataset.fileName)} v${dataset.version} · ${formatCount(dataset.rowCount)} customers in <#${input.channelId}>${run ? ` · segments of run #${run.id}` : ''}. Held-back customers are never contacted, so the lift can be measured.`,
        },
      ],
    },
    {
      type: 'input',
      block_id: CAMPAIGN_INPUTS.name,
      label: plain('Campaign name'),
      element: {
        type: 'plain_text_input',
        action_id: CAMPAIGN_INPUTS.name,
        max_length: MAX_NAME,
        placeholder: plain('e.g. Loan push'),
      },
    },
  ];
  if (run && run.segments.length > 0) {
    const options = run.segments
      .slice(0, MAX_OPTIONS)
      .map((s, i) => option(`${i + 1}. ${s.name} (${formatCount(s.size)})`, String(i + 1)));
    const initial = options.filter((o) => input.segments.includes(Number(o.value)));
    blocks.push({
      type: 'input',
      block_id: CAMPAIGN_INPUTS.segments,
      optional: true,
      label: plain('Segments (leave empty for every customer)'),
      element: {
        type: 'multi_static_select',
        action_id: CAMPAIGN_INPUTS.segments,
        options,
        ...(initial.length > 0 ? { initial_options: initial } : {}),
      },
    });
  }
  const products = productColumns({ schema: dataset.schema, table: { fileName: dataset.fileName } })
    .slice(0, MAX_OPTIONS)
    .map((p) => option(p.label, p.column));
  if (products.length > 0) {
    const initial = products.find((p) => p.value === input.product);
    blocks.push({
      type: 'input',
      block_id: CAMPAIGN_INPUTS.product,
      optional: true,
      label: plain('Product (orders customers by their score)'),
      element: {
        type: 'static_select',
        action_id: CAMPAIGN_INPUTS.product,
        options: products,
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  }
  const cuts = [
    option('Everyone in the segments', CUTS.none),
    option('The top N by score', CUTS.top),
    option('The top deciles by score', CUTS.deciles),
  ];
  blocks.push(
    {
      type: 'input',
      block_id: CAMPAIGN_INPUTS.cut,
      label: plain('Who to target'),
      element: {
        type: 'static_select',
        action_id: CAMPAIGN_INPUTS.cut,
        options: cuts,
        initial_option: input.topDecile ? cuts[2]! : cuts[0]!,
      },
    },
    {
      type: 'input',
      block_id: CAMPAIGN_INPUTS.top,
      optional: true,
      label: plain('Top N (with “the top N”)'),
      element: { type: 'plain_text_input', action_id: CAMPAIGN_INPUTS.top, placeholder: plain('e.g. 500') },
    },
    {
      type: 'input',
      block_id: CAMPAIGN_INPUTS.deciles,
      optional: true,
      label: plain('Deciles (with “the top deciles”; 1 is the likeliest tenth)'),
      element: {
        type: 'plain_text_input',
        action_id: CAMPAIGN_INPUTS.deciles,
        placeholder: plain('1 or 1-2'),
        ...(input.topDecile ? { initial_value: '1' } : {}),
      },
    },
    {
      type: 'input',
      block_id: CAMPAIGN_INPUTS.holdout,
      label: plain(`Held back, % (${HOLDOUT_RANGE.min * 100} to ${HOLDOUT_RANGE.max * 100})`),
      element: {
        type: 'plain_text_input',
        action_id: CAMPAIGN_INPUTS.holdout,
        initial_value: String(HOLDOUT_RANGE.default * 100),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEWS.campaign,
    private_metadata: JSON.stringify(metadata),
    title: plain('Start a campaign'),
    submit: plain('Start'),
    close: plain('Cancel'),
    blocks,
  };
}

export type CampaignSubmission =
  | { ok: true; channelId: string; spec: CampaignSpec }
  | { ok: false; errors: Record<string, string> };

type StateValues = ViewOutput['state']['values'];

function readMetadata(text: string): CampaignModalMetadata | null {
  try {
    const raw = JSON.parse(text || '{}') as Partial<CampaignModalMetadata>;
    if (typeof raw.c !== 'string' || typeof raw.d !== 'number') return null;
    return { c: raw.c, d: raw.d, r: typeof raw.r === 'number' ? raw.r : null };
  } catch {
    return null;
  }
}

/**
 * Checks a submission against the channel as it is now: a new name, the data and run it was
 * opened on still the latest, a product for a cut, a top N within the customers chosen, deciles and
 * a holdout in range. Every mistake is named on its own input.
 */
export async function readCampaignSubmission(
  deps: Pick<CommandDeps, 'datasets' | 'runs' | 'campaigns'>,
  privateMetadata: string,
  values: StateValues,
): Promise<CampaignSubmission> {
  const metadata = readMetadata(privateMetadata);
  const text = (id: string) => (values[id]?.[id]?.value ?? '').trim();
  if (!metadata) {
    return {
      ok: false,
      errors: { [CAMPAIGN_INPUTS.name]: 'This form is out of date; press the button again.' },
    };
  }
  const errors: Record<string, string> = {};
  const dataset = await deps.datasets.latestDataset(metadata.c);
  const run = await deps.runs.latestRun(metadata.c, { status: 'done' });
  if (!dataset || dataset.id !== metadata.d || (metadata.r !== null && run?.id !== metadata.r)) {
    errors[CAMPAIGN_INPUTS.name] =
      'The channel’s data or segments changed since this form opened; close it and use the latest run’s buttons.';
    return { ok: false, errors };
  }

  const name = text(CAMPAIGN_INPUTS.name);
  if (name === '') errors[CAMPAIGN_INPUTS.name] = 'Give the campaign a name.';
  else if (name.length > MAX_NAME)
    errors[CAMPAIGN_INPUTS.name] = `A name can be at most ${MAX_NAME} characters.`;
  else if (await deps.campaigns.findCampaign(metadata.c, name)) {
    errors[CAMPAIGN_INPUTS.name] = 'This channel already has a campaign with this name; choose another.';
  }

  const segments = (values[CAMPAIGN_INPUTS.segments]?.[CAMPAIGN_INPUTS.segments]?.selected_options ?? []).map(
    (o) => Number(o.value),
  );
  const chosen = run && metadata.r !== null ? segments.map((n) => run.segments[n - 1]) : [];
  if (chosen.some((s) => s === undefined)) {
    errors[CAMPAIGN_INPUTS.segments] = 'Choose segments from the list.';
  }
  const audience =
    segments.length === 0 ? dataset.rowCount : chosen.reduce((sum, s) => sum + (s?.size ?? 0), 0);

  const product = values[CAMPAIGN_INPUTS.product]?.[CAMPAIGN_INPUTS.product]?.selected_option?.value ?? null;
  const cutKind = values[CAMPAIGN_INPUTS.cut]?.[CAMPAIGN_INPUTS.cut]?.selected_option?.value ?? CUTS.none;
  let cut: CampaignSpec['cut'] = null;
  if (cutKind !== CUTS.none && product === null) {
    errors[CAMPAIGN_INPUTS.product] =
      'Choose the product whose score orders the customers, or target everyone.';
  }
  if (cutKind === CUTS.top) {
    const topText = text(CAMPAIGN_INPUTS.top);
    const count = /^\d+$/.test(topText) ? Number(topText) : Number.NaN;
    if (!Number.isSafeInteger(count) || count < 1 || count > audience) {
      errors[CAMPAIGN_INPUTS.top] =
        `Type a whole number from 1 to ${formatCount(audience)} (the customers ${segments.length > 0 ? 'in the chosen segments' : 'in the data'}).`;
    } else {
      cut = { kind: 'top', count };
    }
  } else if (cutKind === CUTS.deciles) {
    try {
      cut = { kind: 'deciles', ...decilesOption(text(CAMPAIGN_INPUTS.deciles)) };
    } catch {
      errors[CAMPAIGN_INPUTS.deciles] = 'Type a decile from 1 to 10, or a range such as 1-2.';
    }
  }

  let holdout: number = HOLDOUT_RANGE.default;
  try {
    holdout = holdoutOption(text(CAMPAIGN_INPUTS.holdout));
  } catch {
    errors[CAMPAIGN_INPUTS.holdout] =
      `Type a share from ${HOLDOUT_RANGE.min * 100} to ${HOLDOUT_RANGE.max * 100}, such as 10: fewer held back cannot measure the lift, more wastes customers.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    channelId: metadata.c,
    spec: {
      name,
      segments: segments.map(String),
      rfm: [],
      product,
      cut,
      holdout,
      exclude: [],
      seed: DEFAULT_SEED,
    },
  };
}
