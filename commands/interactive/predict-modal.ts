/**
 * The "Predict uptake…" modal of a segment in a run summary: which product, the columns to leave out
 * of the model, and how many top customers to list. Opened for one run and segment; checked in
 * place on submit.
 */
import type { types, ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { productColumns } from '../../src/analytics/predict/train-propensity.js';
import { VIEWS } from '../../src/slack/blocks/buttons.js';
import { escapeSlackText } from '../../src/slack/escape-text.js';
import type { DatasetRecord, RunRecord } from '../deps.js';
import { MAX_TOP } from '../predict.js';
import { MAX_OPTIONS, option, plain, usableColumns } from './view-elements.js';

export const PREDICT_INPUTS = { product: 'product', exclude: 'exclude', top: 'top' } as const;

interface PredictModalMetadata {
  c: string;
  r: number;
  n: number;
}

export function predictModal(input: {
  channelId: string;
  dataset: DatasetRecord;
  run: RunRecord;
  segmentNumber: number;
}): types.View | null {
  const products = productColumns({
    schema: input.dataset.schema,
    table: { fileName: input.dataset.fileName },
  });
  if (products.length === 0) return null;
  const segment = input.run.segments[input.segmentNumber - 1];
  const metadata: PredictModalMetadata = { c: input.channelId, r: input.run.id, n: input.segmentNumber };
  const options = products.slice(0, MAX_OPTIONS).map((p) => option(p.label, p.column));
  // A name with a comma is left out, as `exclude=a,b` could not carry it.
  const excludable = usableColumns(input.dataset).filter((name) => !name.includes(','));
  return {
    type: 'modal',
    callback_id: VIEWS.predict,
    private_metadata: JSON.stringify(metadata),
    title: plain('Predict uptake'),
    submit: plain('Predict'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Segment ${input.segmentNumber}. ${escapeSlackText(segment?.name ?? '')} of run #${input.run.id} in <#${input.channelId}>: who among its customers without the product is most likely to take it up.`,
          },
        ],
      },
      {
        type: 'input',
        block_id: PREDICT_INPUTS.product,
        label: plain('Product'),
        element: { type: 'static_select', action_id: PREDICT_INPUTS.product, options },
      },
      ...(excludable.length > 0 && excludable.length <= MAX_OPTIONS
        ? [
            {
              type: 'input' as const,
              block_id: PREDICT_INPUTS.exclude,
              optional: true,
              label: plain('Leave out of the model'),
              hint: plain(
                'Columns known only after the outcome (a call’s length, a later status) make a model look better than it is.',
              ),
              element: {
                type: 'multi_static_select' as const,
                action_id: PREDICT_INPUTS.exclude,
                placeholder: plain('Use every column'),
                options: excludable.map((name) => option(name, name)),
              },
            },
          ]
        : []),
      {
        type: 'input',
        block_id: PREDICT_INPUTS.top,
        optional: true,
        label: plain(`Customers to list (0 to ${MAX_TOP})`),
        element: {
          type: 'plain_text_input',
          action_id: PREDICT_INPUTS.top,
          initial_value: '10',
        },
      },
    ],
  };
}

export async function openPredictModal(
  client: WebClient,
  triggerId: string,
  view: types.View,
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view });
}

export type PredictSubmission =
  | { ok: true; channelId: string; runId: number; args: string[] }
  | { ok: false; errors: Record<string, string> };

/**
 * Checks a submission; the words are those of
 * `/segbot predict <product> segment=N top=T [exclude=a,b]`.
 */
export function readPredictSubmission(
  privateMetadata: string,
  values: ViewOutput['state']['values'],
): PredictSubmission {
  let metadata: Partial<PredictModalMetadata> = {};
  try {
    metadata = JSON.parse(privateMetadata || '{}') as Partial<PredictModalMetadata>;
  } catch {
    metadata = {};
  }
  const product = values[PREDICT_INPUTS.product]?.[PREDICT_INPUTS.product]?.selected_option?.value;
  if (!product) return { ok: false, errors: { [PREDICT_INPUTS.product]: 'Choose a product.' } };
  const topText = (values[PREDICT_INPUTS.top]?.[PREDICT_INPUTS.top]?.value ?? '10').trim() || '10';
  const top = /^\d+$/.test(topText) ? Number(topText) : Number.NaN;
  if (!Number.isInteger(top) || top < 0 || top > MAX_TOP) {
    return { ok: false, errors: { [PREDICT_INPUTS.top]: `Type a whole number from 0 to ${MAX_TOP}.` } };
  }
  if (typeof metadata.c !== 'string' || typeof metadata.r !== 'number' || typeof metadata.n !== 'number') {
    return {
      ok: false,
      errors: { [PREDICT_INPUTS.product]: 'This form is out of date; press the button again.' },
    };
  }
  const excluded = (values[PREDICT_INPUTS.exclude]?.[PREDICT_INPUTS.exclude]?.selected_options ?? []).map(
    (o) => o.value,
  );
  // A column name with spaces becomes several words; the predict parser joins them back.
  const productWords = product.split(/\s+/);
  return {
    ok: true,
    channelId: metadata.c,
    runId: metadata.r,
    args: [
      ...productWords,
      `segment=${metadata.n}`,
      `top=${top}`,
      ...(excluded.length > 0 ? [`exclude=${excluded.join(',')}`] : []),
    ],
  };
}
