/** The run repository on PostgreSQL (see ../run-store.ts for what each method means). */
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { NotFoundError } from '../../../src/errors.js';
import { inTransaction, type SegbotPgDatabase } from '../../client-pg.js';
import { assignments, datasets, runSegments, runs } from '../../schema-pg.js';
import {
  assignmentBlobs,
  attachSegments,
  completedRun,
  float32FromBlob,
  int32FromBlob,
  type RunRecord,
  type RunStore,
  type RunStoreOptions,
  segmentRowsOf,
} from '../run-store.js';

export function createPgRunStore(database: SegbotPgDatabase, options: RunStoreOptions = {}): RunStore {
  const { db } = database;
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

  const selectRuns = async (where: SQL | undefined, limit: number): Promise<RunRecord[]> => {
    const rows = await db
      .select(runColumns)
      .from(runs)
      .innerJoin(datasets, eq(datasets.id, runs.datasetId))
      .where(where)
      .orderBy(desc(runs.id))
      .limit(limit);
    if (rows.length === 0) return [];
    const segmentRows = await db
      .select()
      .from(runSegments)
      .where(
        inArray(
          runSegments.runId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(runSegments.runId, runSegments.segmentIndex);
    return attachSegments(rows, segmentRows);
  };
  const oneRun = async (where: SQL | undefined) => (await selectRuns(where, 1))[0] ?? null;

  return {
    async startRun({ channelId, datasetId, userId, params }) {
      const dataset = await db
        .select({ id: datasets.id })
        .from(datasets)
        .where(and(eq(datasets.id, datasetId), eq(datasets.channelId, channelId)));
      if (dataset.length === 0) throw new NotFoundError(`Dataset ${datasetId} is not in this channel.`);
      const [row] = await db
        .insert(runs)
        .values({ channelId, datasetId, userId, status: 'running', params, createdAt: now() })
        .returning({ id: runs.id });
      return (await oneRun(eq(runs.id, row!.id)))!;
    },

    async completeRun(runId, result) {
      // Run row, segments and labels commit together or not at all.
      await inTransaction(database, async (tx) => {
        const updated = await tx
          .update(runs)
          .set(completedRun(result, now()))
          .where(eq(runs.id, runId))
          .returning({ id: runs.id });
        if (updated.length === 0) throw new NotFoundError(`Run ${runId} does not exist.`);
        await tx.delete(runSegments).where(eq(runSegments.runId, runId));
        if (result.segments.length > 0)
          await tx.insert(runSegments).values(segmentRowsOf(runId, result.segments));
        const blobs = assignmentBlobs(result);
        await tx
          .insert(assignments)
          .values({ runId, ...blobs })
          .onConflictDoUpdate({ target: assignments.runId, set: blobs });
      });
      return (await oneRun(eq(runs.id, runId)))!;
    },

    async failRun(runId, message) {
      await db
        .update(runs)
        .set({ status: 'failed', error: message, finishedAt: now() })
        .where(eq(runs.id, runId));
    },

    listRuns(channelId, limit = 20) {
      return selectRuns(eq(runs.channelId, channelId), Math.max(1, Math.floor(limit)));
    },

    getRun(channelId, runId) {
      return oneRun(and(eq(runs.channelId, channelId), eq(runs.id, runId)));
    },

    latestRun(channelId, filter = {}) {
      return oneRun(
        filter.status
          ? and(eq(runs.channelId, channelId), eq(runs.status, filter.status))
          : eq(runs.channelId, channelId),
      );
    },

    previousRun(channelId, runId) {
      return oneRun(and(eq(runs.channelId, channelId), eq(runs.status, 'done'), lt(runs.id, runId)));
    },

    async loadAssignments(runId) {
      const [row] = await db
        .select({ labels: assignments.labels })
        .from(assignments)
        .where(eq(assignments.runId, runId));
      if (!row) throw new NotFoundError(`Run ${runId} has no stored segment assignments.`);
      return int32FromBlob(row.labels);
    },

    async loadProjection(runId) {
      const [row] = await db
        .select({ projection: assignments.projection })
        .from(assignments)
        .where(eq(assignments.runId, runId));
      return row?.projection ? float32FromBlob(row.projection) : null;
    },
  };
}
