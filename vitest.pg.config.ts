import { defineConfig } from 'vitest/config';

// `npm run test:pg`: the suites that need a real PostgreSQL server (SEGBOT_TEST_DATABASE_URL).
// `.ci/run` starts one; `npm test` leaves them out, so it passes on a machine without PostgreSQL.
// The repository tests and most e2e suites run here a second time, on PostgreSQL (SEGBOT_TEST_BACKENDS).
export default defineConfig({
  test: {
    include: [
      'test/pg/**/*.test.ts',
      'test/unit/db/*-store.test.ts',
      'test/unit/db/forget-channel.test.ts',
      'test/e2e/campaign.test.ts',
      'test/e2e/two-instances.test.ts',
      // The app end to end over PostgreSQL: every e2e suite on the harness except those that read
      // the SQLite file itself (digest, job-log-privacy) or start processes on their own database.
      'test/e2e/commands.test.ts',
      'test/e2e/data-limits.test.ts',
      'test/e2e/hostile-requests.test.ts',
      'test/e2e/hostile-text.test.ts',
      'test/e2e/interactive-campaign.test.ts',
      'test/e2e/interactive.test.ts',
      'test/e2e/job-budget.test.ts',
      'test/e2e/predict.test.ts',
      'test/e2e/pull.test.ts',
      'test/e2e/report.test.ts',
      'test/e2e/request-signing.test.ts',
      'test/e2e/rfm-campaign-report.test.ts',
      'test/e2e/rfm-crosssell.test.ts',
      'test/e2e/run-comparison.test.ts',
      'test/e2e/security.test.ts',
      'test/e2e/segment-methods.test.ts',
      'test/e2e/slack-faults.test.ts',
    ],
    env: { SEGBOT_TEST_BACKENDS: 'postgres' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
