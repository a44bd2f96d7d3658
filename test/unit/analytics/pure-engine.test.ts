import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The analytics core is pure: it takes arrays and options and returns results. It never starts
 * threads, reads the machine or the file system, or talks to a database or Slack; the layers around
 * it (jobs, db, slack, the CLI) do that and hand it what it needs.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ENGINE = join(ROOT, 'src/analytics');

/** Packages the engine may not import (by name or name prefix). */
const FORBIDDEN_PACKAGES = [
  'node:worker_threads',
  'worker_threads',
  'node:os',
  'os',
  'node:fs',
  'fs',
  'node:fs/promises',
  'node:child_process',
  'better-sqlite3',
  'drizzle-orm',
  'pg',
  '@duckdb/',
  '@slack/',
];
/** Project folders and modules the engine may not import. */
const FORBIDDEN_PATHS = [
  'db/',
  'src/slack/',
  'src/jobs/',
  'src/event-loop.ts',
  'src/worker-thread.ts',
  'commands/',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier in a file: static imports and re-exports, dynamic imports, requires. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function violation(file: string, specifier: string): string | null {
  if (specifier.startsWith('.')) {
    const target = relative(ROOT, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts');
    return FORBIDDEN_PATHS.some((path) => target === path || target.startsWith(path)) ? target : null;
  }
  const forbidden = FORBIDDEN_PACKAGES.some((name) =>
    name.endsWith('/') ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`),
  );
  return forbidden ? specifier : null;
}

describe('the analytics engine', () => {
  it('imports no threads, machine, file system, database, Slack, jobs or event loop', () => {
    const files = sourceFiles(ENGINE);
    expect(files.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const file of files) {
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        const bad = violation(file, specifier);
        if (bad) problems.push(`${relative(ROOT, file)} imports ${bad}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('would notice a forbidden import', () => {
    const file = join(ENGINE, 'predict/example.ts');
    const source = [
      "import { Worker } from 'node:worker_threads';",
      "import type { App } from '@slack/bolt';",
      "export { x } from '../../jobs/job-queue.js';",
      "const db = await import('../../../db/client.js');",
      "import { rng } from '../rng.js';",
    ].join('\n');
    const found = specifiers(source)
      .map((specifier) => violation(file, specifier))
      .filter((bad) => bad !== null);
    expect(found).toEqual(['node:worker_threads', '@slack/bolt', 'src/jobs/job-queue.ts', 'db/client.ts']);
  });
});
