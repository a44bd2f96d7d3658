/**
 * The `segbot` command dispatcher: picks the subcommand, runs it, and turns every failure into a
 * message and an exit code (2 for input the user can fix, 1 for anything else), never a stack trace.
 */
import { isSegbotError, userMessage } from '../errors.js';
import type { CliIo } from './io.js';

export const USAGE = `segbot: customer segmentation and campaign targeting

Usage:
  segbot segment <customers.csv> [--k auto|N] [--seed S] [--features a,b] [--log auto|none] [--json out.json]
  segbot predict ...      predict product uptake (see segbot predict --help)
  segbot rfm <transactions.csv> [--as-of YYYY-MM-DD] [--json out.json]
                          RFM scores and named segments of a transaction file
  segbot crosssell <customers.csv> [--json out.json]
                          products per customer, co-holding lift and next-best products
  segbot report <result.json|customers.csv> [--out deck.pptx]
                          write a stakeholder deck (PowerPoint, and a PDF beside it)
  segbot campaign new|results ...
                          audience with a held-back control group, and its lift (see --help)
  segbot pull <source> [--out customers.csv]
                          read a configured data source (PostgreSQL, Parquet, CSV) into a CSV
  segbot sample [--rows N] [--seed S] [--products] [--out file.csv]
                          write generated sample customers to try segbot with
  segbot start            start the Slack bot
  segbot help             show this help
  segbot --version        show the version

Run \`segbot <command> --help\` for a command's options.
`;

/** Exit codes: 0 success, 1 unexpected failure, 2 bad input or usage. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

type Command = (args: string[], io: CliIo) => Promise<number>;

// Subcommands load lazily so `segbot segment` never pays for the Slack stack and vice versa.
const COMMANDS: Record<string, Command> = {
  segment: async (args, io) => (await import('./segment.js')).runSegment(args, io),
  predict: async (args, io) => {
    const [{ runPredict }, { createForestPool }] = await Promise.all([
      import('./predict.js'),
      import('../jobs/forest-pool.js'),
    ]);
    // The forest's trees grow on worker threads; the pool's idle threads end with the command.
    const pool = createForestPool();
    try {
      return await runPredict(args, io, pool);
    } finally {
      await pool.close();
    }
  },
  rfm: async (args, io) => (await import('./rfm.js')).runRfm(args, io),
  crosssell: async (args, io) => (await import('./crosssell.js')).runCrosssell(args, io),
  report: async (args, io) => (await import('./report.js')).runReport(args, io),
  sample: async (args, io) => (await import('./sample.js')).runSample(args, io),
  pull: async (args, io) => (await import('./pull.js')).runPull(args, io),
  campaign: async (args, io) => (await import('./campaign.js')).runCampaign(args, io),
  start: async (args, io) => {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(
        'Usage: segbot start\n\nStarts the Slack bot with the settings from the environment (and .env).\n',
      );
      return EXIT.ok;
    }
    const { startSegbot, withDotEnv } = await import('../main.js');
    const running = await startSegbot(withDotEnv(io.env ?? process.env));
    await running.done;
    return EXIT.ok;
  },
};

/** Runs the CLI with the given arguments (without `node` and the script path); returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`${io.version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`Unknown command "${name}".\n\n${USAGE}`);
    return EXIT.badInput;
  }
  try {
    return await command(args, io);
  } catch (error) {
    // The engine's hints speak to Slack users ("…, then upload again"); here the file is re-read by
    // running the command again.
    io.stderr(`${userMessage(error).replace(/\bupload again\b/g, 'run the command again')}\n`);
    return isSegbotError(error) ? EXIT.badInput : EXIT.failure;
  }
}
