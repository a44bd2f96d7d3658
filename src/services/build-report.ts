/**
 * The report use case: a completed segmentation as a stakeholder deck, as an editable PowerPoint
 * file and the same slides as a PDF. Shared by `/segbot report` (a stored run, with the previous
 * comparable run and the stored product models) and `segbot report` on the command line (a result
 * file or a CSV segmented on the spot).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CampaignStore } from '../../db/repositories/campaign-store.js';
import type { DatasetStore } from '../../db/repositories/dataset-store.js';
import type { ModelStore } from '../../db/repositories/model-store.js';
import type { RunRecord, RunStore } from '../../db/repositories/run-store.js';
import { assessComparability, compareRuns } from '../analytics/compare/compare-runs.js';
import type { CustomerScore } from '../analytics/predict/train-propensity.js';
import type { IngestResult, Segment, SegmentationResult } from '../analytics/types.js';
import { NotFoundError, StoredFormatError, TooLargeError } from '../errors.js';
import { yieldToEventLoop } from '../event-loop.js';
import type { PropensityRunner } from '../jobs/propensity-in-worker.js';
import { createSnapshotLoader } from '../jobs/run-snapshot.js';
import { deckFonts } from '../report/deck-fonts.js';
import {
  buildDeck,
  type CampaignResults,
  type Deck,
  type ProductPropensity,
  type ReportInput,
  type ReportSegment,
} from '../report/deck-model.js';
import { type ChartImage, layoutDeck } from '../report/layout-deck.js';
import { renderPdf } from '../report/render-pdf.js';
import { renderPptx } from '../report/render-pptx.js';
import { deckCampaignResults } from './campaigns.js';
import { parseStoredPrediction } from './stored-prediction.js';

/**
 * Largest deck file posted or written. Slack takes far larger files, but a deck this size would
 * already be slow to open and to preview; a real deck (at most 20 segments) stays near 5 MB.
 */
export const MAX_REPORT_BYTES = 40 * 1024 * 1024;

export interface ReportFiles {
  deck: Deck;
  pptx: Buffer;
  pdf: Buffer;
  /** Titles of charts that could not be drawn (their slides keep their text and tables). */
  missingCharts: string[];
}

export interface ReportRenderDeps {
  renderChart(spec: TopLevelSpec): Promise<Buffer>;
}

/** Width and height of a PNG, from its header. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (png.byteLength < 24 || view.getUint32(12) !== 0x49484452) throw new Error('not a PNG');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Builds the deck for `input` and renders it to PowerPoint and PDF. */
export async function renderReport(deps: ReportRenderDeps, input: ReportInput): Promise<ReportFiles> {
  const built = buildDeck(input);
  const charts = new Map<string, ChartImage>();
  const missingCharts: string[] = [];
  for (const slide of built.slides) {
    for (const block of [...slide.left, ...slide.right]) {
      if (block.type !== 'chart') continue;
      // Each chart is a few hundred milliseconds of synchronous work: let other requests in between.
      await yieldToEventLoop();
      try {
        const png = await deps.renderChart(block.chart.spec);
        charts.set(block.chart.name, { png, ...pngSize(png) });
      } catch {
        missingCharts.push(`${slide.title}: ${block.chart.altText}`);
      }
    }
  }
  // A chart that failed is left out, so its column's text takes the room.
  const deck: Deck = {
    ...built,
    slides: built.slides.map((slide) => {
      const keep = (blocks: typeof slide.left) =>
        blocks.filter((b) => b.type !== 'chart' || charts.has(b.chart.name));
      const left = keep(slide.left);
      const right = keep(slide.right);
      return left.length > 0 ? { ...slide, left, right } : { ...slide, left: right, right: [] };
    }),
  };
  const fonts = deckFonts();
  const placed = layoutDeck(deck, fonts.measure, charts);
  const pptx = await renderPptx(placed, { title: deck.title });
  const pdf = await renderPdf(placed, { title: deck.title }, fonts);
  const largest = Math.max(pptx.byteLength, pdf.byteLength);
  if (largest > MAX_REPORT_BYTES) {
    throw new TooLargeError(
      `The deck came out at ${Math.ceil(largest / 1024 / 1024)} MB, above the ${MAX_REPORT_BYTES / 1024 / 1024} MB that segbot posts.`,
      'Segment with fewer segments (k=N) so the deck has fewer slides.',
    );
  }
  return { deck, pptx, pdf, missingCharts };
}

/** What a report needs of a segmentation result (a fresh one, or one read back from its JSON file). */
export type ReportableResult = Pick<
  SegmentationResult,
  'k' | 'silhouette' | 'silhouetteSample' | 'kSelection' | 'quality' | 'transform'
> & {
  params: { k: 'auto' | number; seed: number; features: readonly string[] };
  segments: readonly ReportSegment[];
};

/** The deck input of a segmentation done on the command line (no run history, no models). */
export function reportInputFromResult(
  result: ReportableResult,
  options: { createdAt: Date; campaigns?: CampaignResults | null },
): ReportInput {
  return {
    dataset: { fileName: result.quality.fileName, rows: result.quality.rows, version: null },
    run: {
      id: null,
      createdAt: options.createdAt,
      ranBy: null,
      params: { k: result.params.k, seed: result.params.seed, features: result.params.features },
      k: result.k,
      silhouette: result.silhouette,
      silhouetteSample: result.silhouetteSample,
      kSelection: result.kSelection,
    },
    quality: result.quality,
    transform: result.transform,
    segments: result.segments,
    changes: null,
    propensity: [],
    campaigns: options.campaigns ?? null,
  };
}

/** What a report of a stored run reads. */
export interface StoredReportDeps {
  datasets: DatasetStore;
  runs: RunStore;
  models: Pick<ModelStore, 'listModels' | 'findModel'>;
  propensity: Pick<PropensityRunner, 'score'>;
  /** The channel's campaigns: the measured ones fill the campaign results slide. */
  campaigns: Pick<CampaignStore, 'listCampaigns'>;
}

export interface StoredReportRequest {
  channelId: string;
  /** A run of the channel, or null for its latest completed run. */
  runId: number | null;
  /** The display name of the person who ran the segmentation. */
  nameOf(userId: string): Promise<string>;
}

/** The completed run a report is about, or an error that says what to do. */
export async function reportRun(
  deps: Pick<StoredReportDeps, 'runs'>,
  channelId: string,
  runId: number | null,
): Promise<RunRecord> {
  if (runId === null) {
    const latest = await deps.runs.latestRun(channelId, { status: 'done' });
    if (!latest) {
      throw new NotFoundError(
        'No segmentation has finished in this channel yet, so there is nothing to report.',
        'Run `/segbot segment` first, then `/segbot report`.',
      );
    }
    return latest;
  }
  const run = await deps.runs.getRun(channelId, runId);
  if (!run)
    throw new NotFoundError(
      `There is no run #${runId} in this channel.`,
      'Type `/segbot runs` to see this channel’s runs.',
    );
  if (run.status !== 'done') {
    throw new NotFoundError(
      `Run #${runId} ${run.status === 'running' ? 'is still running' : 'failed'}, so there is nothing to report.`,
      'Pick a finished run from `/segbot runs`.',
    );
  }
  return run;
}

/** Share of non-holders' likelihood and of holders, per segment, from one model's scores. */
export function propensityBySegment(
  scores: readonly CustomerScore[],
  labels: Int32Array,
  segments: readonly Segment[],
): ProductPropensity['bySegment'] {
  const sums = new Map<number, { probability: number; open: number; holders: number; all: number }>();
  for (const segment of segments) sums.set(segment.index, { probability: 0, open: 0, holders: 0, all: 0 });
  for (const score of scores) {
    const entry = sums.get(labels[score.row] ?? -1);
    if (!entry) continue;
    entry.all++;
    if (score.holds) entry.holders++;
    else {
      entry.open++;
      entry.probability += score.probability;
    }
  }
  return [...sums.entries()]
    .filter(([, s]) => s.all > 0)
    .map(([segmentIndex, s]) => ({
      segmentIndex,
      meanProbability: s.open > 0 ? s.probability / s.open : 0,
      holderShare: s.holders / s.all,
    }));
}

async function runPropensity(
  deps: StoredReportDeps,
  run: RunRecord,
  ingest: IngestResult,
): Promise<ProductPropensity[]> {
  const products = [
    ...new Set(
      (await deps.models.listModels(run.channelId))
        .filter((m) => m.datasetId === run.datasetId)
        .map((m) => m.product),
    ),
  ];
  if (products.length === 0) return [];
  const labels = await deps.runs.loadAssignments(run.id);
  const out: ProductPropensity[] = [];
  for (const product of products) {
    const record = await deps.models.findModel(run.channelId, run.datasetId, product);
    if (record?.model.format !== 'json') continue;
    let stored: ReturnType<typeof parseStoredPrediction>;
    try {
      stored = parseStoredPrediction(record.model.value);
    } catch (error) {
      // A model from another version is only a cache: the deck goes without it.
      if (error instanceof StoredFormatError) continue;
      throw error;
    }
    // The model scores every customer; holders are counted, not scored, in the deck.
    const scores = (await deps.propensity.score(stored.model, ingest)).map((s) => ({
      ...s,
      holds: holds(ingest, product, s.row),
    }));
    out.push({
      product: stored.result.label,
      auc: stored.result.auc,
      baseRate: stored.result.baseRate,
      bySegment: propensityBySegment(scores, labels, run.segments),
    });
  }
  return out;
}

/** Whether row `row` holds `product` (a 0/1 or yes/no column). */
function holds(ingest: IngestResult, product: string, row: number): boolean {
  const column = ingest.table.columns.find((c) => c.name === product);
  if (!column) return false;
  if (column.kind === 'numeric') return (column.values[row] ?? 0) > 0;
  return /^(1|y|yes|s|si|sí|true|t)$/i.test(column.values[row] ?? '');
}

/** The deck input for a stored run of a channel, with its previous comparable run and product models. */
export async function reportInputFromRun(
  deps: StoredReportDeps,
  request: StoredReportRequest,
): Promise<ReportInput> {
  const run = await reportRun(deps, request.channelId, request.runId);
  const dataset = await deps.datasets.getDataset(request.channelId, run.datasetId);
  if (!dataset || !run.transform) {
    throw new NotFoundError(
      `The data of run #${run.id} is no longer in this channel, so it cannot be reported.`,
    );
  }
  const hasIds = async (candidate: RunRecord) =>
    (await deps.datasets.getDataset(candidate.channelId, candidate.datasetId))?.schema.idColumn != null;
  const previous = await deps.runs.previousRun(request.channelId, run.id);
  let changes: ReportInput['changes'] = null;
  // Without an id column customers are row numbers, which say nothing about who moved where.
  if (previous?.transform && (await hasIds(run)) && (await hasIds(previous))) {
    const snapshots = createSnapshotLoader(deps);
    const before = await snapshots.load(previous);
    const now = await snapshots.load(run);
    // Runs on different customers (another table uploaded here) are not comparable.
    if (assessComparability(before, now).comparable) {
      changes = {
        previousRunId: previous.id,
        previousAt: previous.createdAt,
        comparison: compareRuns(before, now),
      };
    }
  }
  const ingest: IngestResult = {
    table: await deps.datasets.loadTable(dataset.id),
    schema: dataset.schema,
    quality: dataset.quality,
  };
  return {
    dataset: { fileName: dataset.fileName, rows: dataset.rowCount, version: dataset.version },
    run: {
      id: run.id,
      createdAt: run.createdAt,
      ranBy: await request.nameOf(run.userId),
      params: { k: run.params.k, seed: run.params.seed, features: run.params.features ?? [] },
      k: run.k ?? run.segments.length,
      silhouette: run.silhouette ?? Number.NaN,
      silhouetteSample: run.silhouetteSample,
      kSelection: run.kSelection,
    },
    quality: dataset.quality,
    transform: run.transform,
    segments: run.segments,
    changes,
    propensity: await runPropensity(deps, run, ingest),
    campaigns: await deckCampaignResults(deps, request.channelId),
  };
}
