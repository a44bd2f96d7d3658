/**
 * The segmentation use case: start a run, load the dataset's table, segment it, then complete the
 * run or mark it failed. `/segbot segment` and the digest's re-run on a new upload both go through
 * here, so a run is recorded the same way whoever asks for it.
 */
import type { DatasetRecord, DatasetStore } from '../../db/repositories/dataset-store.js';
import type { RunRecord, RunStore } from '../../db/repositories/run-store.js';
import type { RunParams } from '../../db/schema.js';
import type { IngestResult, SegmentationResult, SegmentOptions, SegmentStage } from '../analytics/types.js';
import { storedErrorText } from '../errors.js';

/** What running a segmentation needs. */
export interface SegmentationDeps {
  datasets: Pick<DatasetStore, 'loadTable'>;
  runs: Pick<RunStore, 'startRun' | 'completeRun' | 'failRun'>;
  /** The engine; the app runs it in a worker thread. */
  segmentCustomers(
    ingest: IngestResult,
    options: SegmentOptions,
    signal?: AbortSignal,
  ): SegmentationResult | Promise<SegmentationResult>;
}

export interface SegmentationRequest {
  channelId: string;
  userId: string;
  dataset: DatasetRecord;
  params: RunParams;
  /** Follows the engine's stages (for a progress message). */
  onStage?: (stage: SegmentStage) => void;
  /** Stops the engine (a time budget, a shutdown); the run is then recorded failed. */
  signal?: AbortSignal;
  /**
   * How a failure reads to the person who asked. The caller decides (and logs it), so this module
   * needs nothing from Slack. The run itself stores `storedErrorText`, which never quotes values.
   */
  failureText(error: unknown): string;
}

export type SegmentationOutcome =
  | { status: 'done'; run: RunRecord; result: SegmentationResult }
  /** `runId` is null when the run could not even be recorded. */
  | { status: 'failed'; runId: number | null; error: unknown; message: string };

/** Segments `dataset` as a recorded run; never throws (a failure is an outcome, recorded on the run). */
export async function runSegmentation(
  deps: SegmentationDeps,
  request: SegmentationRequest,
): Promise<SegmentationOutcome> {
  const { channelId, userId, dataset, params } = request;
  let run: RunRecord | null = null;
  try {
    run = await deps.runs.startRun({ channelId, datasetId: dataset.id, userId, params });
    const table = await deps.datasets.loadTable(dataset.id);
    const result = await deps.segmentCustomers(
      { table, schema: dataset.schema, quality: dataset.quality },
      { ...params, ...(request.onStage ? { onStage: request.onStage } : {}) },
      request.signal,
    );
    return { status: 'done', run: await deps.runs.completeRun(run.id, result), result };
  } catch (error) {
    const message = request.failureText(error);
    if (run) await deps.runs.failRun(run.id, storedErrorText(error));
    return { status: 'failed', runId: run?.id ?? null, error, message };
  }
}
