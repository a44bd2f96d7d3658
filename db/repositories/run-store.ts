/**
 * Segmentation runs per channel: parameters, metrics, fitted transform, segments with their
 * personas and playbook, and each customer's segment (as a blob).
 */
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { FittedTransform, KSelection, Segment, SegmentationResult } from '../../src/analytics/types.js';
import { NotFoundError } from '../../src/errors.js';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import { assignments, datasets, type RunParams, type RunPca, runSegments, runs } from '../schema.js';
import { createPgRunStore } from './pg/run-store.js';

export type { RunParams, RunPca } from '../schema.js';

export type RunStatus = 'running' | 'done' | 'failed';

/** A run as stored, with its segments (empty until it is done). */
export interface RunRecord {
  id: number;
  channelId: string;
  datasetId: number;
  /** The channel-level version number of the dataset it ran on. */
  datasetVersion: number;
  userId: string;
  status: RunStatus;
  params: RunParams;
  k: number | null;
  silhouette: number | null;
  inertia: number | null;
  transform: FittedTransform | null;
  kSelection: KSelection | null;
  silhouetteSample: { exact: boolean; size: number } | null;
  pca: RunPca | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  segments: Segment[];
}

export interface RunStoreOptions {
  now?: () => Date;
}

export interface RunStore {
  /** Records a run as 'running' on one of the channel's datasets (NotFoundError if it is not the channel's). */
  startRun(input: {
    channelId: string;
    datasetId: number;
    userId: string;
    params: RunParams;
  }): Promise<RunRecord>;
  /** Stores the result in one transaction: run row, segments and assignments together or not at all. */
  completeRun(runId: number, result: SegmentationResult): Promise<RunRecord>;
  /** Marks a run failed with a message a user may read. */
  failRun(runId: number, message: string): Promise<void>;
  /** The channel's runs, newest first. */
  listRuns(channelId: string, limit?: number): Promise<RunRecord[]>;
  /** A run of this channel, or null (also when the id belongs to another channel). */
  getRun(channelId: string, runId: number): Promise<RunRecord | null>;
  /** The channel's newest run, optionally only with a given status. */
  latestRun(channelId: string, filter?: { status?: RunStatus }): Promise<RunRecord | null>;
  /** The channel's last completed run before `runId`, to compare against. */
  previousRun(channelId: string, runId: number): Promise<RunRecord | null>;
  /** Segment index per customer in dataset row order. Get the id from a channel-scoped lookup. */
  loadAssignments(runId: number): Promise<Int32Array>;
  /** The 2-D PCA projection [x0, y0, x1, y1, …], or null if the run stored none. */
  loadProjection(runId: number): Promise<Float32Array | null>;
}

/** Creates the run repository over an open database. */
export function createRunStore(handle: StorageHandle, options: RunStoreOptions = {}): RunStore {
  if (isPostgres(handle)) return createPgRunStore(handle, options);
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const runColumns = {
    id: runs.id,
    channelId: runs.channelId,
    datasetId: runs.datasetId,
    datasetVersion: datasets.version,
    userId: runs.userId,
    status: runs.status,
    params: runs.params,
    k: runs.k,
    silhouette: runs.silhouette,
    inertia: runs.inertia,
    transform: runs.transform,
    kSelection: runs.kSelection,
    silhouetteSample: runs.silhouetteSample,
    pca: runs.pca,
    error: runs.error,
    createdAt: runs.createdAt,
    finishedAt: runs.finishedAt,
  };
  const selectRuns = () =>
    db.select(runColumns).from(runs).innerJoin(datasets, eq(datasets.id, runs.datasetId));
  type RunRow = Omit<RunRecord, 'segments'>;

  const withSegments = (rows: RunRow[]): RunRecord[] => {
    if (rows.length === 0) return [];
    const segmentRows = db
      .select()
      .from(runSegments)
      .where(
        inArray(
          runSegments.runId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(runSegments.runId, runSegments.segmentIndex)
      .all();
    return attachSegments(rows, segmentRows);
  };

  const getById = (runId: number): RunRecord | null => {
    const row = selectRuns().where(eq(runs.id, runId)).get();
    return row ? withSegments([row])[0]! : null;
  };

  const complete = sqlite.transaction((runId: number, result: SegmentationResult) => {
    const updated = db
      .update(runs)
      .set(completedRun(result, now()))
      .where(eq(runs.id, runId))
      .returning({ id: runs.id })
      .all();
    if (updated.length === 0) throw new NotFoundError(`Run ${runId} does not exist.`);
    db.delete(runSegments).where(eq(runSegments.runId, runId)).run();
    if (result.segments.length > 0) {
      db.insert(runSegments).values(segmentRowsOf(runId, result.segments)).run();
    }
    const blobs = assignmentBlobs(result);
    db.insert(assignments)
      .values({ runId, ...blobs })
      .onConflictDoUpdate({ target: assignments.runId, set: blobs })
      .run();
  });

  return {
    async startRun({ channelId, datasetId, userId, params }) {
      const dataset = db
        .select({ id: datasets.id })
        .from(datasets)
        .where(and(eq(datasets.id, datasetId), eq(datasets.channelId, channelId)))
        .get();
      if (!dataset) throw new NotFoundError(`Dataset ${datasetId} is not in this channel.`);
      const [row] = db
        .insert(runs)
        .values({ channelId, datasetId, userId, status: 'running', params, createdAt: now() })
        .returning({ id: runs.id })
        .all();
      return getById(row!.id)!;
    },

    async completeRun(runId, result) {
      complete.immediate(runId, result);
      return getById(runId)!;
    },

    async failRun(runId, message) {
      db.update(runs)
        .set({ status: 'failed', error: message, finishedAt: now() })
        .where(eq(runs.id, runId))
        .run();
    },

    async listRuns(channelId, limit = 20) {
      const rows = selectRuns()
        .where(eq(runs.channelId, channelId))
        .orderBy(desc(runs.id))
        .limit(Math.max(1, Math.floor(limit)))
        .all();
      return withSegments(rows);
    },

    async getRun(channelId, runId) {
      const row = selectRuns()
        .where(and(eq(runs.channelId, channelId), eq(runs.id, runId)))
        .get();
      return row ? withSegments([row])[0]! : null;
    },

    async latestRun(channelId, filter = {}) {
      const where = filter.status
        ? and(eq(runs.channelId, channelId), eq(runs.status, filter.status))
        : eq(runs.channelId, channelId);
      const row = selectRuns().where(where).orderBy(desc(runs.id)).limit(1).get();
      return row ? withSegments([row])[0]! : null;
    },

    async previousRun(channelId, runId) {
      const row = selectRuns()
        .where(and(eq(runs.channelId, channelId), eq(runs.status, 'done'), lt(runs.id, runId)))
        .orderBy(desc(runs.id))
        .limit(1)
        .get();
      return row ? withSegments([row])[0]! : null;
    },

    async loadAssignments(runId) {
      const row = db
        .select({ labels: assignments.labels })
        .from(assignments)
        .where(eq(assignments.runId, runId))
        .get();
      if (!row) throw new NotFoundError(`Run ${runId} has no stored segment assignments.`);
      return int32FromBlob(row.labels);
    },

    async loadProjection(runId) {
      const row = db
        .select({ projection: assignments.projection })
        .from(assignments)
        .where(eq(assignments.runId, runId))
        .get();
      return row?.projection ? float32FromBlob(row.projection) : null;
    },
  };
}

/** The run columns a completed result sets (either dialect). */
export function completedRun(result: SegmentationResult, finishedAt: Date) {
  return {
    status: 'done' as const,
    params: result.params,
    k: result.k,
    silhouette: result.silhouette,
    inertia: result.inertia,
    transform: result.transform,
    kSelection: result.kSelection,
    silhouetteSample: result.silhouetteSample,
    pca: { explainedVarianceRatio: result.pca.explainedVarianceRatio, components: result.pca.components },
    error: null,
    finishedAt,
  };
}

/** A result's segments as run_segments rows. */
export function segmentRowsOf(runId: number, segments: readonly Segment[]) {
  return segments.map((s) => ({
    runId,
    segmentIndex: s.index,
    name: s.name,
    persona: s.persona,
    size: s.size,
    share: s.share,
    profile: s.profile,
    traits: s.traits,
    actions: s.actions,
    centroid: s.centroid,
  }));
}

/** Labels and projection as the bytes of their typed arrays. */
export function assignmentBlobs(result: SegmentationResult): { labels: Buffer; projection: Buffer } {
  const { labels } = result;
  const { projection } = result.pca;
  return {
    labels: Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength),
    projection: Buffer.from(projection.buffer, projection.byteOffset, projection.byteLength),
  };
}

/** Gives each run its segments from run_segments rows (ordered by run, then index). */
export function attachSegments<R extends { id: number }>(
  rows: R[],
  segmentRows: readonly ReturnType<typeof segmentRowsOf>[number][],
): (R & { segments: Segment[] })[] {
  const byRun = new Map<number, Segment[]>();
  for (const s of segmentRows) {
    const list = byRun.get(s.runId) ?? [];
    list.push({
      index: s.segmentIndex,
      name: s.name,
      persona: s.persona,
      size: s.size,
      share: s.share,
      profile: s.profile,
      traits: s.traits,
      actions: s.actions,
      centroid: s.centroid,
    });
    byRun.set(s.runId, list);
  }
  return rows.map((r) => ({ ...r, segments: byRun.get(r.id) ?? [] }));
}

/** A Float32Array over a blob's bytes; copies when the bytes are not 4-byte aligned. */
export function float32FromBlob(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(new Uint8Array(bytes).buffer);
}

/** An Int32Array over a blob's bytes; copies when the bytes are not 4-byte aligned. */
export function int32FromBlob(bytes: Uint8Array): Int32Array {
  if (bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Int32Array(new Uint8Array(bytes).buffer);
}
