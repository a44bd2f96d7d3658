/**
 * Worker-thread entry: runs segmentCustomers off the main thread, so the bot keeps acknowledging
 * commands (and its progress messages keep moving) while a large file is segmented.
 *
 * Protocol: the parent sends { ingest, options } once; the worker answers with any number of
 * { type: 'stage' } messages, then one { type: 'done', result } or { type: 'error', error }.
 */
import { parentPort } from 'node:worker_threads';
import { segmentCustomers } from '../analytics/segment/segment-customers.js';
import type { IngestResult, SegmentOptions } from '../analytics/types.js';
import { serializeError } from './serialize-error.js';

if (parentPort) {
  const port = parentPort;
  port.once('message', (message: { ingest: IngestResult; options: Omit<SegmentOptions, 'onStage'> }) => {
    try {
      const result = segmentCustomers(message.ingest, {
        ...message.options,
        onStage: (stage) => port.postMessage({ type: 'stage', stage }),
      });
      // The big typed arrays move instead of being copied.
      port.postMessage({ type: 'done', result }, [
        result.labels.buffer,
        result.pca.projection.buffer,
      ] as ArrayBuffer[]);
    } catch (error) {
      port.postMessage({ type: 'error', error: serializeError(error) });
    }
  });
}
