import { defineConfig } from 'vitest/config';

// `npm run test:pg`: the suites that need a real PostgreSQL server (SEGBOT_TEST_DATABASE_URL).
// `.ci/run` starts one; `npm test` leaves them out, so it passes on a machine without PostgreSQL.
export default defineConfig({
  test: {
    include: ['test/pg/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
