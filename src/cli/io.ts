/**
 * What the CLI needs from the outside world, passed in so tests can run every command in-process
 * with fake files and captured output.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BadInputError } from '../errors.js';

/** What a command writes: text, bytes, or text or bytes in pieces. */
export type FileContent = string | Uint8Array | Iterable<string | Uint8Array>;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Writes the whole file or leaves the destination untouched; content given in pieces is written
   * as they come, so it is never held whole.
   */
  writeFile(path: string, content: FileContent): Promise<void>;
  /** The package version, for `--version`. */
  version: string;
  /** Environment for `segbot start` (default: the process environment). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Writes to a temporary file beside the destination, then renames it: readers never see half a file. */
export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The version in the nearest package.json above this file (works from src/ and from dist/). */
export function packageVersion(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (let depth = 0; depth < 5; depth++) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
      if (typeof parsed.version === 'string') return parsed.version;
    } catch {
      // Not here: keep walking up.
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** The real process: stdout/stderr streams and the file system. */
export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFile(path),
    writeFile: writeFileAtomic,
    version: packageVersion(),
    env: process.env,
  };
}

/**
 * Turns a file-system error on a path the user gave into a message about that path; other errors
 * pass through unchanged.
 */
export function fileError(path: string, error: unknown, action: 'read' | 'write'): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new BadInputError(
      action === 'read' ? `File not found: ${path}` : `Cannot write ${path}: the folder does not exist.`,
      {
        hint:
          action === 'read'
            ? 'Check the path and try again.'
            : 'Create the folder or choose another --json path.',
      },
    );
  }
  if (code === 'EISDIR') return new BadInputError(`${path} is a folder, not a file.`);
  if (code === 'EACCES' || code === 'EPERM')
    return new BadInputError(`Permission denied: cannot ${action} ${path}.`);
  return error;
}

/** Reads a file the user named, turning file-system errors into messages about the path. */
export async function readInput(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (error) {
    throw fileError(path, error, 'read');
  }
}
