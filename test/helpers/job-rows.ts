/**
 * The jobs table of a test database, newest first: on SQLite also synchronously (`jobRows`), for
 * checks inside a child process's plain polling loop.
 */
import { desc, eq } from 'drizzle-orm';
import type { SegbotDatabase } from '../../db/client.js';
import { isPostgres, type StorageDatabase } from '../../db/client-pg.js';
import type { JobRecord } from '../../db/repositories/job-store.js';
import { jobs } from '../../db/schema.js';
import { jobs as pgJobs } from '../../db/schema-pg.js';

export function jobRows(database: SegbotDatabase, channelId?: string): JobRecord[] {
  const query = database.db.select().from(jobs);
  return (channelId === undefined ? query : query.where(eq(jobs.channelId, channelId)))
    .orderBy(desc(jobs.id))
    .all();
}

/** The jobs table on either back end, newest first. */
export async function jobRowsOf(database: StorageDatabase, channelId?: string): Promise<JobRecord[]> {
  if (!isPostgres(database)) return jobRows(database, channelId);
  const query = database.db.select().from(pgJobs);
  return (channelId === undefined ? query : query.where(eq(pgJobs.channelId, channelId))).orderBy(
    desc(pgJobs.id),
  );
}
