/**
 * The README's local-mode sessions, typed line by line on a fresh database: every reply line the
 * README shows must come back, in order. The sessions are read from README.md itself, so the two
 * cannot drift apart; `…` in a README line stands for text left out.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runSample } from '../../src/cli/sample.js';
import { createSettableClock, parseClockAdvance } from '../../src/jobs/settable-clock.js';
import { runLocalSession } from '../helpers/local-session.js';

interface Session {
  /** What the reader types, in order. */
  typed: string[];
  /** The reply lines the README shows, trimmed. */
  replies: string[];
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The fenced blocks of the README that hold a console session (`you> ` lines). */
function readmeSessions(markdown: string): Session[] {
  const blocks = markdown.split(/^```[^\n]*\n/m).filter((_, i) => i % 2 === 1);
  return blocks
    .filter((block) => /^you> /m.test(block))
    .map((block) => {
      const lines = block.split('\n');
      return {
        typed: lines
          .filter((line) => line.startsWith('you> '))
          .map((line) => line.slice('you> '.length).trim()),
        replies: lines
          .filter((line) => !line.startsWith('you> '))
          .map((line) => line.trim())
          .filter((line) => line !== '' && line !== '…'),
      };
    });
}

/** The README lines not found in the output, each searched after the previous one found. */
function missingLines(replies: readonly string[], output: string): string[] {
  const lines = output.split('\n').map((line) => line.trim());
  const missing: string[] = [];
  let from = 0;
  for (const reply of replies) {
    const parts = reply
      .split('…')
      .map((part) => part.trim())
      .filter(Boolean);
    const found = lines.findIndex((line, i) => {
      if (i < from) return false;
      let at = 0;
      for (const part of parts) {
        const index = line.indexOf(part, at);
        if (index < 0) return false;
        at = index + part.length;
      }
      return true;
    });
    if (found < 0) missing.push(reply);
    else from = found + 1;
  }
  return missing;
}

/** The `segbot sample … --out <file>` command the README gives for a file a session uploads. */
function sampleCommandFor(file: string): string[] | undefined {
  const line = README.split('\n').find((l) => /npx segbot sample /.test(l) && l.includes(`--out ${file}`));
  return line
    ?.slice(line.indexOf('npx segbot sample ') + 'npx segbot sample '.length)
    .trim()
    .split(/\s+/);
}

function uploads(session: Session): string[] {
  return session.typed.flatMap((line) => /^\/upload (\S+)$/.exec(line)?.[1] ?? []);
}

/**
 * Files a session uploads that `segbot sample` cannot make: the campaign session's own bank tables
 * (product flags plus an `indfall` column, as the README says). Listed, so a new one is noticed.
 */
const OWN_FILES = ['bank.csv', 'bank-march.csv'];

/**
 * A clock that reads what the session's first `/clock +…` line leads to ("Time is now …"), so the
 * dates the README shows are the dates the session sees.
 */
function sessionClock(session: Session) {
  const step = session.typed.find((line) => line.startsWith('/clock +'));
  const shown = session.replies.find((line) => line.startsWith('Time is now '));
  if (!step || !shown) return undefined;
  const at = Date.parse(
    `${shown.slice('Time is now '.length, 'Time is now '.length + 16).replace(' ', 'T')}:00Z`,
  );
  const offset = at - parseClockAdvance(step.slice('/clock'.length).trim())! - Date.now();
  return createSettableClock(() => Date.now() + offset);
}

describe('the README’s local-mode sessions', () => {
  const sessions = readmeSessions(README);
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('are found in README.md', () => {
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(
      sessions.filter((s) => uploads(s).every((file) => sampleCommandFor(file))).length,
    ).toBeGreaterThanOrEqual(4);
    expect(sessions.every((s) => s.typed.length > 0 && s.replies.length > 0)).toBe(true);
  });

  it('finds lines with gaps in order and reports the ones missing', () => {
    const output = 'segbot:\n  7 CUSTOMER SEGMENTS\n  Run #1 by @you: k=7\n';
    expect(missingLines(['7 CUSTOMER SEGMENTS', 'Run #1 … k=7'], output)).toEqual([]);
    expect(missingLines(['Run #1 … k=7', '7 CUSTOMER SEGMENTS'], output)).toEqual(['7 CUSTOMER SEGMENTS']);
    expect(missingLines(['k=7 … Run #1'], output)).toEqual(['k=7 … Run #1']);
  });

  it('upload only files the README says how to make, apart from the listed tables of one’s own', () => {
    const unmade = sessions.flatMap(uploads).filter((file) => !sampleCommandFor(file));
    expect(unmade).toEqual(OWN_FILES);
  });

  const runnable = sessions.filter((session) => uploads(session).every((file) => sampleCommandFor(file)));
  runnable.forEach((session, n) => {
    it(`session ${n + 1} (${session.typed[0]} …) replies as the README shows`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'segbot-readme-'));
      dirs.push(dir);
      const typed: string[] = [];
      for (const line of session.typed) {
        const upload = /^\/upload (\S+)$/.exec(line);
        if (!upload) {
          typed.push(line);
          continue;
        }
        // Made as the README says, in the session's own directory.
        const file = join(dir, upload[1]!);
        const args = sampleCommandFor(upload[1]!)!.map((arg) => (arg === upload[1] ? file : arg));
        const io = {
          stdout: () => {},
          stderr: () => {},
          readFile: () => Promise.reject(new Error('not read')),
          writeFile: (path: string, content: string | Uint8Array) => writeFile(path, content),
          version: 'test',
        };
        expect(await runSample(args, io)).toBe(0);
        typed.push(`/upload ${file}`);
      }
      const clock = sessionClock(session);
      const output = await runLocalSession({ dir, lines: typed, ...(clock ? { clock } : {}) });
      expect(missingLines(session.replies, output)).toEqual([]);
    }, 600_000);
  });
});
