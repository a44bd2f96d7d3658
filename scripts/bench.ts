/**
 * `npm run bench [-- section ...]`: the project's benchmarks. Sections: parse (CSV parser paths),
 * segmentation (first `segbot segment --k 4 --json` against scikit-learn's pipeline on 1M customers,
 * end to end, with their ratio; then every segmentation stage at 10k, 100k and 1M customers,
 * baselines and the scikit-learn side-by-side; `-- segmentation --versus-only` stops after the first), methods (Gaussian mixture beside scikit-learn's, density at 1M),
 * transactions (5,000,000 transaction rows aggregated per customer, beside pandas), forest
 * (propensity forest), storage (a million customers stored, loaded and forgotten on SQLite and on
 * PostgreSQL) and models (predict's boosting, forest and logistic regression beside
 * scikit-learn's gradient boosting and random forest, and the boosting speed check). With no names every section runs.
 * A section whose module is missing or fails is reported and the others still run.
 */
import { readFileSync } from 'node:fs';
import { syntheticCsvFile } from './bench/segmentation.js';

type Section = { name: string; run: () => Promise<void> };

const PARSE_ROWS = 1_000_000;

const SECTIONS: Section[] = [
  {
    name: 'parse',
    run: async () => {
      const { benchParse } = (await import('./bench/parse.js')) as {
        benchParse: (buffer: Buffer) => Promise<{ path: string; ms: number; cpuMs: number; rows: number }[]>;
      };
      const buffer = readFileSync(syntheticCsvFile(PARSE_ROWS));
      console.log(
        `\nparse: synthetic CC GENERAL, ${PARSE_ROWS.toLocaleString('en-US')} rows, ${(buffer.length / 1e6).toFixed(0)} MB`,
      );
      for (const timing of await benchParse(buffer)) {
        console.log(
          `${timing.path.padEnd(32)} ${timing.rows.toLocaleString('en-US').padStart(10)} rows ${timing.ms
            .toFixed(0)
            .padStart(7)} ms wall ${timing.cpuMs.toFixed(0).padStart(7)} ms cpu`,
        );
      }
    },
  },
  {
    name: 'segmentation',
    run: async () => {
      const { benchSegmentation } = (await import('./bench/segmentation.js')) as {
        benchSegmentation: (options: { versusOnly: boolean }) => Promise<void>;
      };
      await benchSegmentation({ versusOnly: process.argv.includes('--versus-only') });
    },
  },
  {
    name: 'methods',
    run: async () => {
      const { benchMethods } = (await import('./bench/methods.js')) as { benchMethods: () => Promise<void> };
      await benchMethods();
    },
  },
  {
    name: 'transactions',
    run: async () => {
      const { benchTransactions } = (await import('./bench/transactions.js')) as {
        benchTransactions: () => Promise<void>;
      };
      await benchTransactions();
    },
  },
  {
    name: 'forest',
    run: async () => {
      const { benchForest } = (await import('./bench/forest.js')) as { benchForest: () => Promise<void> };
      await benchForest();
    },
  },
  {
    name: 'storage',
    run: async () => {
      const { benchStorage } = (await import('./bench/storage.js')) as { benchStorage: () => Promise<void> };
      await benchStorage();
    },
  },
  {
    name: 'models',
    run: async () => {
      const { benchModels } = (await import('./bench/models.js')) as { benchModels: () => Promise<void> };
      await benchModels();
    },
  },
];

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(
      `Unknown bench section(s): ${unknown.join(', ')}. Known: ${SECTIONS.map((s) => s.name).join(', ')}.`,
    );
    process.exitCode = 2;
    return;
  }
  const chosen = requested.length === 0 ? SECTIONS : SECTIONS.filter((s) => requested.includes(s.name));
  const started = performance.now();
  const failed: string[] = [];
  for (const section of chosen) {
    const start = performance.now();
    try {
      await section.run();
      console.log(`[${section.name}] done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed.push(section.name);
      const message = error instanceof Error ? error.message : String(error);
      console.log(`[${section.name}] not run: ${message.split('\n')[0]}`);
    }
  }
  console.log(
    `\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s${
      failed.length > 0 ? `; sections not run: ${failed.join(', ')}` : ''
    }`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
