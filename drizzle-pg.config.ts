import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate --config drizzle-pg.config.ts` turns changes in db/schema-pg.ts into a
// new SQL migration in db/migrations-pg, the PostgreSQL twin of db/migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg.ts',
  out: './db/migrations-pg',
});
