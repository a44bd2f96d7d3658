import { squaredBetween } from '../cluster/distance-kernels.js';
import { formatNumber } from '../segment/profile-segments.js';
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

export interface MigrationMatrix {
  /** Previous segment names (rows). */
  from: string[];
  /** Current segment names (columns), after inheriting matched names. */
  to: string[];
  /** counts[i][j]: customers in previous segment i now in current segment j. */
  counts: number[][];
}

export interface RunComparison {
  previousRunId: number;
  currentRunId: number;
  changes: SegmentChange[];
  /**
   * Display names for the current run's segments, by current index: a matched segment keeps the
   * previous run's name so the team's vocabulary survives re-clustering.
   */
  currentNames: string[];
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
  for (let i = 0; i < rows; i++) {
    const j = assignment[i]!;
    if (j >= 0 && cost[i * cols + j]! <= maxDistance) matchedCurrent[j] = i;
  }

  const currentNames = uniqueNames(
    current.segments.map((segment, j) => {
      const i = matchedCurrent[j]!;
      return i >= 0 ? previous.segments[i]!.name : segment.name;
    }),
  );

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
      shifts: centroidShifts(before.centroid.original, segment.centroid.original, space),
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

  const migration = migrationMatrix(previous, current, currentNames);
  const maxShareChangePp = changes.reduce((max, c) => Math.max(max, Math.abs(c.shareChangePp)), 0);

  return {
    previousRunId: previous.runId,
    currentRunId: current.runId,
    changes,
    currentNames,
    migration: { from: previous.segments.map((s) => s.name), to: currentNames, counts: migration.counts },
    commonCustomers: migration.common,
    departedCustomers: previous.customerIds.length - migration.common,
    newCustomers: current.customerIds.length - migration.common,
    maxShareChangePp,
    headline: headline(
      changes,
      migration.counts,
      previous.segments.map((s) => s.name),
      currentNames,
    ),
  };
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

function centroidShifts(
  before: Record<string, number>,
  after: Record<string, number>,
  space: SharedFeature[],
): CentroidShift[] {
  const shifts: CentroidShift[] = [];
  for (const feature of space) {
    const from = before[feature.name];
    const to = after[feature.name];
    if (from === undefined || to === undefined) continue;
    const scale = (v: number) => (feature.log1p ? Math.log1p(Math.max(v, 0)) : v);
    const standardizedShift = (scale(to) - scale(from)) / feature.std;
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
  return shifts
    .filter((s) => Math.abs(s.standardizedShift) >= 0.05)
    .sort((a, b) => Math.abs(b.standardizedShift) - Math.abs(a.standardizedShift))
    .slice(0, 3);
}

function shiftText(feature: string, from: number, to: number, changePct: number | null): string {
  const direction = to >= from ? 'up' : 'down';
  const amount = changePct === null ? '' : ` ${Math.abs(Math.round(changePct))}%`;
  return `average ${feature} ${direction}${amount} (${formatNumber(from)} → ${formatNumber(to)})`;
}

function migrationMatrix(previous: RunSnapshot, current: RunSnapshot, currentNames: string[]) {
  const previousLabel = new Map<string, number>();
  previous.customerIds.forEach((id, row) => {
    previousLabel.set(id, previous.labels[row]!);
  });
  const counts = previous.segments.map(() => new Array<number>(currentNames.length).fill(0));
  let common = 0;
  current.customerIds.forEach((id, row) => {
    const from = previousLabel.get(id);
    if (from === undefined) return;
    common++;
    const to = current.labels[row]!;
    const line = counts[from];
    if (line && to >= 0 && to < line.length) line[to] = line[to]! + 1;
  });
  return { counts, common };
}

function headline(changes: SegmentChange[], counts: number[][], from: string[], to: string[]): string {
  // The largest off-diagonal flow of customers is usually the story; fall back to size changes.
  let best = { count: 0, i: -1, j: -1 };
  counts.forEach((line, i) => {
    line.forEach((count, j) => {
      if (from[i] !== to[j] && count > best.count) best = { count, i, j };
    });
  });
  if (best.count > 0) {
    return `${best.count.toLocaleString('en-US')} customers moved from ${from[best.i]} to ${to[best.j]}.`;
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

/** Appends " (2)", " (3)" to repeated names so every segment stays addressable by name. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
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
