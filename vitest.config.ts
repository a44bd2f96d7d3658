import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The PostgreSQL suites run with `npm run test:pg` (vitest.pg.config.ts), against a real server.
    exclude: [...configDefaults.exclude, 'test/pg/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `npm run coverage` only; `npm test` stays fast.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'commands/**/*.ts', 'db/**/*.ts', 'charts/**/*.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage',
    },
  },
});
