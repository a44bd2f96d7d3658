#!/usr/bin/env node
/**
 * The `segbot` command. Everything happens in `runCli`; this file only connects it to the real
 * process (arguments, streams, files, exit code).
 */
import { nodeIo } from './cli/io.js';
import { runCli } from './cli/run-cli.js';

const argv = process.argv.slice(2);
const code = await runCli(argv, nodeIo());
// A stopped bot may leave idle sockets or timers behind; other commands end on their own, which
// lets piped output drain fully.
if (argv[0] === 'start') process.exit(code);
process.exitCode = code;
