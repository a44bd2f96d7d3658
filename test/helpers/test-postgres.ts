/**
 * PostgreSQL for the `npm run test:pg` suites: the server in SEGBOT_TEST_DATABASE_URL (`.ci/run`
 * starts one), and a schema of its own for every database a test opens, dropped when it closes,
 * so tests running side by side never see each other's rows.
 */
import pg from 'pg';
import { openPostgresDatabase, type SegbotPgDatabase } from '../../db/client-pg.js';

let opened = 0;

/** The test server's URL; fails (never skips) when it is not set. */
export function testDatabaseUrl(): string {
  const url = process.env.SEGBOT_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'SEGBOT_TEST_DATABASE_URL is not set. `npm run test:pg` needs a PostgreSQL server: run `.ci/run`, or start one and set SEGBOT_TEST_DATABASE_URL=postgres://user@127.0.0.1:5432/postgres.',
    );
  }
  return url;
}

/** A migrated segbot database in a fresh schema; `close()` drops the schema and its data. */
export async function openTestPostgres(): Promise<SegbotPgDatabase> {
  const url = testDatabaseUrl();
  opened += 1;
  const schema = `segbot_test_${process.pid}_${opened}_${Date.now().toString(36)}`;
  const database = await openPostgresDatabase(url, { schema, maxConnections: 4 });
  const close = database.close;
  let dropped: Promise<void> | null = null;
  return {
    ...database,
    close() {
      dropped ??= (async () => {
        await close();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await admin.end();
        }
      })();
      return dropped;
    },
  };
}
