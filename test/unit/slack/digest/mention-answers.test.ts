import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../../src/analytics/compare/compare-runs.js';
import {
  allMovers,
  answerMention,
  moversBetween,
  parseMention,
} from '../../../../src/slack/digest/mention-answers.js';
import { twoRuns } from './fixtures.js';

describe('parseMention', () => {
  it('reads the three questions and strips the bot mention', () => {
    expect(parseMention('<@U0SEGBOT> compare')).toEqual({ kind: 'compare' });
    expect(parseMention('<@U0SEGBOT> explain VIP high spenders')).toEqual({
      kind: 'explain',
      segment: 'VIP high spenders',
    });
    expect(parseMention('<@U0SEGBOT> movers Revolvers Transactors')).toEqual({
      kind: 'movers',
      from: ['Revolvers', 'Transactors'],
      to: [],
    });
    expect(parseMention('<@U0SEGBOT> movers from "VIP high spenders" to Revolvers')).toEqual({
      kind: 'movers',
      from: ['VIP high spenders'],
      to: ['Revolvers'],
    });
  });

  it('turns anything else into a help request that remembers what was said', () => {
    expect(parseMention('<@U0SEGBOT> what is the weather')).toEqual({
      kind: 'help',
      said: 'what is the weather',
    });
    expect(parseMention('<@U0SEGBOT> movers Revolvers')).toMatchObject({ kind: 'help' });
    // "movers" alone is a question of its own: everyone who moved.
    expect(parseMention('<@U0SEGBOT> movers')).toEqual({ kind: 'movers', from: [], to: [] });
    expect(parseMention('<@U0SEGBOT> what&#39;s new? <@U0DANA> &amp; <#C1|general>')).toEqual({
      kind: 'help',
      said: 'what&#39;s new?   & #general',
    });
    expect(parseMention("<@U0SEGBOT> what's new")).toEqual({ kind: 'help', said: "what's new" });
  });
});

describe('answerMention', () => {
  it('counts movers between segments by the names each run gives them, though k-means renumbered them', () => {
    const runs = twoRuns();
    // Run 2 numbers Revolvers 2 and the old Transactors 3, now called by its own name.
    expect(runs.comparison.currentNames).toEqual(['VIP high spenders', 'Revolvers', 'Everyday spenders']);
    const answer = answerMention(parseMention('movers Revolvers to Everyday spenders'), runs);
    expect(answer.text).toMatch(
      /^10 customers moved from Revolvers \(run #1\) to Everyday spenders \(run #2\)/,
    );
    expect(answer.text).toContain('Examples:');
    expect(moversBetween(runs, 0, 2)).toHaveLength(10);
  });

  it('answers "movers" alone with everyone who changed segment, the largest moves first, as a CSV', () => {
    const runs = twoRuns();
    const answer = answerMention(parseMention('<@U0SEGBOT> movers'), runs);
    // c70 left and n1 joined: only the 79 customers in both runs count; the renamed Transactors stayed.
    expect(answer.text).toBe(
      '10 of 79 customers changed segment between run #1 and run #2. Largest moves:\n• Revolvers → Everyday spenders: 10',
    );
    expect(answer.file?.filename).toBe('movers-run-1-to-2.csv');
    const lines = answer.file!.content.trim().split('\n');
    expect(lines[0]).toBe('customer_id,segment_before,segment_now');
    expect(lines.slice(1).sort()).toEqual(
      [
        "'=SUM(1),Revolvers,Everyday spenders",
        ...Array.from({ length: 9 }, (_, i) => `c${i + 1},Revolvers,Everyday spenders`),
      ].sort(),
    );
    expect(allMovers(runs).map((m) => m.id)).toEqual(moversBetween(runs, 0, 2));
  });

  it('says there are no movers, without a file, when nobody changed segment', () => {
    const runs = twoRuns();
    const still = { ...runs, current: runs.previous, comparison: compareRuns(runs.previous, runs.previous) };
    const answer = answerMention(parseMention('movers'), still);
    expect(answer.text).toBe('0 of 80 customers changed segment between run #1 and run #1.');
    expect(answer.file).toBeUndefined();
  });

  it('attaches the full list as CSV with formula-looking ids escaped', () => {
    const answer = answerMention(parseMention('movers 1 to 3'), twoRuns());
    expect(answer.file?.filename).toBe('movers-revolvers-to-everyday-spenders.csv');
    const lines = answer.file!.content.trim().split('\n');
    expect(lines[0]).toBe('customer_id,segment_before,segment_now');
    expect(lines).toHaveLength(11);
    expect(lines).toContain("'=SUM(1),Revolvers,Everyday spenders");
    expect(answer.file!.content).not.toMatch(/^=/m);
  });

  it('finds multi-word names without "to" by trying every split', () => {
    const answer = answerMention(parseMention('movers VIP high spenders Revolvers'), twoRuns());
    expect(answer.text).toMatch(/^0 customers moved from VIP high spenders/);
    expect(answer.file).toBeUndefined();
  });

  it('lists the segments when it cannot tell which ones are meant', () => {
    const answer = answerMention(parseMention('movers Dormant Nobody'), twoRuns());
    expect(answer.text).toContain('I could not tell which two segments you mean');
    expect(answer.text).toContain('1. Revolvers, 2. Transactors, 3. VIP high spenders');
  });

  it('explains a segment from its shift, flows, traits and action', () => {
    const answer = answerMention(parseMention('explain revolvers'), twoRuns());
    expect(answer.text).toContain('Revolvers: 40 → 30 customers');
    expect(answer.text).toMatch(/average cash advances up 38% \(1,000 → 1,380\)/);
    expect(answer.text).toContain('Left: 10 to Everyday spenders.');
    expect(answer.text).toContain('Revolvers trait');
    expect(answer.text).toContain('Balance transfer offer');
  });

  it('finds the segment with the same matcher as /segbot describe: a typo, a start, a persona', () => {
    for (const said of ['explain revolvr', '<@U0SEGBOT> explain Revolv', 'explain “revolver”']) {
      expect(answerMention(parseMention(said), twoRuns()).text).toContain('Revolvers: 40 → 30 customers');
    }
    const answer = answerMention(parseMention('movers revolvr to everyday spendrs'), twoRuns());
    expect(answer.text).toMatch(/^10 customers moved from Revolvers \(run #1\) to Everyday spenders/);
  });

  it('asks which segment was meant when the name fits several', () => {
    // Run 2's third segment is "Everyday spenders", next to "VIP high spenders".
    const renamed = twoRuns();
    expect(answerMention(parseMention('explain spenders'), renamed).text).toBe(
      '“spenders” fits more than one segment. Did you mean “VIP high spenders” or “Everyday spenders”?',
    );
    expect(answerMention(parseMention('movers Revolvers to spenders'), renamed).text).toBe(
      '“spenders” fits more than one segment. Did you mean “VIP high spenders” or “Everyday spenders”?',
    );
  });

  it('says what is wrong with an unclosed quote instead of guessing', () => {
    const question = parseMention('<@U0SEGBOT> explain "VIP high spenders');
    expect(question.kind).toBe('unreadable');
    const answer = answerMention(question, twoRuns());
    expect(answer.text).toContain('is never closed');
    expect(answer.text).toContain('@segbot explain "VIP high spenders"');
  });

  it('shows the two runs side by side', () => {
    const answer = answerMention({ kind: 'compare' }, twoRuns());
    expect(answer.text).toContain('Before: run #1: dataset v1');
    expect(answer.text).toContain('Now: run #2: dataset v2');
    expect(answer.text).toMatch(/Revolvers\s+40 \(50\.0%\)\s+30 \(37\.5%\)\s+−12\.5 pp/);
  });

  it('answers anything else with the list of questions', () => {
    const answer = answerMention(parseMention('<@U0SEGBOT> hello'), twoRuns());
    expect(answer.text).toContain('I can’t answer “hello” yet');
    for (const question of ['movers <from> <to>', 'explain <segment>', 'compare']) {
      expect(answer.text).toContain(question);
    }
  });
});
