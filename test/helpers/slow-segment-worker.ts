/**
 * A segmentation worker entry that never finishes: synchronous work only terminating the thread
 * can stop, standing in for k-means on a table far too large for the time budget.
 */
import { serveRequests } from '../../src/worker-thread.js';

serveRequests<unknown, never>(() => {
  for (;;) {
    // Spins until the job's time budget terminates the worker.
  }
});
