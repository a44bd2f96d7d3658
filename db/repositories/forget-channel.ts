/**
 * `/segbot forget`: removes everything a channel stored about customers.
 */
import { type DatabaseHandle, resolveHandle } from '../client.js';

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
 * Deletes a channel's datasets (with their columns and customer index), runs (with segments and
 * assignments), models, campaigns (with their assignments), suppression list, change threads and digest ledger, and clears the error texts of its jobs, in
 * one transaction, and returns the counts. Settings that hold no customer data (schedule, alert
 * threshold, channel permission) stay.
 */
export function forgetChannel(handle: DatabaseHandle, channelId: string): ForgetCounts {
  const { sqlite } = resolveHandle(handle);
  // Children are deleted explicitly (not left to ON DELETE CASCADE) so the counts are exact and the
  // result does not depend on the connection's foreign_keys setting.
  const run = (statement: string) => sqlite.prepare(statement).run(channelId).changes;
  const erase = sqlite.transaction((): ForgetCounts => {
    const changeThreads = run('DELETE FROM change_threads WHERE channel_id = ?');
    run('DELETE FROM campaign_members WHERE campaign_id IN (SELECT id FROM campaigns WHERE channel_id = ?)');
    const campaigns = run('DELETE FROM campaigns WHERE channel_id = ?');
    const suppressionEntries = run('DELETE FROM suppression_entries WHERE channel_id = ?');
    const digests = run('DELETE FROM digest_ledger WHERE channel_id = ?');
    run('DELETE FROM assignments WHERE run_id IN (SELECT id FROM runs WHERE channel_id = ?)');
    run('DELETE FROM run_segments WHERE run_id IN (SELECT id FROM runs WHERE channel_id = ?)');
    const runs = run('DELETE FROM runs WHERE channel_id = ?');
    const models = run('DELETE FROM models WHERE channel_id = ?');
    const customers = run(
      'DELETE FROM customers WHERE dataset_id IN (SELECT id FROM datasets WHERE channel_id = ?)',
    );
    run('DELETE FROM dataset_columns WHERE dataset_id IN (SELECT id FROM datasets WHERE channel_id = ?)');
    const datasets = run('DELETE FROM datasets WHERE channel_id = ?');
    // Error texts name lines and columns, not values; cleared anyway, so nothing about the data stays.
    const jobErrors = run('UPDATE jobs SET error = NULL WHERE channel_id = ? AND error IS NOT NULL');
    return {
      datasets,
      customers,
      runs,
      models,
      changeThreads,
      digests,
      campaigns,
      suppressionEntries,
      jobErrors,
    };
  });
  return erase.immediate();
}
