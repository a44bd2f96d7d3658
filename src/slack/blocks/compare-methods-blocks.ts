/**
 * Block Kit for `/segbot segment method=compare`: k-means, the Gaussian mixture and density
 * clustering on the same customers, side by side.
 */
import { agreementText, METHOD_LABEL, segmentSizesText } from '../../analytics/segment/method-labels.js';
import type { MethodComparison } from '../../analytics/types.js';
import { escapeSlackText } from '../escape-text.js';
import { context, divider, formatCount, header, type KnownBlock, section } from './format.js';

export interface ComparisonFacts {
  runId: number;
  fileName: string;
  comparison: MethodComparison;
}

function seconds(value: number): string {
  return value >= 10 ? `${value.toFixed(0)} s` : `${value.toFixed(1)} s`;
}

/** The side-by-side report; the run itself keeps the segments of `comparison.kept`. */
export function methodComparisonMessage(facts: ComparisonFacts): { text: string; blocks: KnownBlock[] } {
  const { comparison } = facts;
  const width = Math.max(...comparison.methods.map((m) => METHOD_LABEL[m.method].length));
  const table = [
    `${'Method'.padEnd(width)}  ${'k'.padStart(2)}  Silhouette  ${'Time'.padStart(6)}`,
    ...comparison.methods.map(
      (m) =>
        `${METHOD_LABEL[m.method].padEnd(width)}  ${String(m.k).padStart(2)}  ${m.silhouette.toFixed(3).padStart(10)}  ${seconds(m.seconds).padStart(6)}`,
    ),
  ].join('\n');
  const sample = comparison.silhouetteSample;
  const blocks: KnownBlock[] = [
    header(`Three ways to segment ${facts.fileName}`),
    section(`\`\`\`\n${table}\n\`\`\``),
    section(`*Agreement* (adjusted Rand index, 1 = the same grouping): ${agreementText(comparison)}.`),
    divider(),
    ...comparison.methods.map((m) =>
      section(
        `*${METHOD_LABEL[m.method]}*: ${m.segments.map((s) => escapeSlackText(s.name)).join(', ')}\nSizes: ${segmentSizesText(m, formatCount)}`,
      ),
    ),
    context(
      `Silhouettes on the same ${sample.exact ? '' : 'seeded sample of '}${formatCount(sample.size)} customers · run #${facts.runId} keeps the ${METHOD_LABEL[comparison.kept]} segments · \`/segbot segment method=compare keep=${comparison.kept === 'gmm' ? 'density' : 'gmm'}\` keeps another`,
    ),
  ];
  const best = [...comparison.methods].sort((a, b) => b.silhouette - a.silhouette)[0]!;
  const text = `Compared k-means, Gaussian mixture and density on ${escapeSlackText(facts.fileName)}: best silhouette ${METHOD_LABEL[best.method]} (${best.silhouette.toFixed(2)}).`;
  return { text, blocks };
}
