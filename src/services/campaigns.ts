/**
 * The campaign use cases, shared by the slash commands, the digest and tests: build a campaign's
 * audience with a held-back control group, measure its lift from a later upload or a responder
 * list, and list a segment's customers without the customers held back by live campaigns.
 */
import type {
  CampaignMember,
  CampaignRecord,
  CampaignResultRecord,
  CampaignStore,
} from '../../db/repositories/campaign-store.js';
import { customerIdsOf, type DatasetRecord } from '../../db/repositories/dataset-store.js';
import type { RunRecord } from '../../db/repositories/run-store.js';
import { type Audience, buildAudience, type ScoreCut } from '../analytics/campaign/audience.js';
import {
  type GroupOutcome,
  type LiftResult,
  measureLift,
  wilsonInterval,
} from '../analytics/campaign/lift.js';
import {
  type CampaignOutcome,
  outcomeFromLaterUpload,
  outcomeFromResponders,
} from '../analytics/campaign/outcome.js';
import { type PowerStatement, powerStatement } from '../analytics/campaign/power.js';
import { cellText, findSuppressed } from '../analytics/campaign/suppress.js';
import { flagValue } from '../analytics/ingest/infer-schema.js';
import { resolveProduct } from '../analytics/predict/train-propensity.js';
import { RFM_RULES } from '../analytics/rfm/score-rfm.js';
import type { Segment, Table } from '../analytics/types.js';
import { BadInputError, NotFoundError } from '../errors.js';
import type { CampaignResults, MeasuredGroup } from '../report/deck-model.js';
import { matchRfmSegment, matchSegment } from '../text/match-segment.js';
import { type PredictionDeps, predictProduct } from './predict-product.js';
import { rfmLabels } from './rfm-analysis.js';

/** What the campaign use cases need. */
export interface CampaignDeps extends PredictionDeps {
  datasets: PredictionDeps['datasets'] & { latestDataset(channelId: string): Promise<DatasetRecord | null> };
  campaigns: CampaignStore;
  now: () => Date;
}

/** The lift a campaign is planned to detect, for the power statement (3 points). */
export const PLANNED_LIFT = 0.03;
/** The base rate assumed for a campaign without a product (no holding rate to go by). */
const ASSUMED_BASE_RATE = 0.1;

/** What a campaign is, however it was asked for: typed options, a modal, or the CLI. */
export interface CampaignSpec {
  name: string;
  /** Segment names or numbers; empty for the whole customer base. */
  segments: string[];
  /** Named RFM segments (Champions, At risk, …) instead of a run's segments; empty when not used. */
  rfm: string[];
  /** The product as typed, or null. */
  product: string | null;
  cut: ScoreCut | null;
  holdout: number;
  exclude: string[];
  seed: number;
}

export interface NewCampaignRequest extends CampaignSpec {
  channelId: string;
  userId: string;
}

export interface CreatedCampaign {
  campaign: CampaignRecord;
  audience: Omit<Audience, 'members'>;
  power: PowerStatement;
  /** Columns read for suppression, with the reason each marks. */
  suppressionColumns: { reason: string; column: string }[];
  suppressionListSize: number;
  productLabel: string | null;
}

async function requireDataset(deps: CampaignDeps, channelId: string): Promise<DatasetRecord> {
  const dataset = await deps.datasets.latestDataset(channelId);
  if (!dataset) {
    throw new NotFoundError(
      'There is no customer data in this channel yet.',
      'Upload a customer CSV (drag it into the channel), run `/segbot segment`, then start a campaign.',
    );
  }
  return dataset;
}

async function segmentationOf(
  deps: CampaignDeps,
  channelId: string,
  dataset: DatasetRecord,
): Promise<RunRecord | null> {
  const run = await deps.runs.latestRun(channelId, { status: 'done' });
  return run && run.datasetId === dataset.id ? run : null;
}

/** Builds, splits and stores a new campaign. */
export async function createCampaign(
  deps: CampaignDeps,
  request: NewCampaignRequest,
): Promise<CreatedCampaign> {
  const { channelId } = request;
  if (await deps.campaigns.findCampaign(channelId, request.name)) {
    throw new BadInputError(`This channel already has a campaign called "${request.name}".`, {
      hint: 'Choose another name; `/segbot campaigns` lists the names in use.',
    });
  }
  const dataset = await requireDataset(deps, channelId);
  if (!dataset.schema.idColumn) {
    throw new BadInputError(
      `${dataset.fileName} has no customer id column, so a campaign could not name its customers.`,
      {
        hint: 'Upload the table with its customer id column (CUST_ID, customer_id, ncodpers, …).',
      },
    );
  }
  if (request.cut && !request.product) {
    throw new BadInputError('top= and deciles= cut the audience by propensity, so they need product=.', {
      hint: 'For example `/segbot campaign new "Loan push" segment=1 product=has_personal_loan top=500`.',
    });
  }
  if (request.segments.length > 0 && request.rfm.length > 0) {
    throw new BadInputError('Give segment= or rfm=, not both: a campaign targets one kind of segment.', {
      hint: 'For example `/segbot campaign new "Win back" rfm="At risk,Can\'t lose them"`.',
    });
  }
  const run = await segmentationOf(deps, channelId, dataset);
  if (request.segments.length > 0 && !run) {
    throw new BadInputError('There is no segmentation of the latest data to pick segments from.', {
      hint: 'Run `/segbot segment` first, or leave out segment= to target every customer.',
    });
  }
  const table = await deps.datasets.loadTable(dataset.id);
  const ids = customerIdsOf({ table, schema: dataset.schema, quality: dataset.quality });
  const target =
    request.rfm.length > 0 ? rfmTarget(table, dataset, request.rfm) : await runTarget(deps, run, request);
  const { chosen, labels, names } = target;

  let product: { column: string; label: string } | null = null;
  let scores: Map<number, number> | null = null;
  let baseRate: number | null = null;
  if (request.product) {
    product = resolveProduct(
      { schema: dataset.schema, table: { fileName: dataset.fileName } },
      request.product,
    );
    // The stored model when the data is unchanged (the prediction service's reuse policy).
    const prediction = await predictProduct(deps, {
      channelId,
      dataset,
      product: product.column,
      seed: request.seed,
    });
    if (request.cut && !prediction.result.trusted) {
      throw new BadInputError(
        `The ${product.label} model is not reliable enough to rank customers (${prediction.result.summary}).`,
        { hint: 'Leave out top= and deciles= to target every non-holder of the chosen segments.' },
      );
    }
    scores = new Map(prediction.result.scores.map((s) => [s.row, s.probability]));
    baseRate = prediction.result.baseRate;
  }
  const listed = await deps.campaigns.suppressionList(channelId);
  const suppression = findSuppressed(table, ids, listed);
  const audience = buildAudience({
    ids,
    labels,
    segments: chosen.length > 0 ? new Set(chosen.map((s) => s.index)) : null,
    scores,
    cut: request.cut,
    suppression,
    exclude: new Set(request.exclude),
    holdout: request.holdout,
    seed: request.seed,
  });
  if (audience.members.length === 0) {
    throw new BadInputError('No customer is left in this audience after suppression and exclusions.', {
      hint: 'Choose more segments, a larger top=, or fewer exclusions.',
    });
  }
  const power = powerStatement({
    treatment: audience.treatment,
    control: audience.control,
    baseRate: baseRate ?? ASSUMED_BASE_RATE,
    lift: PLANNED_LIFT,
  });
  const { members, ...counts } = audience;
  const campaign = await deps.campaigns.createCampaign({
    channelId,
    name: request.name,
    datasetId: dataset.id,
    runId: request.rfm.length > 0 ? null : (run?.id ?? null),
    product: product?.column ?? null,
    createdBy: request.userId,
    definition: {
      segments: chosen.length > 0 ? chosen.map((s) => ({ index: s.index, name: s.name })) : null,
      ...(request.rfm.length > 0 ? { segmentKind: 'rfm' as const } : {}),
      productLabel: product?.label ?? null,
      cut: request.cut,
      holdout: request.holdout,
      seed: request.seed,
      eligible: counts.eligible,
      suppressed: counts.suppressed,
      excluded: counts.excluded,
      treatment: counts.treatment,
      control: counts.control,
      baseRate,
      power: power.text,
    },
    members: members.map((m) => ({
      customerId: m.customerId,
      group: m.group,
      segment: names.get(m.segment) ?? '',
      score: m.score,
      decile: m.decile,
    })),
  });
  return {
    campaign,
    audience: counts,
    power,
    suppressionColumns: suppression.columns,
    suppressionListSize: listed.size,
    productLabel: product?.label ?? null,
  };
}

/** Which customers a campaign may pick from: the chosen segments and each row's segment. */
interface CampaignTarget {
  chosen: { index: number; name: string }[];
  /** Segment index per row, or null without a segmentation. */
  labels: Int32Array | null;
  names: Map<number, string>;
}

async function runTarget(
  deps: CampaignDeps,
  run: RunRecord | null,
  request: CampaignSpec,
): Promise<CampaignTarget> {
  const chosen: Segment[] = run ? request.segments.map((query) => matchSegment(run.segments, query)) : [];
  return {
    chosen,
    labels: run ? await deps.runs.loadAssignments(run.id) : null,
    names: new Map((run?.segments ?? []).map((s) => [s.index, s.name])),
  };
}

/** The named RFM segments of the dataset's customers (the table must hold recency, frequency, monetary). */
function rfmTarget(table: Table, dataset: DatasetRecord, queries: readonly string[]): CampaignTarget {
  const chosen = [
    ...new Map(queries.map((query) => matchRfmSegment(query)).map((s) => [s.index, s])).values(),
  ];
  return {
    chosen,
    labels: rfmLabels(table, dataset.schema.idColumn),
    names: new Map(RFM_RULES.map((rule, index) => [index, rule.name])),
  };
}

/** Who a campaign targets, in plain words (the Slack replies escape it; the deck cleans it). */
export function campaignAudienceText(definition: CampaignRecord['definition']): string {
  const { segments, cut, productLabel } = definition;
  const listed = segments ? segments.map((s) => s.name).join(', ') : 'every customer';
  const who = segments && definition.segmentKind === 'rfm' ? `RFM segments ${listed}` : listed;
  const count = (n: number) => n.toLocaleString('en-US');
  const narrowed = !productLabel
    ? ''
    : !cut
      ? `non-holders of ${productLabel}`
      : cut.kind === 'top'
        ? `the ${count(cut.count)} most likely to take up ${productLabel}`
        : `score deciles ${cut.from}–${cut.to} for ${productLabel}`;
  return narrowed ? `${who}; ${narrowed}` : who;
}

function measuredGroup(group: GroupOutcome): MeasuredGroup {
  const interval = wilsonInterval(group.conversions, group.customers);
  return {
    customers: group.customers,
    conversions: group.conversions,
    rate: group.customers > 0 ? group.conversions / group.customers : 0,
    low: interval.lower,
    high: interval.upper,
  };
}

/**
 * The channel's measured campaigns for the deck (oldest first), each with both groups' rates and
 * Wilson intervals, the stored lift interval and verdict; null when no campaign was measured yet.
 */
export async function deckCampaignResults(
  deps: { campaigns: Pick<CampaignStore, 'listCampaigns'> },
  channelId: string,
): Promise<CampaignResults | null> {
  const measured = (await deps.campaigns.listCampaigns(channelId))
    .filter((c): c is CampaignRecord & { latestResult: CampaignResultRecord } => c.latestResult !== null)
    .sort((a, b) => a.id - b.id);
  if (measured.length === 0) return null;
  const latest = measured
    .map((c) => c.latestResult.measuredAt)
    .sort()
    .at(-1)!;
  return {
    note: `Each campaign as last measured; the latest measurement was on ${latest.slice(0, 10)}.`,
    campaigns: measured.map((c) => ({
      name: c.name,
      audience: campaignAudienceText(c.definition),
      treatment: measuredGroup(c.latestResult.treatment),
      control: measuredGroup(c.latestResult.control),
      lift: { value: c.latestResult.absoluteLift, low: c.latestResult.lower, high: c.latestResult.upper },
      verdict: c.latestResult.verdict,
    })),
  };
}

/** A campaign of the channel by name, or the error that lists the names. */
export async function requireCampaign(
  deps: Pick<CampaignDeps, 'campaigns'>,
  channelId: string,
  name: string,
): Promise<CampaignRecord> {
  const campaign = await deps.campaigns.findCampaign(channelId, name);
  if (campaign) return campaign;
  const names = (await deps.campaigns.listCampaigns(channelId)).map((c) => `"${c.name}"`);
  throw new NotFoundError(
    `There is no campaign called "${name}" in this channel.`,
    names.length > 0
      ? `Campaigns here: ${names.slice(0, 10).join(', ')}.`
      : 'Start one with `/segbot campaign new "<name>" segment=… product=…`.',
  );
}

export interface ResultsRequest {
  channelId: string;
  name: string;
  /** A responder list; without it the channel's latest upload is compared with the campaign's. */
  responders?: { ids: string[]; file: string };
}

export interface MeasuredCampaign {
  campaign: CampaignRecord;
  lift: LiftResult;
  outcome: CampaignOutcome;
  record: CampaignResultRecord;
}

/** Measures a campaign's lift and stores it as its latest result. */
export async function measureCampaign(
  deps: CampaignDeps,
  request: ResultsRequest,
): Promise<MeasuredCampaign> {
  const campaign = await requireCampaign(deps, request.channelId, request.name);
  const members = await deps.campaigns.members(campaign.id);
  let outcome: CampaignOutcome;
  let source: CampaignResultRecord['source'];
  let sourceFile: string;
  if (request.responders) {
    outcome = outcomeFromResponders(members, request.responders.ids);
    source = 'responder list';
    sourceFile = request.responders.file;
  } else {
    const later = await laterUpload(deps, campaign);
    outcome = outcomeFromLaterUpload(members, later.holds);
    source = 'later upload';
    sourceFile = `${later.dataset.fileName} (v${later.dataset.version})`;
  }
  const lift = measureLift(outcome.treatment, outcome.control);
  const record: CampaignResultRecord = {
    source,
    sourceFile,
    measuredAt: deps.now().toISOString(),
    treatment: outcome.treatment,
    control: outcome.control,
    absoluteLift: lift.absoluteLift,
    lower: lift.interval.lower,
    upper: lift.interval.upper,
    relativeLift: lift.relativeLift,
    incrementalConversions: lift.incrementalConversions,
    verdict: lift.verdict,
    verdictText: lift.verdictText,
    unmatched: outcome.unmatched,
    outsiders: outcome.outsiders,
  };
  await deps.campaigns.saveResult(campaign.id, record);
  return { campaign, lift, outcome, record };
}

/** The channel's newest upload after the campaign's, and who holds the campaign's product in it. */
async function laterUpload(
  deps: CampaignDeps,
  campaign: CampaignRecord,
): Promise<{ dataset: DatasetRecord; holds: (customerId: string) => boolean | null }> {
  if (!campaign.product) {
    throw new BadInputError(
      `"${campaign.name}" has no product, so a later upload cannot say who converted.`,
      {
        hint: `Share a CSV of responder ids, then type \`/segbot campaign results "${campaign.name}" list\`.`,
      },
    );
  }
  const dataset = await requireDataset(deps, campaign.channelId);
  if (dataset.id === campaign.datasetId) {
    throw new BadInputError(`There is no upload newer than the one "${campaign.name}" was built from.`, {
      hint: `Upload the same customers again once the campaign has run (their ${campaign.definition.productLabel ?? campaign.product} flags updated), or share a CSV of responder ids and add \`list\`.`,
    });
  }
  const table = await deps.datasets.loadTable(dataset.id);
  const column = table.columns.find((c) => c.name === campaign.product);
  if (!column || !dataset.schema.idColumn) {
    throw new BadInputError(
      `${dataset.fileName} has no ${!column ? `${campaign.product} column` : 'customer id column'} to measure "${campaign.name}" by.`,
      {
        hint: 'Upload the same customer table as before, with its ids and product flags, or share a responder list.',
      },
    );
  }
  const ids = customerIdsOf({ table, schema: dataset.schema, quality: dataset.quality });
  const rowOf = new Map<string, number>();
  ids.forEach((id, row) => {
    if (!rowOf.has(id)) rowOf.set(id, row);
  });
  return {
    dataset,
    holds: (customerId) => {
      const row = rowOf.get(customerId);
      return row === undefined ? null : holdsFlag(column, row);
    },
  };
}

function holdsFlag(column: Table['columns'][number], row: number): boolean {
  return flagValue(cellText(column, row)) === 1;
}

/** Ids held back by the channel's live campaigns, with the campaigns' names. */
export async function heldBackIds(
  deps: Pick<CampaignDeps, 'campaigns'>,
  channelId: string,
): Promise<Set<string>> {
  const held = new Set<string>();
  for (const campaign of await deps.campaigns.liveCampaigns(channelId)) {
    for (const member of await deps.campaigns.members(campaign.id, 'control')) held.add(member.customerId);
  }
  return held;
}

export interface SegmentExportRequest {
  channelId: string;
  segment: string;
  product: string | null;
  top: number | null;
  /** Keep customers held back by live campaigns (they are left out unless asked). */
  includeHeldBack: boolean;
  seed: number;
}

export interface SegmentExport {
  segmentName: string;
  productLabel: string | null;
  rows: { customerId: string; segment: string; score: number | null }[];
  /** Held-back customers of live campaigns in this segment (left out unless asked). */
  heldBack: number;
}

/** A segment's customers, most likely first with a product, without live campaigns' held-back customers. */
export async function exportSegment(
  deps: CampaignDeps,
  request: SegmentExportRequest,
): Promise<SegmentExport> {
  const dataset = await requireDataset(deps, request.channelId);
  const run = await segmentationOf(deps, request.channelId, dataset);
  if (!run) {
    throw new BadInputError('There is no segmentation of the latest data to export a segment from.', {
      hint: 'Run `/segbot segment` first.',
    });
  }
  const segment = matchSegment(run.segments, request.segment);
  const labels = await deps.runs.loadAssignments(run.id);
  const ids = customerIdsOf({
    table: await deps.datasets.loadTable(dataset.id),
    schema: dataset.schema,
    quality: dataset.quality,
  });
  let rows: SegmentExport['rows'] = [];
  let productLabel: string | null = null;
  if (request.product) {
    const product = resolveProduct(
      { schema: dataset.schema, table: { fileName: dataset.fileName } },
      request.product,
    );
    productLabel = product.label;
    const prediction = await predictProduct(deps, {
      channelId: request.channelId,
      dataset,
      product: product.column,
      seed: request.seed,
      segment: String(run.segments.indexOf(segment) + 1),
    });
    rows = [...prediction.result.scores]
      .sort((a, b) => b.probability - a.probability || a.row - b.row)
      .map((s) => ({ customerId: s.customerId, segment: segment.name, score: s.probability }));
  } else {
    for (let row = 0; row < labels.length; row++) {
      if (labels[row] === segment.index)
        rows.push({ customerId: ids[row]!, segment: segment.name, score: null });
    }
  }
  const held = await heldBackIds(deps, request.channelId);
  const heldBack = rows.filter((r) => held.has(r.customerId)).length;
  if (!request.includeHeldBack) rows = rows.filter((r) => !held.has(r.customerId));
  if (request.top !== null) rows = rows.slice(0, request.top);
  return { segmentName: segment.name, productLabel, rows, heldBack };
}

/** The members of a campaign's treatment group, for its export. */
export async function treatmentMembers(
  deps: Pick<CampaignDeps, 'campaigns'>,
  campaign: CampaignRecord,
): Promise<CampaignMember[]> {
  return await deps.campaigns.members(campaign.id, 'treatment');
}
