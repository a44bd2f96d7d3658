import { defineConfig } from 'vitest/config';

// `npm run test:pg`: the suites that need a real PostgreSQL server (SEGBOT_TEST_DATABASE_URL).
// `.ci/run` starts one; `npm test` leaves them out, so it passes on a machine without PostgreSQL.
// The repository tests run here a second time, on PostgreSQL (SEGBOT_TEST_BACKENDS).
export default defineConfig({
  test: {
    include: [
      'test/pg/**/*.test.ts',
      'test/unit/db/*-store.test.ts',
      'test/unit/db/forget-channel.test.ts',
      'test/e2e/campaign.test.ts',
      'test/e2e/two-instances.test.ts',
    ],
    env: { SEGBOT_TEST_BACKENDS: 'postgres' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
