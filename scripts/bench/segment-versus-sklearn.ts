/**
 * The head-to-head a user sees: `segbot segment --k 4 --json` on a million generated customers,
 * beside scikit-learn's pipeline on the same file (pandas read_csv, median imputation,
 * StandardScaler, KMeans(4, n_init=1)), each a fresh process timed wall clock from start to exit,
 * and their ratio. segbot runs as a user runs it, the built `segbot` command (dist/, built first).
 * The load average and each process's CPU time are printed beside the wall clock, as the machine
 * may be shared: under load the wall clocks stretch, the CPU times much less.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';

export interface VersusOptions {
  root: string;
  csvPath: string;
  rows: number;
  k: number;
  seed: number;
}

interface Run {
  ms: number;
  /** User + system CPU time of the process, when /usr/bin/time could measure it. */
  cpuMs: number | null;
  peakMb: number | null;
  load: string;
  stdout: string;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Runs a command to completion, wall-clock timed here and its peak memory read by /usr/bin/time. */
function timedRun(command: string, args: string[], cwd: string): Run {
  const before = load();
  const timeBin = '/usr/bin/time';
  const useTime = existsSync(timeBin);
  const started = performance.now();
  const result = useTime
    ? spawnSync(timeBin, ['-f', 'TIME %M %U %S', command, ...args], {
        cwd,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      })
    : spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    const reason = (result.stderr ?? '')
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('TIME'))[0];
    throw new Error(`${command} exited with ${result.status}: ${(reason ?? 'unknown error').slice(0, 200)}`);
  }
  const measured = /TIME (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr ?? '');
  return {
    ms,
    cpuMs: measured ? (Number(measured[2]) + Number(measured[3])) * 1000 : null,
    peakMb: measured ? Math.round(Number(measured[1]) / 1024) : null,
    load: before,
    stdout: result.stdout,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (run: Run) =>
  `${run.cpuMs === null ? '' : `, CPU ${seconds(run.cpuMs)}`}${run.peakMb === null ? '' : `, peak ${run.peakMb} MB`}`;

/** Prints the two wall clocks, their ratio and both inertias. */
export function benchVersusSklearn(options: VersusOptions): void {
  const { root, csvPath, rows, k, seed } = options;
  const count = rows.toLocaleString('en-US');
  console.log(`\n--- head to head: ${count} customers, k=${k}, seed ${seed}, each a fresh process ---`);
  const dir = mkdtempSync(join(tmpdir(), 'segbot-versus-'));
  try {
    const jsonPath = join(dir, 'out.json');
    // The built command, as `npm install` leaves it (package.json "bin"), so no TypeScript
    // transpiling is timed: built first, so the timed code is this checkout's.
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`npm run build exited with ${build.status}`);
    const segbot = timedRun(
      process.execPath,
      [
        join(root, 'dist/src/cli.js'),
        'segment',
        csvPath,
        '--k',
        String(k),
        '--seed',
        String(seed),
        '--json',
        jsonPath,
      ],
      root,
    );
    const result = JSON.parse(readFileSync(jsonPath, 'utf8')) as { inertia: number; assignments: unknown[] };
    console.log(
      `segbot segment --k ${k} --json          ${seconds(segbot.ms).padStart(9)}  (load ${segbot.load}${mb(segbot)}; ` +
        `inertia ${result.inertia.toFixed(1)} on its features, skewed amounts log1p'd; ${result.assignments.length.toLocaleString('en-US')} assignments written)`,
    );
    if (!existsSync(PYTHON)) {
      console.log(
        `  (scikit-learn skipped: ${PYTHON} not found; apt-get install python3-sklearn python3-pandas)`,
      );
      return;
    }
    const sklearn = timedRun(
      PYTHON,
      [join(root, 'scripts/sklearn/segment_pipeline.py'), csvPath, String(k), String(seed)],
      root,
    );
    const fields = Object.fromEntries(
      [...sklearn.stdout.matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]),
    );
    console.log(
      `scikit-learn pipeline (KMeans n_init=1) ${seconds(sklearn.ms).padStart(9)}  (load ${sklearn.load}${mb(sklearn)}; ` +
        `inertia ${fields.inertia?.toFixed(1)} on unlogged features; import ${fields.import_ms} ms, read_csv ${fields.read_ms} ms, ` +
        `impute + scale ${fields.preprocess_ms} ms, KMeans ${fields.kmeans_ms} ms)`,
    );
    const cpuRatio =
      segbot.cpuMs !== null && sklearn.cpuMs !== null
        ? `; CPU time ${(segbot.cpuMs / sklearn.cpuMs).toFixed(2)}`
        : '';
    console.log(`ratio segbot / scikit-learn: wall clock ${(segbot.ms / sklearn.ms).toFixed(2)}${cpuRatio}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
