/**
 * The jobs table of a SQLite test database read synchronously, newest first, for checks inside
 * the emulator's `waitFor` (which polls a plain function).
 */
import { desc, eq } from 'drizzle-orm';
import type { SegbotDatabase } from '../../db/client.js';
import type { JobRecord } from '../../db/repositories/job-store.js';
import { jobs } from '../../db/schema.js';

export function jobRows(database: SegbotDatabase, channelId?: string): JobRecord[] {
  const query = database.db.select().from(jobs);
  return (channelId === undefined ? query : query.where(eq(jobs.channelId, channelId)))
    .orderBy(desc(jobs.id))
    .all();
}
