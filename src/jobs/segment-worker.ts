/**
 * Worker-thread entry: runs segmentCustomers off the main thread, so the bot keeps acknowledging
 * commands (and its progress messages keep moving) while a large file is segmented. Each stage is
 * reported as progress.
 */
import { segmentCustomers } from '../analytics/segment/segment-customers.js';
import type { IngestResult, SegmentationResult, SegmentOptions, SegmentStage } from '../analytics/types.js';
import { serveRequests } from '../worker-thread.js';

export interface SegmentRequest {
  ingest: IngestResult;
  /** Functions do not cross a thread boundary: progress comes back as messages, time is the worker's own. */
  options: Omit<SegmentOptions, 'onStage' | 'clock'>;
}

serveRequests<SegmentRequest, SegmentationResult, SegmentStage>((request, context) => {
  const result = segmentCustomers(request.ingest, {
    ...request.options,
    onStage: (stage) => context.progress(stage),
  });
  // The big typed arrays move instead of being copied.
  return { value: result, transfer: [result.labels.buffer, result.pca.projection.buffer] as ArrayBuffer[] };
});
