/**
 * The segmentation result as text for a terminal (readable summary) and as JSON for other tools.
 */
import { featureLabel } from '../analytics/segment/column-labels.js';
import {
  agreementText,
  describeMethodK,
  formatSure,
  METHOD_LABEL,
  segmentSizesText,
} from '../analytics/segment/method-labels.js';
import { formatNumber } from '../analytics/segment/profile-segments.js';
import type {
  ColumnRole,
  FeatureProfile,
  MethodComparison,
  SegmentationResult,
  Trait,
} from '../analytics/types.js';

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

const ROLE_ORDER: ColumnRole[] = ['numeric', 'categorical', 'product', 'id', 'date', 'ignored'];

function qualityLines(result: SegmentationResult): string[] {
  const { quality, transform } = result;
  const lines: string[] = [];
  const roles = ROLE_ORDER.filter((role) => (quality.byRole[role]?.length ?? 0) > 0)
    .map((role) => `${quality.byRole[role].length} ${role}`)
    .join(', ');
  lines.push(`Data: ${count(quality.rows)} customers, ${quality.columnCount} columns (${roles})`);
  for (const spec of transform.features) {
    if (spec.kind === 'numeric' && spec.imputed > 0) {
      lines.push(
        `  - ${spec.column}: ${count(spec.imputed)} missing, filled with the median (${formatNumber(spec.median)})`,
      );
    }
  }
  for (const dropped of quality.dropped) lines.push(`  - dropped ${dropped.name}: ${dropped.reason}`);
  // The imputation lines above already give the missing counts; the same note can also appear both
  // per column and data-set wide.
  const imputed = transform.features
    .filter((f) => f.kind === 'numeric' && f.imputed > 0)
    .map((f) => f.column);
  const seen = new Set<string>();
  for (const note of [...quality.columns.flatMap((column) => column.notes), ...quality.notes]) {
    if (seen.has(note) || imputed.some((name) => note.startsWith(`${name} has `) && note.includes('missing')))
      continue;
    seen.add(note);
    lines.push(`  - ${note}`);
  }
  return lines;
}

function preprocessLine(result: SegmentationResult): string {
  const features = result.transform.features;
  const logged = features.filter((f) => f.kind === 'numeric' && f.log1p).map((f) => f.name);
  const onehot = features.filter((f) => f.kind === 'onehot').length;
  const parts = [`${features.length} features standardized`];
  if (onehot > 0) parts.push(`${onehot} of them one-hot categories`);
  parts.push(logged.length > 0 ? `log1p on ${logged.join(', ')}` : 'no log transform');
  const agreement = result.params.categoryAgreement.map((a) => `${a.column} ${a.nmi.toFixed(2)}`);
  if (agreement.length > 0) parts.push(`segments vs categories (NMI): ${agreement.join(', ')}`);
  return `Preprocessing: ${parts.join('; ')}`;
}

function pcaLine(result: SegmentationResult): string {
  const ratios = result.pca.explainedVarianceRatio;
  const first = ratios.slice(0, 2);
  const total = first.reduce((a, b) => a + b, 0);
  return `PCA: the first ${first.length} components explain ${percent(total)} of the variance (${first
    .map((r) => percent(r))
    .join(' + ')})`;
}

/** What the Gaussian mixture or the density clustering found beyond the segments. */
function methodLines(result: SegmentationResult): string[] {
  const fit = result.methodFit;
  const method = result.params.method ?? 'kmeans';
  const head = `Method: ${METHOD_LABEL[method]}, ${describeMethodK(method, result.k, result.params.k)}`;
  if (fit?.method === 'gmm') {
    const lines = [
      `${head}; ${fit.covariance} covariances, EM on ${count(fit.fitRows)} customers, log-likelihood ${fit.logLikelihood.toFixed(3)} per customer`,
    ];
    if (fit.bic.length > 1) {
      lines.push('    k           BIC');
      for (const score of fit.bic) {
        const mark = score.k === result.k ? '  <- chosen' : '';
        lines.push(`  ${padStart(String(score.k), 3)}  ${padStart(count(Math.round(score.bic)), 12)}${mark}`);
      }
    }
    return lines;
  }
  if (fit?.method === 'density') {
    return [
      `${head}; DBSCAN on ${fit.dims} PCA components, radius ${fit.eps.toFixed(3)}, ${fit.minPoints} neighbours make a customer dense, ${count(fit.outliers)} unusual customers`,
    ];
  }
  return [];
}

/** `--method compare`: the three methods side by side. */
function comparisonLines(comparison: MethodComparison): string[] {
  const width = Math.max(...comparison.methods.map((m) => METHOD_LABEL[m.method].length));
  const sample = comparison.silhouetteSample;
  const lines = [
    `Methods compared (silhouettes on the same ${sample.exact ? '' : 'seeded sample of '}${count(sample.size)} customers):`,
    `  ${pad('Method', width)}   k  silhouette     time  sizes`,
  ];
  for (const m of comparison.methods) {
    lines.push(
      `  ${pad(METHOD_LABEL[m.method], width)}  ${padStart(String(m.k), 2)}  ${padStart(m.silhouette.toFixed(3), 10)}  ${padStart(`${m.seconds.toFixed(2)} s`, 7)}  ${segmentSizesText(m, count)}`,
    );
  }
  lines.push(`Agreement (adjusted Rand index): ${agreementText(comparison)}`);
  lines.push(
    `The segments below are the ${METHOD_LABEL[comparison.kept]} ones; add --keep ${comparison.kept === 'gmm' ? 'density' : 'gmm'} (or another method) to keep another.`,
  );
  return lines;
}

function kLines(result: SegmentationResult): string[] {
  if ((result.params.method ?? 'kmeans') !== 'kmeans') return methodLines(result);
  const selection = result.kSelection;
  if (selection === null) return [`k = ${result.k} (fixed)`];
  const lines = [
    `k = ${result.k}, chosen automatically. ${selection.reason}`,
    '    k  silhouette      inertia  stability',
  ];
  for (const score of selection.scores) {
    const mark = score.k === result.k ? '  <- chosen' : '';
    const stability = score.stability === undefined ? '–' : score.stability.toFixed(2);
    lines.push(
      `  ${padStart(String(score.k), 3)}  ${padStart(score.silhouette.toFixed(3), 10)}  ${padStart(count(Math.round(score.inertia)), 11)}  ${padStart(stability, 9)}${mark}`,
    );
  }
  // Two inertias for one k would read as a contradiction: say where each comes from.
  const chosen = selection.scores.find((score) => score.k === result.k);
  if (chosen && Math.round(chosen.inertia) !== Math.round(result.inertia)) {
    lines.push(
      selection.fitSampleSize === undefined
        ? `  (The table's inertias come from the k search; the inertia below is k=${result.k} as finally fitted.)`
        : `  (The table's inertias are on the seeded sample of ${count(selection.fitSampleSize)} customers the k search ran on; the inertia below is k=${result.k} refitted on all ${count(result.labels.length)} customers.)`,
    );
  }
  return lines;
}

/** The readable report printed by `segbot segment`. */
export function formatSummary(result: SegmentationResult): string {
  const lines: string[] = [];
  lines.push(`segbot segment: ${result.quality.fileName} (fingerprint ${result.fingerprint.slice(0, 12)})`);
  lines.push('');
  lines.push(...qualityLines(result));
  lines.push(preprocessLine(result));
  lines.push(pcaLine(result));
  lines.push('');
  lines.push(...kLines(result));
  const sample = result.silhouetteSample;
  lines.push(
    `Silhouette ${result.silhouette.toFixed(3)} (${sample.exact ? 'all' : 'a seeded sample of'} ${count(sample.size)} customers), inertia ${count(Math.round(result.inertia))}, seed ${result.params.seed}`,
  );
  lines.push('');
  if (result.comparison) lines.push(...comparisonLines(result.comparison), '');

  const nameWidth = Math.max(7, ...result.segments.map((s) => s.name.length));
  lines.push(`  #  ${pad('Segment', nameWidth)}  ${padStart('Size', 9)}   Share  Traits -> suggested action`);
  for (const segment of result.segments) {
    const traits = segment.traits
      .slice(0, 3)
      .map((t) => shortTrait(t, segment.profile))
      .join(', ');
    const action = segment.actions[0]?.title ?? '';
    lines.push(
      `${padStart(String(segment.index + 1), 3)}  ${pad(segment.name, nameWidth)}  ${padStart(count(segment.size), 9)}  ${padStart(percent(segment.share), 6)}  ${traits} -> ${action}`,
    );
  }
  lines.push('');
  for (const segment of result.segments) {
    const sure = result.params.sure?.[segment.index];
    lines.push(
      `${segment.index + 1}. ${segment.name} (${count(segment.size)} customers, ${percent(segment.share)}${sure === undefined ? '' : `, ${formatSure(sure)}`})`,
    );
    for (const trait of segment.traits.slice(0, 3)) lines.push(`   - ${trait.text}`);
    for (const action of segment.actions) lines.push(`   -> ${action.title}: ${action.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A trait in a few words for the summary table: "high balance", "Germany 57% vs 25%", "left the
 * bank 42% vs 20%" (a category or a yes/no column is a share, which "high" would not describe).
 */
function shortTrait(trait: Trait, profile: readonly FeatureProfile[]): string {
  if (trait.flag !== undefined) {
    const text = trait.text.replace(/ overall$/, '').replace(/: (?=\d)/, ' ');
    // A data value ("Attrited Customer") keeps its case; a column label starts a phrase in lower case.
    return trait.flag.positive === undefined ? lowerFirst(text) : text;
  }
  const at = trait.feature.indexOf('=');
  if (at < 0) return `${trait.direction} ${featureLabel(trait.feature)}`;
  const share = profile.find((p) => p.feature === trait.feature);
  if (share === undefined) return featureLabel(trait.feature);
  return `${trait.feature.slice(at + 1)} ${percent(share.mean, 0)} vs ${percent(share.populationMean, 0)}`;
}

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/**
 * The full result as JSON text: parameters, metrics, segments (profile, traits, actions, centroids in
 * original and standardized units) and one assignment per customer, in input order. Assignments are
 * written one per line so a million customers stay a readable, streamable file.
 */
export function formatResultJson(result: SegmentationResult): string {
  return Array.from(formatResultJsonPieces(result)).join('');
}

/** Assignments per piece of the streamed JSON: about 2 MB of text. */
const ASSIGNMENTS_PER_PIECE = 50_000;

/**
 * The text of formatResultJson in pieces, so a writer streams a million assignments to disk without
 * first building one string of them all.
 */
export function* formatResultJsonPieces(result: SegmentationResult): Generator<string> {
  const document = {
    k: result.k,
    silhouette: result.silhouette,
    inertia: result.inertia,
    explainedVarianceRatio: result.pca.explainedVarianceRatio,
    params: result.params,
    fingerprint: result.fingerprint,
    silhouetteSample: result.silhouetteSample,
    kSelection: result.kSelection,
    ...(result.methodFit ? { methodFit: result.methodFit } : {}),
    ...(result.comparison ? { comparison: result.comparison } : {}),
    quality: result.quality,
    transform: result.transform,
    pcaComponents: result.pca.components,
    segments: result.segments.map((segment) => ({
      // `number` counts from 1, as the summary and Slack do; `index` is the label in `assignments`.
      number: segment.index + 1,
      index: segment.index,
      name: segment.name,
      persona: segment.persona,
      size: segment.size,
      share: segment.share,
      profile: segment.profile.map((p) => ({
        feature: p.feature,
        label: featureLabel(p.feature),
        mean: finite(p.mean),
        median: finite(p.median),
        populationMean: finite(p.populationMean),
        z: finite(p.z),
      })),
      traits: segment.traits.map((t) => ({ ...t, label: featureLabel(t.feature) })),
      actions: segment.actions,
      centroid: segment.centroid,
    })),
    assignments: '__ASSIGNMENTS__',
  };
  const head = JSON.stringify(document, null, 2);
  // The placeholder is the last value in the document, so the last occurrence is the one to replace.
  const at = head.lastIndexOf('"__ASSIGNMENTS__"');
  const n = result.labels.length;
  if (n === 0) {
    yield `${head.slice(0, at)}[]${head.slice(at + '"__ASSIGNMENTS__"'.length)}\n`;
    return;
  }
  yield `${head.slice(0, at)}[\n`;
  for (let start = 0; start < n; start += ASSIGNMENTS_PER_PIECE) {
    const end = Math.min(n, start + ASSIGNMENTS_PER_PIECE);
    const rows: string[] = new Array(end - start);
    for (let i = start; i < end; i++) {
      rows[i - start] =
        `    {"customerId":${JSON.stringify(result.customerIds[i] ?? String(i + 1))},"segment":${result.labels[i]},"number":${result.labels[i]! + 1}}`;
    }
    yield `${start > 0 ? ',\n' : ''}${rows.join(',\n')}`;
  }
  yield `\n  ]${head.slice(at + '"__ASSIGNMENTS__"'.length)}\n`;
}
