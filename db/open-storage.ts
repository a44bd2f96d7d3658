/**
 * Opens the storage the configuration names: PostgreSQL when SEGBOT_DATABASE_URL is set, the
 * SQLite file (SEGBOT_DB) otherwise.
 */
import { ConfigError } from '../src/errors.js';
import { openDatabase } from './client.js';
import { openPostgresDatabase, type StorageDatabase } from './client-pg.js';

export async function openStorage(config: {
  databaseUrl: string | undefined;
  dbPath: string;
}): Promise<StorageDatabase> {
  if (!config.databaseUrl) return openDatabase(config.dbPath);
  try {
    return await openPostgresDatabase(config.databaseUrl);
  } catch (error) {
    // The server's reason (refused, unknown host, authentication failed) never contains the URL's
    // password; the URL itself is not repeated.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      'SEGBOT_DATABASE_URL',
      `segbot could not open the PostgreSQL database: ${reason}.`,
      'Check that the server is running and reachable from here, and the user, password and database name in the URL.',
    );
  }
}
