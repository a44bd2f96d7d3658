/** An in-memory CliIo: files in a map, output captured as text. */
import { Buffer } from 'node:buffer';
import type { CliIo } from '../../../src/cli/io.js';

export interface FakeIo extends CliIo {
  out: string;
  err: string;
  files: Map<string, Uint8Array | string>;
}

export function fakeIo(files: Record<string, Uint8Array | string> = {}): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    files: new Map(Object.entries(files)),
    version: '9.9.9',
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    readFile: async (path) => {
      const content = io.files.get(path);
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return typeof content === 'string' ? new TextEncoder().encode(content) : content;
    },
    writeFile: async (path, text) => {
      if (path.startsWith('/missing/')) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      io.files.set(
        path,
        typeof text === 'string' || text instanceof Uint8Array
          ? text
          : Buffer.concat(
              Array.from(text, (piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)),
            ).toString('utf8'),
      );
    },
  };
  return io;
}
