/**
 * What the CLI's one-file analysis commands (`segbot rfm`, `segbot crosssell`) share: reading their
 * arguments (one CSV, --json, a few options) and the --json output.
 */
import type { ParseArgsConfig } from 'node:util';
import { BadInputError } from '../errors.js';
import { type CliIo, fileError } from './io.js';
import { parseCliArgs } from './parse-cli-args.js';

/** Parses one CSV, optional --json and the `extra` string options; null when help was asked for. */
export function parseFileArgs<E extends Record<string, { type: 'string' }>>(
  args: string[],
  extra: E,
  command: { name: string; example: string },
): { file: string; json: string | undefined; values: Partial<Record<keyof E, string>> } | null {
  const usageError = (message: string) =>
    new BadInputError(message, { hint: `Run \`segbot ${command.name} --help\` for the options.` });
  const { values, positionals } = parseCliArgs(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: { ...extra, json: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    } as ParseArgsConfig,
    usageError,
  );
  if (values.help === true) return null;
  if (positionals.length !== 1)
    throw usageError(`Give exactly one CSV file, for example: ${command.example}`);
  const json = values.json;
  if (typeof json === 'string' && json.trim() === '')
    throw usageError('--json needs a file name, e.g. --json out.json');
  return {
    file: positionals[0]!,
    json: typeof json === 'string' ? json : undefined,
    values: values as Partial<Record<keyof E, string>>,
  };
}

/** Writes the --json file, when one was asked for, and says so. */
export async function writeJson(io: CliIo, path: string | undefined, text: string): Promise<void> {
  if (path === undefined) return;
  try {
    await io.writeFile(path, text);
  } catch (error) {
    throw fileError(path, error, 'write');
  }
  io.stdout(`Full result written to ${path}\n`);
}
