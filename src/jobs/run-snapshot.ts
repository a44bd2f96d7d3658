/**
 * Turns stored runs into what the comparison needs: segments, each customer's segment and the
 * customer ids of the dataset the run used.
 */
import { customerIdsOf, type DatasetStore } from '../../db/repositories/dataset-store.js';
import type { RunRecord, RunStore } from '../../db/repositories/run-store.js';
import type { RunSnapshot } from '../analytics/compare/compare-runs.js';
import { NotFoundError } from '../errors.js';

export interface SnapshotLoader {
  /** The comparison input for a completed run of the channel. */
  load(run: RunRecord): Promise<RunSnapshot>;
  /** The customer ids of a dataset, in row order (cached: a digest and its thread reuse them). */
  customerIds(channelId: string, datasetId: number): Promise<readonly string[]>;
}

// A digest and the thread questions after it touch two datasets; a few more cover a busy channel.
const CACHED_DATASETS = 4;

/** Creates a snapshot loader over the run and dataset stores. */
export function createSnapshotLoader(stores: { runs: RunStore; datasets: DatasetStore }): SnapshotLoader {
  const cache = new Map<number, readonly string[]>();

  const customerIds = async (channelId: string, datasetId: number): Promise<readonly string[]> => {
    const cached = cache.get(datasetId);
    if (cached) {
      cache.delete(datasetId);
      cache.set(datasetId, cached);
      return cached;
    }
    const dataset = await stores.datasets.getDataset(channelId, datasetId);
    if (!dataset) throw new NotFoundError(`Dataset ${datasetId} is not in this channel any more.`);
    const table = await stores.datasets.loadTable(dataset.id);
    const ids = customerIdsOf({ table, schema: dataset.schema, quality: dataset.quality });
    cache.set(datasetId, ids);
    while (cache.size > CACHED_DATASETS) cache.delete(cache.keys().next().value as number);
    return ids;
  };

  return {
    customerIds,
    async load(run) {
      if (run.status !== 'done' || !run.transform) {
        throw new NotFoundError(`Run #${run.id} has not finished, so it cannot be compared.`);
      }
      return {
        runId: run.id,
        transform: run.transform,
        segments: run.segments,
        labels: await stores.runs.loadAssignments(run.id),
        customerIds: await customerIds(run.channelId, run.datasetId),
      };
    },
  };
}
