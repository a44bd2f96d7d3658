import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * `parseArgs` with its errors turned into the command's usage error. node:util reports unknown
 * options and missing values as TypeErrors with a readable message, which the user should see
 * together with the command's `--help` hint rather than as an internal failure.
 */
export function parseCliArgs<T extends ParseArgsConfig>(
  config: T,
  usageError: (message: string) => Error,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : 'Could not read the arguments.');
  }
}
