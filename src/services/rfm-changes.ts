/**
 * The channel's RFM picture for digests and change threads: when its latest dataset holds
 * recency, frequency and monetary value per customer (a transaction upload), the named RFM
 * segments now and, against the channel's previous such upload, how they changed.
 */
import type { DatasetRecord, DatasetStore } from '../../db/repositories/dataset-store.js';
import { compareRfm, type RfmChange, type RfmSnapshot } from '../analytics/rfm/compare-rfm.js';
import type { RfmSegment } from '../analytics/rfm/score-rfm.js';
import { AGGREGATE_COLUMNS } from '../analytics/transactions/aggregate-transactions.js';
import { analyseRfmTable } from './rfm-analysis.js';

export interface ChannelRfm {
  datasetVersion: number;
  fileName: string;
  /** Current RFM segments, largest revenue first. */
  segments: RfmSegment[];
  /** The previous upload with RFM columns, and the change since it; null when there is none. */
  previousVersion: number | null;
  change: RfmChange | null;
}

const NEEDS = [AGGREGATE_COLUMNS.recency, AGGREGATE_COLUMNS.frequency, AGGREGATE_COLUMNS.monetary];

/** Whether a dataset holds what RFM scoring reads (an aggregated transaction upload does). */
export function hasRfmColumns(dataset: Pick<DatasetRecord, 'schema'>): boolean {
  const names = new Set(dataset.schema.columns.map((c) => c.name));
  return NEEDS.every((name) => names.has(name));
}

/** The channel's RFM segments and their change, or null when its latest dataset has no RFM columns. */
export async function channelRfm(
  datasets: Pick<DatasetStore, 'listDatasets' | 'loadTable'>,
  channelId: string,
): Promise<ChannelRfm | null> {
  // Newest first.
  const [latest, ...older] = await datasets.listDatasets(channelId);
  if (!latest || !hasRfmColumns(latest)) return null;
  const score = async (dataset: DatasetRecord) => {
    const analysis = analyseRfmTable(await datasets.loadTable(dataset.id), dataset.schema.idColumn);
    const snapshot: RfmSnapshot = { customerIds: analysis.input.customerIds, names: analysis.result.names };
    return { analysis, snapshot };
  };
  const now = await score(latest);
  const previous = older.find(hasRfmColumns) ?? null;
  return {
    datasetVersion: latest.version,
    fileName: latest.fileName,
    segments: now.analysis.result.segments,
    previousVersion: previous?.version ?? null,
    change: previous ? compareRfm((await score(previous)).snapshot, now.snapshot) : null,
  };
}
