import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` turns changes in db/schema.ts into a new SQL migration in db/migrations.
// A default export is what drizzle-kit reads, hence the exception to the named-exports rule.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
