/**
 * The data-quality report posted in a file's thread after an upload.
 */
import type { ColumnRole, QualityReport } from '../../analytics/types.js';
import { escapeSlackText } from '../escape-text.js';
import { segmentButtons } from './buttons.js';
import { context, formatCount, formatShare, header, type KnownBlock, listNames, section } from './format.js';

const ROLE_LABELS: Record<ColumnRole, string> = {
  id: 'Customer id',
  numeric: 'Numeric (used for segments)',
  categorical: 'Categorical (used for segments)',
  product: 'Product flags (prediction targets)',
  date: 'Dates',
  ignored: 'Ignored',
};

const ROLE_ORDER: ColumnRole[] = ['id', 'numeric', 'categorical', 'product', 'date', 'ignored'];

/** How many lines a list section shows before summarising the rest. */
const MAX_LINES = 25;

export interface UploadedDataset {
  /** The stored dataset's id: its "Segment now" buttons act on this version only. */
  id?: number;
  version: number;
  fileName: string;
  rows: number;
}

/** Fallback text and blocks for the quality report of a newly stored dataset version. */
export function qualityReportMessage(
  dataset: UploadedDataset,
  quality: QualityReport,
): { text: string; blocks: KnownBlock[] } {
  const name = escapeSlackText(dataset.fileName);
  const text = `Imported ${name} as dataset v${dataset.version}: ${formatCount(quality.rows)} rows, ${quality.columnCount} columns.`;
  const blocks: KnownBlock[] = [
    header(`Imported ${dataset.fileName} as dataset v${dataset.version}`),
    section(`*${formatCount(quality.rows)} customers*, ${quality.columnCount} columns in *${name}*.`),
  ];

  const roleLines = ROLE_ORDER.filter((role) => (quality.byRole[role] ?? []).length > 0).map((role) => {
    const names = quality.byRole[role] ?? [];
    return `• ${ROLE_LABELS[role]} (${names.length}): ${listNames(names)}`;
  });
  blocks.push(section(`*Columns by role*\n${roleLines.join('\n') || 'No columns were recognised.'}`));

  const withMissing = quality.columns.filter((c) => c.missing > 0).sort((a, b) => b.missing - a.missing);
  if (withMissing.length === 0) {
    blocks.push(section('*Missing values*\nNone: every cell has a value.'));
  } else {
    const lines = withMissing
      .slice(0, MAX_LINES)
      .map(
        (c) =>
          `• ${escapeSlackText(c.name)}: ${formatCount(c.missing)} (${formatShare(c.missing / Math.max(1, quality.rows))})`,
      );
    if (withMissing.length > MAX_LINES) lines.push(`• …and ${withMissing.length - MAX_LINES} more columns`);
    blocks.push(
      section(`*Missing values* (filled with the column median before clustering)\n${lines.join('\n')}`),
    );
  }

  if (quality.dropped.length > 0) {
    const lines = quality.dropped
      .slice(0, MAX_LINES)
      .map((d) => `• ${escapeSlackText(d.name)}: ${escapeSlackText(d.reason)}`);
    if (quality.dropped.length > MAX_LINES) lines.push(`• …and ${quality.dropped.length - MAX_LINES} more`);
    blocks.push(section(`*Dropped before modelling*\n${lines.join('\n')}`));
  }

  // The dataset notes already summarise the column notes, so each sentence is shown once; missing
  // counts have their own section above, so notes repeating one are left out.
  const notes = [...new Set([...quality.notes, ...quality.columns.flatMap((c) => c.notes)])].filter(
    (n) => !/missing value/i.test(n),
  );
  if (notes.length > 0) {
    const lines = notes.slice(0, MAX_LINES).map((n) => `• ${escapeSlackText(n)}`);
    if (notes.length > MAX_LINES) lines.push(`• …and ${notes.length - MAX_LINES} more notes`);
    blocks.push(section(`*Notes*\n${lines.join('\n')}`));
  }

  blocks.push(context('Next: `/segbot segment k=auto` finds customer segments in this data.'));
  if (dataset.id !== undefined) blocks.push(segmentButtons(dataset.id));
  return { text, blocks };
}
