/**
 * `/segbot products`: the product columns of the channel's latest dataset, how many customers hold
 * each, and which have a trained model (reused by `/segbot predict` while the data is unchanged).
 * Aggregates only, answered privately.
 */
import { numericValues } from '../src/analytics/ingest/column-values.js';
import { MIN_HOLDERS } from '../src/analytics/predict/evaluate.js';
import { productColumns } from '../src/analytics/predict/train-propensity.js';
import { context, formatCount, header, type KnownBlock, section } from '../src/slack/blocks/format.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { type CommandContext, requireLatestDataset } from './context.js';
import { parseOptions } from './parse-args.js';

export interface ProductLine {
  column: string;
  label: string;
  holders: number;
  customers: number;
  rate: number;
  /** AUC of the stored model for this dataset, null when there is none (or it had no AUC). */
  modelAuc: number | null;
  hasModel: boolean;
}

/** The reply text and blocks. */
export function productsMessage(
  fileName: string,
  version: number,
  lines: readonly ProductLine[],
): { text: string; blocks: KnownBlock[] } {
  if (lines.length === 0) {
    const text = `${escapeSlackText(fileName)} v${version} has no product columns (0/1, Y/N or true/false flags), so there is nothing to predict.`;
    return { text, blocks: [section(text)] };
  }
  const rows = lines.map((p) => {
    const name =
      p.label === p.column
        ? `*${escapeSlackText(p.column)}*`
        : `*${escapeSlackText(p.label)}* (\`${escapeSlackText(p.column, 'code')}\`)`;
    const share = `${(p.rate * 100).toFixed(p.rate < 0.1 ? 1 : 0)}%`;
    const model = p.hasModel
      ? `model trained${p.modelAuc !== null ? ` (AUC ${p.modelAuc.toFixed(2)})` : ''}`
      : p.holders < MIN_HOLDERS
        ? `too few holders to model (under ${MIN_HOLDERS})`
        : 'no model yet';
    return `• ${name}: ${formatCount(p.holders)} of ${formatCount(p.customers)} hold it (${share}) · ${model}`;
  });
  const text = `${lines.length} product${lines.length === 1 ? '' : 's'} in ${escapeSlackText(fileName)} v${version}.`;
  return {
    text,
    blocks: [
      header('Products'),
      context(text),
      section(rows.join('\n')),
      context('Predict who takes one up: `/segbot predict <product> top=10`'),
    ],
  };
}

/** Runs `/segbot products`. */
export async function runProducts(ctx: CommandContext): Promise<void> {
  parseOptions(ctx.args, {}, { command: 'products' });
  const dataset = await requireLatestDataset(ctx);
  const products = productColumns({ schema: dataset.schema, table: { fileName: dataset.fileName } });
  const lines: ProductLine[] = [];
  if (products.length > 0) {
    const table = await ctx.deps.datasets.loadTable(dataset.id);
    const stored = (await ctx.deps.models.listModels(ctx.channelId)).filter(
      (m) => m.datasetId === dataset.id,
    );
    for (const product of products) {
      const values = numericValues(table, product.column);
      let holders = 0;
      let customers = 0;
      for (let i = 0; i < values.length; i++) {
        if (Number.isNaN(values[i]!)) continue;
        customers++;
        if (values[i] === 1) holders++;
      }
      const model = stored.find((m) => m.product === product.column);
      const auc = (model?.metrics as { auc?: unknown } | undefined)?.auc;
      lines.push({
        ...product,
        holders,
        customers,
        rate: customers > 0 ? holders / customers : 0,
        hasModel: model !== undefined,
        modelAuc: typeof auc === 'number' ? auc : null,
      });
    }
  }
  const message = productsMessage(dataset.fileName, dataset.version, lines);
  await ctx.ephemeral(message.text, message.blocks);
}
