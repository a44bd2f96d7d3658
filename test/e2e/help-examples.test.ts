/**
 * Every example `/segbot help` prints, typed as printed, in local mode on the bundled sample: each
 * gets a real answer (no "no product called", no unknown command, no failure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalSession } from '../helpers/local-session.js';

/** The examples in help's output: the `…`-quoted commands on lines made only of them. */
function helpExamples(help: string): string[] {
  return help
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('`/segbot '))
    .flatMap((line) => [...line.matchAll(/`(\/segbot [^`]+)`/g)].map((m) => m[1]!));
}

const FAILURE =
  /no product called|I don’t know the command|is not a command here|Something went wrong|cannot tell which Slack user|❌|:x:|fits more than one|no segment called/i;

describe('the examples in /segbot help', () => {
  let dir: string;
  let examples: string[];
  const replies = new Map<string, string>();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segbot-help-'));
    const help = await runLocalSession({ dir, lines: ['/segbot help'] });
    examples = helpExamples(help);
    // As the README says first: customer-level answers (top customers, scored CSVs) need the
    // channel allowed; `channel disallow` comes later among the examples anyway.
    // A marker line between examples splits the output into each example's replies.
    const lines = ['/segbot channel allow', ...examples.flatMap((example, i) => [`/example-${i}`, example])];
    const text = await runLocalSession({ dir, lines: [...lines, `/example-${examples.length}`] });
    examples.forEach((example, i) => {
      const start = text.indexOf(`/example-${i} is not a command here`);
      const end = text.indexOf(`/example-${i + 1} is not a command here`);
      replies.set(example, text.slice(text.indexOf('\n', start) + 1, end));
    });
  }, 600_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists examples for the commands, product names as marketers say them included', () => {
    expect(examples.length).toBeGreaterThan(25);
    expect(examples).toContain('/segbot predict credit card top=10');
    expect(examples).toContain('/segbot predict loan segment=revolvers');
  });

  it('answers every example as printed, without a failure', () => {
    const failed = examples.filter((example) => {
      const reply = replies.get(example) ?? '';
      return reply.trim() === '' || FAILURE.test(reply);
    });
    expect(failed.map((example) => `${example}\n${replies.get(example)}`)).toEqual([]);
  });

  it('predicts the product the words name, within the segment named', () => {
    const card = replies.get('/segbot predict credit card top=10')!;
    expect(card).toContain('WHO IS LIKELY TO TAKE UP CREDIT CARD UPGRADE');
    expect(card).toMatch(/Top 10 of [\d,]+ customers without credit card upgrade/);
    const loan = replies.get('/segbot predict loan segment=revolvers')!;
    expect(loan).toContain('WHO IS LIKELY TO TAKE UP PERSONAL LOAN');
    expect(loan).toMatch(/customers without personal loan in Revolvers/);
    expect(replies.get('/segbot admins add @dana')).toMatch(/@dana/);
    expect(replies.get('/segbot describe revolvers')).toMatch(/REVOLVERS/);
  });
});
