/**
 * `/segbot forget`: removes everything a channel stored about customers.
 */
import { resolveHandle } from '../client.js';
import { inTransaction, isPostgres, type StorageHandle } from '../client-pg.js';

/** How many of each thing was deleted. */
export interface ForgetCounts {
  datasets: number;
  /** Customer rows across the deleted datasets. */
  customers: number;
  runs: number;
  models: number;
  changeThreads: number;
  digests: number;
  /** Campaigns, with their assignments and results. */
  campaigns: number;
  /** Ids on the channel's suppression list. */
  suppressionEntries: number;
  /** Failed jobs whose error text was cleared (the job log keeps that a job ran, not why it failed). */
  jobErrors: number;
}

/**
 * The statements of a forget, in order (children before parents), each with the count it gives.
 * Children are deleted explicitly (not left to ON DELETE CASCADE) so the counts are exact and the
 * result does not depend on the connection's foreign_keys setting. The same SQL runs on SQLite
 * and PostgreSQL (`?` becomes `$1` there).
 */
const FORGET_STATEMENTS: readonly (readonly [string, keyof ForgetCounts | null])[] = [
  ['DELETE FROM change_threads WHERE channel_id = ?', 'changeThreads'],
  ['DELETE FROM campaign_members WHERE campaign_id IN (SELECT id FROM campaigns WHERE channel_id = ?)', null],
  ['DELETE FROM campaigns WHERE channel_id = ?', 'campaigns'],
  ['DELETE FROM suppression_entries WHERE channel_id = ?', 'suppressionEntries'],
  ['DELETE FROM digest_ledger WHERE channel_id = ?', 'digests'],
  ['DELETE FROM assignments WHERE run_id IN (SELECT id FROM runs WHERE channel_id = ?)', null],
  ['DELETE FROM run_segments WHERE run_id IN (SELECT id FROM runs WHERE channel_id = ?)', null],
  ['DELETE FROM runs WHERE channel_id = ?', 'runs'],
  ['DELETE FROM models WHERE channel_id = ?', 'models'],
  ['DELETE FROM customers WHERE dataset_id IN (SELECT id FROM datasets WHERE channel_id = ?)', 'customers'],
  ['DELETE FROM dataset_columns WHERE dataset_id IN (SELECT id FROM datasets WHERE channel_id = ?)', null],
  ['DELETE FROM datasets WHERE channel_id = ?', 'datasets'],
  // Error texts name lines and columns, not values; cleared anyway, so nothing about the data stays.
  ['UPDATE jobs SET error = NULL WHERE channel_id = ? AND error IS NOT NULL', 'jobErrors'],
];

/**
 * Deletes a channel's datasets (with their columns and customer index), runs (with segments and
 * assignments), models, campaigns (with their assignments), suppression list, change threads and
 * digest ledger, and clears the error texts of its jobs, in one transaction, and returns the counts. Settings that hold no customer data (schedule, alert
 * threshold, channel permission) stay.
 */
export async function forgetChannel(handle: StorageHandle, channelId: string): Promise<ForgetCounts> {
  if (isPostgres(handle)) {
    return inTransaction(handle, async (_tx, client) => {
      const counts: Partial<ForgetCounts> = {};
      for (const [statement, key] of FORGET_STATEMENTS) {
        const changes = (await client.query(statement.replaceAll('?', '$1'), [channelId])).rowCount ?? 0;
        if (key) counts[key] = changes;
      }
      return counts as ForgetCounts;
    });
  }
  const { sqlite } = resolveHandle(handle);
  return sqlite
    .transaction((): ForgetCounts => {
      const counts: Partial<ForgetCounts> = {};
      for (const [statement, key] of FORGET_STATEMENTS) {
        const changes = sqlite.prepare(statement).run(channelId).changes;
        if (key) counts[key] = changes;
      }
      return counts as ForgetCounts;
    })
    .immediate();
}
