import { squaredBetween } from '../cluster/distance-kernels.js';
import { featureLabel } from '../segment/column-labels.js';
import { differsEnough, formatNumber } from '../segment/profile-segments.js';
import type { FittedTransform, Segment } from '../types.js';
import { solveAssignment } from './hungarian.js';

/** What a comparison needs from one stored run. */
export interface RunSnapshot {
  runId: number;
  transform: FittedTransform;
  segments: Pick<
    Segment,
    'index' | 'name' | 'persona' | 'size' | 'share' | 'profile' | 'centroid' | 'actions'
  >[];
  /** Segment of each customer, aligned with customerIds. */
  labels: Int32Array;
  customerIds: readonly string[];
}

export interface SegmentRef {
  index: number;
  name: string;
  size: number;
  share: number;
}

export interface CentroidShift {
  feature: string;
  before: number;
  after: number;
  /** Relative change of the segment mean, in percent (null when the old mean was 0). */
  changePct: number | null;
  /** Movement in the shared standardized space, which is what ranks the shifts. */
  standardizedShift: number;
  /** "average CASH_ADVANCE up 38% (1,020 → 1,410)" */
  text: string;
}

export interface SegmentChange {
  status: 'matched' | 'new' | 'dissolved';
  previous: SegmentRef | null;
  current: SegmentRef | null;
  /** Centroid distance in the shared standardized space (null for new or dissolved segments). */
  distance: number | null;
  sizeChange: number;
  /** Change of the segment's share of all customers, in percentage points. */
  shareChangePp: number;
  /** The largest centroid movements, strongest first (matched segments only). */
  shifts: CentroidShift[];
}

/**
 * Customers of the previous run (rows) by segment in the current run (columns), in one order: the
 * first `pairs` rows and columns are matched segments, row i with its partner in column i, so
 * customers who stayed put sit on the diagonal; unmatched (dissolved, new) segments follow.
 */
export interface MigrationMatrix {
  /** Previous segment names (rows). */
  from: string[];
  /** Current segment names (columns), the current run's own names. */
  to: string[];
  /** Segment index of each row in the previous run, and of each column in the current run. */
  fromIndex: number[];
  toIndex: number[];
  /** How many leading rows and columns are matched pairs (the diagonal). */
  pairs: number;
  /** counts[i][j]: customers in row i's previous segment now in column j's current segment. */
  counts: number[][];
}

/**
 * Whether two runs segment the same customer base, and what about the runs themselves changed.
 * Runs on different customers are not compared; a change of k or of the features explains a
 * reshuffle that is not customers moving.
 */
export interface Comparability {
  comparable: boolean;
  /** Customers in both runs, and in the larger of the two. */
  common: number;
  larger: number;
  /** Why the runs are not comparable ("0 of 45,211 customers in common"), when they are not. */
  reason: string | null;
  /** What changed between the runs' settings, in words ("k changed from 7 to 6"); empty if none. */
  causes: string[];
}

export interface RunComparison {
  previousRunId: number;
  currentRunId: number;
  changes: SegmentChange[];
  /**
   * Names of the current run's segments, by current index: always the current run's own names, so
   * the summary, describe, the thread, the charts and mention answers call a segment one thing.
   */
  currentNames: string[];
  /** Settings that changed between the runs ("k changed from 7 to 6"), named as the cause. */
  causes: string[];
  migration: MigrationMatrix;
  /** Customers present in both runs, only in the previous one, only in the current one. */
  commonCustomers: number;
  departedCustomers: number;
  newCustomers: number;
  /** The largest absolute share change of any segment, in percentage points. */
  maxShareChangePp: number;
  /** The biggest movement in one sentence. */
  headline: string;
}

export interface CompareOptions {
  /**
   * A pair further apart than this (shared standardized units) is not the same segment: the
   * previous one is reported as dissolved and the current one as new. Default: half the median
   * distance between the previous run's centroids, so "same segment" means "closer to its old self
   * than segments usually are to each other".
   */
  maxDistance?: number;
}

/**
 * Matches the segments of two runs of the same channel and describes what changed: sizes, shares,
 * centroid shifts in plain words, and how customers present in both runs moved.
 */
export function compareRuns(
  previous: RunSnapshot,
  current: RunSnapshot,
  options: CompareOptions = {},
): RunComparison {
  const { space, cost, matchedCurrent } = matchSegments(previous, current, options);
  const cols = current.segments.length;

  const currentNames = current.segments.map((segment) => segment.name);

  const refOf = (segment: RunSnapshot['segments'][number], name: string): SegmentRef => ({
    index: segment.index,
    name,
    size: segment.size,
    share: segment.share,
  });

  const changes: SegmentChange[] = [];
  const matchedPrevious = new Set<number>();
  current.segments.forEach((segment, j) => {
    const i = matchedCurrent[j]!;
    if (i < 0) return;
    matchedPrevious.add(i);
    const before = previous.segments[i]!;
    changes.push({
      status: 'matched',
      previous: refOf(before, before.name),
      current: refOf(segment, currentNames[j]!),
      distance: cost[i * cols + j]!,
      sizeChange: segment.size - before.size,
      shareChangePp: (segment.share - before.share) * 100,
      shifts: centroidShifts(before, segment, space),
    });
  });
  previous.segments.forEach((segment, i) => {
    if (matchedPrevious.has(i)) return;
    changes.push({
      status: 'dissolved',
      previous: refOf(segment, segment.name),
      current: null,
      distance: null,
      sizeChange: -segment.size,
      shareChangePp: -segment.share * 100,
      shifts: [],
    });
  });
  current.segments.forEach((segment, j) => {
    if (matchedCurrent[j]! >= 0) return;
    changes.push({
      status: 'new',
      previous: null,
      current: refOf(segment, currentNames[j]!),
      distance: null,
      sizeChange: segment.size,
      shareChangePp: segment.share * 100,
      shifts: [],
    });
  });

  const migration = migrationMatrix(previous, current, matchedCurrent);
  const maxShareChangePp = changes.reduce((max, c) => Math.max(max, Math.abs(c.shareChangePp)), 0);
  const causes = settingChanges(previous, current);

  return {
    previousRunId: previous.runId,
    currentRunId: current.runId,
    changes,
    currentNames,
    causes,
    migration: migration.matrix,
    commonCustomers: migration.common,
    departedCustomers: previous.customerIds.length - migration.common,
    newCustomers: current.customerIds.length - migration.common,
    maxShareChangePp,
    headline: headline(changes, migration.matrix, causes),
  };
}

/** Below this share of common customers (of the larger run) two runs are not the same base. */
const MIN_COMMON_SHARE = 0.5;

function featureColumns(transform: FittedTransform): string[] {
  return [...new Set(transform.features.map((f) => f.column))];
}

/** What changed in the runs' settings: k and the feature columns. */
function settingChanges(previous: RunSnapshot, current: RunSnapshot): string[] {
  const causes: string[] = [];
  const kBefore = previous.segments.length;
  const kNow = current.segments.length;
  if (kBefore !== kNow) causes.push(`k changed from ${kBefore} to ${kNow}`);
  const before = featureColumns(previous.transform);
  const now = featureColumns(current.transform);
  const added = now.filter((c) => !before.includes(c)).map((c) => featureLabel(c));
  const removed = before.filter((c) => !now.includes(c)).map((c) => featureLabel(c));
  if (added.length > 0 || removed.length > 0) {
    const parts = [
      ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
      ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
    ];
    causes.push(`the features changed (${parts.join('; ')})`);
  }
  return causes;
}

/**
 * Whether two runs can be compared: they must share most of their customers (judged by id) and at
 * least one feature column. Also names the settings that changed, which explain a reshuffle.
 */
export function assessComparability(
  previous: Pick<RunSnapshot, 'runId' | 'transform' | 'segments' | 'customerIds'>,
  current: Pick<RunSnapshot, 'runId' | 'transform' | 'segments' | 'customerIds'>,
): Comparability {
  const ids = new Set(previous.customerIds);
  let common = 0;
  for (const id of current.customerIds) if (ids.has(id)) common++;
  const larger = Math.max(previous.customerIds.length, current.customerIds.length);
  const sharedColumns = featureColumns(previous.transform).filter((c) =>
    featureColumns(current.transform).includes(c),
  );
  const count = (n: number) => n.toLocaleString('en-US');
  let reason: string | null = null;
  if (larger === 0 || common / larger < MIN_COMMON_SHARE) {
    reason = `run #${current.runId} is on a different customer base: ${count(common)} of ${count(larger)} customers in common with run #${previous.runId}; not compared`;
  } else if (sharedColumns.length === 0) {
    reason = `run #${current.runId} uses none of the columns of run #${previous.runId}; not compared`;
  }
  return {
    comparable: reason === null,
    common,
    larger,
    reason,
    causes: settingChanges(previous as RunSnapshot, current as RunSnapshot),
  };
}

/** What segment matching needs from a run: its scaling and its segments' centres. */
export type MatchInput = Pick<RunSnapshot, 'transform'> & {
  segments: readonly Pick<RunSnapshot['segments'][number], 'centroid'>[];
};

/**
 * Pairs the segments of two runs by their centres in one shared standardized space (a minimum-cost
 * assignment); `matchedCurrent[j]` is the previous segment matched to current segment j, or -1.
 */
export function matchSegments(previous: MatchInput, current: MatchInput, options: CompareOptions = {}) {
  const space = sharedSpace(previous.transform, current.transform);
  const prevPoints = previous.segments.map((s) => toSharedSpace(s.centroid.original, space));
  const currPoints = current.segments.map((s) => toSharedSpace(s.centroid.original, space));
  const rows = prevPoints.length;
  const cols = currPoints.length;
  const cost = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) cost[i * cols + j] = distance(prevPoints[i]!, currPoints[j]!);
  }
  const maxDistance = options.maxDistance ?? defaultMaxDistance(prevPoints);
  const assignment = solveAssignment(cost, rows, cols);
  const matchedCurrent = new Int32Array(cols).fill(-1);
  // Runs with no feature in common cannot be matched: every segment is new.
  if (space.length > 0) {
    for (let i = 0; i < rows; i++) {
      const j = assignment[i]!;
      if (j >= 0 && cost[i * cols + j]! <= maxDistance) matchedCurrent[j] = i;
    }
  }
  return { space, cost, matchedCurrent };
}

interface SharedFeature {
  name: string;
  log1p: boolean;
  mean: number;
  std: number;
}

/**
 * The previous run's standardization, restricted to features both runs used. Centroids are kept
 * in original units, so mapping both runs through one transform puts them in one space even
 * though each run fitted its own scaling.
 */
function sharedSpace(previous: FittedTransform, current: FittedTransform): SharedFeature[] {
  const currentNames = new Set(current.features.map((f) => f.name));
  return previous.features
    .filter((f) => currentNames.has(f.name))
    .map((f) => ({ name: f.name, log1p: f.kind === 'numeric' && f.log1p, mean: f.mean, std: f.std || 1 }));
}

function toSharedSpace(original: Record<string, number>, space: SharedFeature[]): Float64Array {
  const point = new Float64Array(space.length);
  space.forEach((feature, c) => {
    const raw = original[feature.name] ?? 0;
    // Centroids of log-scaled features are means of raw values; log1p of a negative mean cannot
    // happen for the non-negative columns that get the log, but clamp in case of rounding.
    const value = feature.log1p ? Math.log1p(Math.max(raw, 0)) : raw;
    point[c] = (value - feature.mean) / feature.std;
  });
  return point;
}

function distance(a: Float64Array, b: Float64Array): number {
  return Math.sqrt(squaredBetween(a, 0, b, 0, a.length));
}

function defaultMaxDistance(points: Float64Array[]): number {
  const distances: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) distances.push(distance(points[i]!, points[j]!));
  }
  if (distances.length === 0) return Number.POSITIVE_INFINITY;
  distances.sort((a, b) => a - b);
  return distances[Math.floor(distances.length / 2)]! / 2;
}

type SnapshotSegment = RunSnapshot['segments'][number];

/** A profile movement under this many standard deviations is not reported. */
const MIN_SHIFT = 0.1;

/**
 * The largest profile movements of a matched segment, ranked in the shared standardized space but
 * told in original units: the segment's real average before and after (a share for a category).
 */
function centroidShifts(
  before: SnapshotSegment,
  after: SnapshotSegment,
  space: SharedFeature[],
): CentroidShift[] {
  const shifts: CentroidShift[] = [];
  const meanOf = (segment: SnapshotSegment, feature: string): number | undefined =>
    segment.profile.find((p) => p.feature === feature)?.mean ?? segment.centroid.original[feature];
  for (const feature of space) {
    const fromCentre = before.centroid.original[feature.name];
    const toCentre = after.centroid.original[feature.name];
    const from = meanOf(before, feature.name);
    const to = meanOf(after, feature.name);
    if (fromCentre === undefined || toCentre === undefined || from === undefined || to === undefined)
      continue;
    const scale = (v: number) => (feature.log1p ? Math.log1p(Math.max(v, 0)) : v);
    const standardizedShift = (scale(toCentre) - scale(fromCentre)) / feature.std;
    const changePct = from === 0 ? null : ((to - from) / Math.abs(from)) * 100;
    shifts.push({
      feature: feature.name,
      before: from,
      after: to,
      changePct,
      standardizedShift,
      text: shiftText(feature.name, from, to, changePct),
    });
  }
  // Only movements that matter: a tenth of a standard deviation, and numbers visibly apart.
  return shifts
    .filter(
      (s) =>
        Math.abs(s.standardizedShift) >= MIN_SHIFT &&
        differsEnough(s.before, s.after, s.feature.includes('=')),
    )
    .sort((a, b) => Math.abs(b.standardizedShift) - Math.abs(a.standardizedShift))
    .slice(0, 3);
}

function shiftText(feature: string, from: number, to: number, changePct: number | null): string {
  const direction = to >= from ? 'up' : 'down';
  if (feature.includes('=')) {
    const points = Math.abs(Math.round((to - from) * 100));
    return `share with ${featureLabel(feature)} ${direction} ${points} points (${Math.round(from * 100)}% → ${Math.round(to * 100)}%)`;
  }
  const amount = changePct === null ? '' : ` ${Math.abs(Math.round(changePct))}%`;
  return `average ${featureLabel(feature)} ${direction}${amount} (${formatNumber(from)} → ${formatNumber(to)})`;
}

function migrationMatrix(previous: RunSnapshot, current: RunSnapshot, matchedCurrent: Int32Array) {
  // One order for rows and columns: matched pairs first (in the previous run's order), so "stayed
  // put" is the diagonal; then dissolved rows and new columns.
  const partnerOf = new Int32Array(previous.segments.length).fill(-1);
  matchedCurrent.forEach((i, j) => {
    if (i >= 0) partnerOf[i] = j;
  });
  const rows: number[] = [];
  const cols: number[] = [];
  partnerOf.forEach((j, i) => {
    if (j >= 0) {
      rows.push(i);
      cols.push(j);
    }
  });
  const pairs = rows.length;
  partnerOf.forEach((j, i) => {
    if (j < 0) rows.push(i);
  });
  matchedCurrent.forEach((i, j) => {
    if (i < 0) cols.push(j);
  });
  const rowOf = new Int32Array(previous.segments.length);
  rows.forEach((i, r) => {
    rowOf[i] = r;
  });
  const colOf = new Int32Array(current.segments.length);
  cols.forEach((j, c) => {
    colOf[j] = c;
  });

  const previousLabel = new Map<string, number>();
  previous.customerIds.forEach((id, row) => {
    previousLabel.set(id, previous.labels[row]!);
  });
  const counts = rows.map(() => new Array<number>(cols.length).fill(0));
  let common = 0;
  current.customerIds.forEach((id, row) => {
    const from = previousLabel.get(id);
    if (from === undefined) return;
    common++;
    const to = current.labels[row]!;
    if (from < 0 || from >= rows.length || to < 0 || to >= cols.length) return;
    const line = counts[rowOf[from]!]!;
    line[colOf[to]!] = line[colOf[to]!]! + 1;
  });
  const matrix: MigrationMatrix = {
    from: rows.map((i) => previous.segments[i]!.name),
    to: cols.map((j) => current.segments[j]!.name),
    fromIndex: rows.map((i) => previous.segments[i]!.index),
    toIndex: cols.map((j) => current.segments[j]!.index),
    pairs,
    counts,
  };
  return { matrix, common };
}

/** Whether cell (row, col) of a migration matrix holds customers who stayed in their segment. */
export function isStayCell(matrix: Pick<MigrationMatrix, 'pairs'>, row: number, col: number): boolean {
  return row === col && row < matrix.pairs;
}

/** Customers present in both runs who changed segment. */
export function moverCount(matrix: MigrationMatrix): number {
  let movers = 0;
  matrix.counts.forEach((line, i) => {
    line.forEach((count, j) => {
      if (!isStayCell(matrix, i, j)) movers += count;
    });
  });
  return movers;
}

function headline(changes: SegmentChange[], matrix: MigrationMatrix, causes: string[]): string {
  // A change of settings reshuffles segments without anyone's behaviour changing: say so first.
  if (causes.length > 0) {
    return `The segments were re-drawn because ${causes.join(' and ')}: compare them by their profiles, not as customers moving.`;
  }
  // The largest off-diagonal flow of customers is usually the story; fall back to size changes.
  let best = { count: 0, i: -1, j: -1 };
  matrix.counts.forEach((line, i) => {
    line.forEach((count, j) => {
      if (!isStayCell(matrix, i, j) && count > best.count) best = { count, i, j };
    });
  });
  if (best.count > 0) {
    return `${best.count.toLocaleString('en-US')} customers moved from ${matrix.from[best.i]} to ${matrix.to[best.j]}.`;
  }
  const biggest = [...changes].sort((a, b) => Math.abs(b.shareChangePp) - Math.abs(a.shareChangePp))[0];
  if (!biggest || Math.abs(biggest.shareChangePp) < 0.05)
    return 'Segments are stable: no segment moved noticeably.';
  const name = biggest.current?.name ?? biggest.previous?.name ?? 'A segment';
  if (biggest.status === 'new')
    return `A new segment appeared: ${name} (${(biggest.current!.share * 100).toFixed(1)}% of customers).`;
  if (biggest.status === 'dissolved')
    return `${name} dissolved (was ${(biggest.previous!.share * 100).toFixed(1)}% of customers).`;
  const verb = biggest.shareChangePp > 0 ? 'grew' : 'shrank';
  return `${name} ${verb} by ${Math.abs(biggest.shareChangePp).toFixed(1)} percentage points.`;
}

/**
 * Whether a comparison is worth a "segments changed" thread: a share moved by at least
 * `thresholdPp` percentage points, or a segment appeared or dissolved.
 */
export function isSignificantChange(comparison: RunComparison, thresholdPp: number): boolean {
  return (
    comparison.changes.some((c) => c.status !== 'matched') ||
    comparison.changes.some((c) => Math.abs(c.shareChangePp) >= thresholdPp)
  );
}
