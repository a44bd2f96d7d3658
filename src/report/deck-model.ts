/**
 * The stakeholder deck as plain data: which slides, in which order, with which words, tables and
 * charts. Pure (no file system, no Slack, no rendering), so the slide list is tested directly and
 * the PowerPoint and PDF renderers draw exactly the same content.
 */

import type { TopLevelSpec } from 'vega-lite';
import { campaignResultsSpec } from '../../charts/specs/campaign-lift.js';
import { kSelectionSpec } from '../../charts/specs/k-selection.js';
import { migrationMatrixSpec } from '../../charts/specs/migration-matrix.js';
import { segmentProfileSpec } from '../../charts/specs/segment-profile.js';
import { segmentSizesSpec } from '../../charts/specs/segment-sizes.js';
import type { RunComparison } from '../analytics/compare/compare-runs.js';
import { capitalize, readableLabel } from '../analytics/segment/column-labels.js';
import { formatNumber } from '../analytics/segment/profile-segments.js';
import type { ColumnRole, FittedTransform, KSelection, QualityReport, Segment } from '../analytics/types.js';

/** What a deck is made from: one completed segmentation and what is known around it. */
export interface ReportInput {
  dataset: { fileName: string; rows: number; version: number | null };
  run: {
    id: number | null;
    createdAt: Date;
    /** A person's display name, or null when unknown (a local file). */
    ranBy: string | null;
    params: { k: 'auto' | number; seed: number; features: readonly string[] };
    k: number;
    silhouette: number;
    silhouetteSample: { exact: boolean; size: number } | null;
    kSelection: KSelection | null;
  };
  quality: QualityReport;
  transform: FittedTransform;
  segments: readonly ReportSegment[];
  /** The previous comparable run and how this one differs from it, when there is one. */
  changes: { previousRunId: number; previousAt: Date; comparison: RunComparison } | null;
  /** Uptake models of the same dataset, with their per-segment average likelihood. */
  propensity: readonly ProductPropensity[];
  /** Campaign results, once campaigns exist; the section is left out when null. */
  campaigns: CampaignResults | null;
}

/** What the deck shows of a segment. */
export type ReportSegment = Pick<
  Segment,
  'index' | 'name' | 'size' | 'share' | 'profile' | 'traits' | 'actions'
>;

/** One product's model, summarised per segment. */
export interface ProductPropensity {
  /** Readable product name ("credit card"). */
  product: string;
  /** Area under the ROC curve on held-out customers (null when it could not be measured). */
  auc: number | null;
  /** Share of all customers who hold the product. */
  baseRate: number;
  bySegment: readonly {
    segmentIndex: number;
    /** Average predicted likelihood among the segment's non-holders. */
    meanProbability: number;
    /** Share of the segment who hold the product already. */
    holderShare: number;
  }[];
}

/**
 * The channel's measured campaigns: the deck gains a "Campaign results" slide (conversion of the
 * contacted and the held-back with their 95% Wilson intervals, the lift with its 95% interval and
 * the verdict) before the appendix.
 */
export interface CampaignResults {
  /** e.g. "Responses measured up to 30 Nov 2026". */
  note?: string;
  campaigns: readonly CampaignResult[];
}

/** Conversions out of customers in one group, with the rate's 95% Wilson interval (0..1). */
export interface MeasuredGroup {
  customers: number;
  conversions: number;
  rate: number;
  low: number;
  high: number;
}

export interface CampaignResult {
  name: string;
  /** Who was targeted, in words ("RFM segments At risk, Hibernating", "every customer"). */
  audience: string;
  treatment: MeasuredGroup;
  control: MeasuredGroup;
  /** Treatment rate minus control rate, with its 95% interval (Newcombe). */
  lift: { value: number; low: number; high: number };
  verdict: CampaignVerdict;
}

export type CampaignVerdict = 'worked' | 'backfired' | 'inconclusive' | 'no-data';

/** A chart to draw from a Vega-Lite spec; `name` becomes its file name inside the deck. */
export interface DeckChart {
  name: string;
  altText: string;
  spec: TopLevelSpec;
}

export interface DeckTableColumn {
  header: string;
  /** Relative width within the table. */
  weight: number;
  align: 'left' | 'right';
}

/** One element of a slide column, stacked top to bottom. */
export type DeckBlock =
  | { type: 'bullets'; heading?: string; items: readonly string[] }
  | {
      type: 'table';
      heading?: string;
      columns: readonly DeckTableColumn[];
      rows: readonly (readonly string[])[];
    }
  | { type: 'chart'; chart: DeckChart };

export type SlideKind =
  | 'title'
  | 'method'
  | 'overview'
  | 'segment'
  | 'changes'
  | 'campaigns'
  | 'appendix-quality'
  | 'appendix-k';

export interface DeckSlide {
  kind: SlideKind;
  title: string;
  /** One sentence under the title: the slide's message. */
  headline: string;
  /** Blocks on the left (the whole width when `right` is empty). */
  left: readonly DeckBlock[];
  right: readonly DeckBlock[];
}

export interface Deck {
  /** File name stem and document title. */
  title: string;
  /** Footer text on every slide but the first. */
  footer: string;
  slides: readonly DeckSlide[];
}

/** Most traits, actions and quality notes a slide lists before "and N more". */
const MAX_TRAITS = 4;
const MAX_ACTIONS = 3;
const MAX_NOTES = 8;
/** Features in a segment's profile chart. */
const PROFILE_FEATURES = 8;

/** Control characters would make the deck's XML invalid; line breaks become spaces. */
export function deckText(text: string): string {
  return text
    .replace(/\r\n|[\n\r\t\v\f\u2028\u2029]/g, ' ')
    .replace(/[\p{Cc}\p{Bidi_Control}]/gu, '')
    .trim();
}

/** A column in plain words ("installment purchase frequency"), as the traits call it. */
function columnWords(name: string): string {
  return deckText(readableLabel(name));
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** "5 December 2026", the same on every machine. */
export function longDate(date: Date): string {
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** What a silhouette means to a reader who has never heard the word. */
export function separationWords(silhouette: number): string {
  if (!Number.isFinite(silhouette)) return 'not measured';
  if (silhouette >= 0.5) return 'clearly separated';
  if (silhouette >= 0.25) return 'reasonably separated';
  return 'overlapping: read them as tendencies, not hard groups';
}

function limited(items: readonly string[], max: number, what: string): string[] {
  if (items.length <= max) return [...items];
  const rest = items.length - max + 1;
  return [...items.slice(0, max - 1), `…and ${count(rest)} more ${rest === 1 ? what : `${what}s`}`];
}

function titleSlide(input: ReportInput): DeckSlide {
  const { dataset, run } = input;
  const facts = [
    `Dataset: ${deckText(dataset.fileName)}${dataset.version === null ? '' : ` (version ${dataset.version})`}, ${plural(dataset.rows, 'customer')}`,
    `Date: ${longDate(run.createdAt)}`,
    `Run by: ${run.ranBy === null ? 'segbot on the command line' : deckText(run.ranBy)}${run.id === null ? '' : ` (run #${run.id})`}`,
  ];
  return {
    kind: 'title',
    title: 'Customer segments',
    headline: `${plural(input.segments.length, 'segment')} of ${plural(dataset.rows, 'customer')}, with suggested actions`,
    left: [{ type: 'bullets', items: facts }],
    right: [],
  };
}

const ROLE_WORDS: Record<ColumnRole, string> = {
  id: 'customer id',
  numeric: 'behaviour and amounts',
  categorical: 'categories',
  product: 'product holdings',
  date: 'dates',
  ignored: 'not used',
};

function methodSlide(input: ReportInput): DeckSlide {
  const { quality, transform, run } = input;
  const used = [...new Set(transform.features.map((f) => f.column))];
  const logged = transform.features.filter((f) => f.kind === 'numeric' && f.log1p).length;
  const imputed = transform.features.filter((f) => f.kind === 'numeric' && f.imputed > 0).length;
  const products = quality.byRole.product ?? [];
  const data = [
    `${plural(quality.rows, 'customer')} and ${plural(quality.columnCount, 'column')} in ${deckText(quality.fileName)}.`,
    `${plural(used.length, 'column')} describe the segments: ${limited(used.map(columnWords), 10, 'column').join(', ')}.`,
  ];
  if (products.length > 0) {
    data.push(
      `${plural(products.length, 'product column')} (holdings) were kept out of the segments, so they can be predicted.`,
    );
  }
  if (quality.dropped.length > 0) {
    data.push(
      `${plural(quality.dropped.length, 'column')} were left out (names, free text, constants); see the appendix.`,
    );
  }
  const method = [
    'Customers were grouped by similar behaviour (k-means on standardized columns), so each segment is a set of customers who look alike.',
  ];
  const prep: string[] = [];
  if (imputed > 0) prep.push(`gaps in ${plural(imputed, 'column')} filled with the column’s median`);
  if (logged > 0) prep.push(`very skewed amounts in ${plural(logged, 'column')} compressed (log scale)`);
  if (prep.length > 0) method.push(`Before grouping: ${prep.join('; ')}.`);
  method.push(
    run.kSelection
      ? `Number of segments chosen automatically: ${deckText(run.kSelection.reason)}`
      : `Number of segments fixed at ${run.k} by the person who ran it.`,
  );
  method.push(
    `Separation score (silhouette) ${Number.isFinite(run.silhouette) ? run.silhouette.toFixed(2) : 'n/a'}: segments are ${separationWords(run.silhouette)}.`,
  );
  method.push(`Random seed ${run.params.seed}: the same data and seed give the same segments.`);
  return {
    kind: 'method',
    title: 'The data and how the segments were found',
    headline: `${plural(quality.rows, 'customer')}, ${plural(used.length, 'column')} used, ${plural(run.k, 'segment')}`,
    left: [{ type: 'bullets', heading: 'The data', items: data }],
    right: [{ type: 'bullets', heading: 'The method', items: method }],
  };
}

function traitLine(segment: ReportSegment, n: number): string {
  return segment.traits
    .slice(0, n)
    .map((t) => deckText(t.text))
    .join('; ');
}

function overviewSlide(input: ReportInput): DeckSlide {
  const segments = [...input.segments].sort((a, b) => a.index - b.index);
  const largest = [...segments].sort((a, b) => b.size - a.size)[0];
  return {
    kind: 'overview',
    title: 'Segment overview',
    headline: largest
      ? `The largest segment, ${deckText(largest.name)}, holds ${percent(largest.share, 0)} of customers`
      : 'No segments',
    left: [
      {
        type: 'chart',
        chart: {
          name: 'segment-sizes',
          altText: `Bar chart of the number of customers in each of ${segments.length} segments.`,
          spec: segmentSizesSpec(
            segments.map((s) => ({ index: s.index, name: deckText(s.name), size: s.size })),
          ),
        },
      },
    ],
    right: [
      {
        type: 'table',
        columns: [
          { header: 'Segment', weight: 3, align: 'left' },
          { header: 'Customers', weight: 1.6, align: 'right' },
          { header: 'Share', weight: 1.2, align: 'right' },
          { header: 'Top traits', weight: 5, align: 'left' },
        ],
        rows: segments.map((s) => [
          `${s.index}. ${deckText(s.name)}`,
          count(s.size),
          percent(s.share),
          traitLine(s, 2),
        ]),
      },
    ],
  };
}

function propensityTable(input: ReportInput, segment: ReportSegment): DeckBlock | null {
  const rows = input.propensity.flatMap((p) => {
    const own = p.bySegment.find((b) => b.segmentIndex === segment.index);
    if (!own) return [];
    return [
      [deckText(p.product), percent(own.meanProbability), percent(own.holderShare), percent(p.baseRate)],
    ];
  });
  if (rows.length === 0) return null;
  return {
    type: 'table',
    heading: 'Likelihood to take up a product',
    columns: [
      { header: 'Product', weight: 2.4, align: 'left' },
      { header: 'Likelihood (non-holders)', weight: 2.2, align: 'right' },
      { header: 'Hold it now', weight: 1.5, align: 'right' },
      { header: 'All customers', weight: 1.6, align: 'right' },
    ],
    rows,
  };
}

function segmentSlide(input: ReportInput, segment: ReportSegment): DeckSlide {
  const name = deckText(segment.name);
  const right: DeckBlock[] = [
    {
      type: 'bullets',
      heading: 'What sets them apart',
      items:
        segment.traits.length > 0
          ? segment.traits.slice(0, MAX_TRAITS).map((t) => deckText(t.text))
          : ['Close to the average customer on every column.'],
    },
    {
      type: 'bullets',
      heading: 'Suggested actions',
      items:
        segment.actions.length > 0
          ? segment.actions.slice(0, MAX_ACTIONS).map((a) => `${deckText(a.title)}: ${deckText(a.reason)}`)
          : ['No campaign fits this segment’s traits well enough to suggest one.'],
    },
  ];
  const propensity = propensityTable(input, segment);
  if (propensity) right.push(propensity);
  return {
    kind: 'segment',
    title: `${segment.index}. ${name}`,
    headline: `${count(segment.size)} customers, ${percent(segment.share)} of all`,
    left: [
      {
        type: 'chart',
        chart: {
          name: `segment-${segment.index}-profile`,
          altText: `Bars of how far ${name} sits from all customers on each column.`,
          spec: segmentProfileSpec(
            {
              name,
              features: segment.profile.map((p) => ({ feature: capitalize(columnWords(p.feature)), z: p.z })),
            },
            {
              topN: PROFILE_FEATURES,
              title: 'How they differ from all customers',
              subtitle: 'Segment average vs all customers, in standard deviations.',
            },
          ),
        },
      },
    ],
    right,
  };
}

function changesSlide(changes: NonNullable<ReportInput['changes']>): DeckSlide {
  const { comparison } = changes;
  const rows = comparison.changes.map((c) => {
    const name = deckText(c.current?.name ?? c.previous?.name ?? '');
    const status = c.status === 'matched' ? '' : c.status === 'new' ? ' (new)' : ' (gone)';
    const pp = c.shareChangePp;
    return [
      `${name}${status}`,
      c.previous ? percent(c.previous.share) : '–',
      c.current ? percent(c.current.share) : '–',
      `${pp > 0 ? '+' : ''}${pp.toFixed(1)} pp`,
    ];
  });
  const left: DeckBlock[] = [];
  if (comparison.commonCustomers > 0) {
    left.push({
      type: 'chart',
      chart: {
        name: 'migration',
        altText: 'Matrix of how many customers moved from each earlier segment to each current one.',
        spec: migrationMatrixSpec({
          from: comparison.migration.from.map(deckText),
          to: comparison.migration.to.map(deckText),
          counts: comparison.migration.counts,
          pairs: comparison.migration.pairs,
        }),
      },
    });
  }
  const notes = [
    `${plural(comparison.commonCustomers, 'customer')} in both runs, ${count(comparison.newCustomers)} new, ${count(comparison.departedCustomers)} gone.`,
    ...comparison.causes.map(
      (cause) => `Settings changed: ${deckText(cause)}, which explains part of the reshuffle.`,
    ),
  ];
  const right: DeckBlock[] = [
    {
      type: 'table',
      heading: 'Share of customers',
      columns: [
        { header: 'Segment', weight: 3, align: 'left' },
        { header: `Run #${changes.previousRunId}`, weight: 1.4, align: 'right' },
        { header: 'Now', weight: 1.2, align: 'right' },
        { header: 'Change', weight: 1.4, align: 'right' },
      ],
      rows,
    },
    { type: 'bullets', items: notes },
  ];
  return {
    kind: 'changes',
    title: `Changes since run #${changes.previousRunId} (${longDate(changes.previousAt)})`,
    headline: deckText(comparison.headline),
    left: left.length > 0 ? left : right,
    right: left.length > 0 ? right : [],
  };
}

/** The verdict as the slide says it: never more than the interval allows. */
export const VERDICT_WORDS: Record<CampaignVerdict, string> = {
  worked: 'Worked',
  backfired: 'Did worse than no contact',
  inconclusive: 'Inconclusive',
  'no-data': 'No data yet',
};

/** Percentage points with a sign: "+4.4", "−0.6", "0.0". */
function points(proportion: number): string {
  const value = Math.round(proportion * 1000) / 10;
  if (value === 0) return '0.0';
  return `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
}

/** The slide's message: how many campaigns worked, and the clearest one. */
function campaignsHeadline(campaigns: readonly CampaignResult[]): string {
  const worked = campaigns.filter((c) => c.verdict === 'worked');
  const tally = (['worked', 'inconclusive', 'backfired', 'no-data'] as const)
    .map((v) => [v, campaigns.filter((c) => c.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${VERDICT_WORDS[v].toLowerCase()}`)
    .join(', ');
  const best = [...worked].sort((a, b) => b.lift.low - a.lift.low)[0];
  const lead = best
    ? `${deckText(best.name)} lifted conversion by ${points(best.lift.value)} points (${points(best.lift.low)} to ${points(best.lift.high)})`
    : 'No campaign has shown a lift its interval supports yet';
  return `${lead}; ${campaigns.length} measured: ${tally}`;
}

function campaignsSlide(results: CampaignResults): DeckSlide {
  const { campaigns } = results;
  const group = (g: MeasuredGroup) => `${percent(g.rate)} (${count(g.customers)})`;
  return {
    kind: 'campaigns',
    title: 'Campaign results',
    headline: campaignsHeadline(campaigns),
    left: [
      {
        type: 'chart',
        chart: {
          name: 'campaign-results',
          altText: `Conversion of contacted and held-back customers with 95% intervals, for ${campaigns.length} campaign(s).`,
          spec: campaignResultsSpec(
            campaigns.map((c) => ({
              name: deckText(c.name),
              verdict: VERDICT_WORDS[c.verdict],
              treatment: c.treatment,
              control: c.control,
            })),
          ),
        },
      },
    ],
    right: [
      {
        type: 'table',
        columns: [
          { header: 'Campaign', weight: 2.4, align: 'left' },
          { header: 'Contacted (n)', weight: 2.1, align: 'right' },
          { header: 'Held back (n)', weight: 2.1, align: 'right' },
          { header: 'Lift, points (95% interval)', weight: 2.9, align: 'right' },
          { header: 'Verdict', weight: 2.5, align: 'left' },
        ],
        rows: campaigns.map((c) => [
          deckText(c.name),
          group(c.treatment),
          group(c.control),
          `${points(c.lift.value)} (${points(c.lift.low)} to ${points(c.lift.high)})`,
          VERDICT_WORDS[c.verdict],
        ]),
      },
      {
        type: 'bullets',
        heading: 'Who was targeted',
        items: campaigns.map((c) => `${deckText(c.name)}: ${deckText(c.audience)}`),
      },
      {
        type: 'bullets',
        items: [
          'Conversion of the contacted against the held-back control group; lines on the chart are 95% Wilson intervals.',
          'Inconclusive: the lift’s interval includes zero, so the campaign may have made no difference.',
          ...(results.note ? [deckText(results.note)] : []),
        ],
      },
    ],
  };
}

const ROLE_ORDER: ColumnRole[] = ['numeric', 'categorical', 'product', 'id', 'date', 'ignored'];

function qualitySlide(input: ReportInput): DeckSlide {
  const { quality, transform } = input;
  const roles = ROLE_ORDER.filter((role) => (quality.byRole[role]?.length ?? 0) > 0).map((role) => {
    const names = quality.byRole[role].map(deckText);
    return [ROLE_WORDS[role], count(names.length), limited(names, 6, 'column').join(', ')];
  });
  const notes: string[] = [];
  for (const spec of transform.features) {
    if (spec.kind === 'numeric' && spec.imputed > 0) {
      notes.push(
        `${deckText(spec.column)}: ${count(spec.imputed)} missing, filled with the median (${formatNumber(spec.median)})`,
      );
    }
  }
  for (const dropped of quality.dropped)
    notes.push(`Left out ${deckText(dropped.name)}: ${deckText(dropped.reason)}`);
  // A gap already told as "filled with the median" is not told again as "has N missing values".
  const imputed = transform.features
    .filter((f) => f.kind === 'numeric' && f.imputed > 0)
    .map((f) => f.column);
  const seen = new Set<string>();
  for (const note of [...quality.notes, ...quality.columns.flatMap((c) => c.notes)]) {
    const text = deckText(note);
    if (seen.has(text) || imputed.some((name) => note.startsWith(`${name} has `) && note.includes('missing')))
      continue;
    seen.add(text);
    notes.push(text);
  }
  return {
    kind: 'appendix-quality',
    title: 'Appendix: data quality',
    headline:
      notes.length === 0
        ? 'No gaps, dropped columns or suspicious values were found'
        : `${plural(notes.length, 'note')} on gaps, dropped columns and suspicious values`,
    left: [
      {
        type: 'table',
        heading: 'Columns by use',
        columns: [
          { header: 'Use', weight: 2.2, align: 'left' },
          { header: 'Count', weight: 1.2, align: 'right' },
          { header: 'Columns', weight: 5, align: 'left' },
        ],
        rows: roles,
      },
    ],
    right: [
      {
        type: 'bullets',
        heading: 'Notes',
        items: notes.length === 0 ? ['Nothing to report.'] : limited(notes, MAX_NOTES, 'note'),
      },
    ],
  };
}

function kSlide(input: ReportInput): DeckSlide {
  const { run } = input;
  const selection = run.kSelection;
  if (!selection) {
    return {
      kind: 'appendix-k',
      title: 'Appendix: choosing the number of segments',
      headline: `k = ${run.k} was fixed by the person who ran it, so no other number was tried`,
      left: [
        {
          type: 'bullets',
          items: [
            `Separation score (silhouette) at k = ${run.k}: ${Number.isFinite(run.silhouette) ? run.silhouette.toFixed(3) : 'n/a'}.`,
            'To let segbot choose, run the segmentation again with k=auto.',
          ],
        },
      ],
      right: [],
    };
  }
  const sample = selection.silhouetteSample;
  return {
    kind: 'appendix-k',
    title: 'Appendix: choosing the number of segments',
    headline: `k = ${selection.k} was chosen among ${plural(selection.scores.length, 'candidate')} (${kRange(selection)})`,
    left: [
      {
        type: 'chart',
        chart: {
          name: 'k-selection',
          altText: `Silhouette and inertia for each k tried; k=${selection.k} was chosen.`,
          spec: kSelectionSpec({ scores: selection.scores, chosenK: selection.k }),
        },
      },
    ],
    right: [
      {
        type: 'table',
        columns: [
          { header: 'k', weight: 1.5, align: 'left' },
          { header: 'Silhouette', weight: 1.6, align: 'right' },
          { header: 'Inertia', weight: 1.8, align: 'right' },
          { header: 'Smallest', weight: 1.5, align: 'right' },
        ],
        rows: selection.scores.map((s) => [
          s.k === selection.k ? `${s.k} (chosen)` : String(s.k),
          s.silhouette.toFixed(3),
          count(s.inertia),
          s.smallestShare === undefined ? '–' : percent(s.smallestShare),
        ]),
      },
      {
        type: 'bullets',
        items: [
          `Why: ${deckText(selection.reason)}`,
          'Silhouette: higher means customers sit closer to their own segment than to the next one.',
          'Inertia: spread inside the segments; it always falls as k grows, so a bend (elbow) matters, not the lowest value.',
          `Silhouette measured on ${sample.exact ? 'all' : 'a seeded sample of'} ${count(sample.size)} customers.`,
        ],
      },
    ],
  };
}

function kRange(selection: KSelection): string {
  const ks = selection.scores.map((s) => s.k);
  return ks.length === 0 ? `k = ${selection.k}` : `k from ${Math.min(...ks)} to ${Math.max(...ks)}`;
}

/** The deck for a run: title, data and method, overview, one slide per segment, changes, campaigns, appendix. */
export function buildDeck(input: ReportInput): Deck {
  const segments = [...input.segments].sort((a, b) => a.index - b.index);
  const slides: DeckSlide[] = [titleSlide(input), methodSlide(input), overviewSlide(input)];
  for (const segment of segments) slides.push(segmentSlide(input, segment));
  if (input.changes) slides.push(changesSlide(input.changes));
  if (input.campaigns && input.campaigns.campaigns.length > 0) slides.push(campaignsSlide(input.campaigns));
  slides.push(qualitySlide(input), kSlide(input));
  const runPart = input.run.id === null ? '' : ` · run #${input.run.id}`;
  return {
    title: `Customer segments: ${deckText(input.dataset.fileName)}`,
    footer: `segbot · ${deckText(input.dataset.fileName)}${runPart} · ${longDate(input.run.createdAt)}`,
    slides,
  };
}
