/**
 * Property tests of the one Slack escape: whatever column names, customer ids, file names, segment
 * names and mention text a file or a person brings, no message segbot builds (fallback `text` and
 * every string in its blocks) contains a mention or link that segbot did not put there itself:
 * no `<!…>`, `<@…>`, `<#…>` or `<http…>`, and no bidirectional override.
 *
 * The data goes through the real paths: a CSV with hostile names is ingested and segmented, and the
 * quality report, run summary, describe, overview, run history, products, predict, help, error and
 * thread answers are built from the results.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpMessage } from '../../commands/help.js';
import { SUBCOMMANDS } from '../../commands/index.js';
import { customerListNotice } from '../../commands/predict.js';
import { productsMessage } from '../../commands/products.js';
import { compareRuns } from '../../src/analytics/compare/compare-runs.js';
import { summarizeDigest } from '../../src/analytics/compare/summarize-digest.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { csvCell } from '../../src/analytics/predict/csv-export.js';
import type { PropensityResult } from '../../src/analytics/predict/train-propensity.js';
import { productColumns } from '../../src/analytics/predict/train-propensity.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import type { IngestResult } from '../../src/analytics/types.js';
import { BadInputError } from '../../src/errors.js';
import { predictionMessage, predictionScope } from '../../src/slack/blocks/predict-blocks.js';
import { qualityReportMessage } from '../../src/slack/blocks/quality-report-blocks.js';
import {
  type RunFacts,
  runHistoryMessage,
  runSummaryMessage,
  segmentDetailMessage,
  segmentsOverviewMessage,
} from '../../src/slack/blocks/segment-blocks.js';
import {
  changeAlertMessage,
  changeDetailsMessage,
  digestMessage,
} from '../../src/slack/digest/digest-blocks.js';
import { answerMention, parseMention, type ThreadRuns } from '../../src/slack/digest/mention-answers.js';
import { escapeSlackText } from '../../src/slack/escape-text.js';
import { errorText } from '../../src/slack/report-error.js';
import { BIDI_CONTROL, foreignMarkup } from '../helpers/slack-markup.js';
import { snapshot } from '../unit/slack/digest/fixtures.js';

const SEED = 20261205;
/** The only mention segbot itself writes in these messages: the person who ran the command. */
const REQUESTER = 'U0REQUESTER';
const quietLogger = { warn: () => {}, error: () => {} };

/** Pieces of Slack markup and formatting that data must never turn into mentions, links or layout. */
const PIECES = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0EVIL|team>',
  '<@U0EVIL>',
  '<@W0EVIL|boss>',
  '<#C0EVIL>',
  '<https://evil.example|click here>',
  '<http://evil.example>',
  '<mailto:a@evil.example|mail>',
  '\u202E',
  '\u2066',
  '\n',
  '\r\n',
  '\t',
  '*',
  '_',
  '~',
  '`',
  '```',
  '&',
  '&lt;',
  '<',
  '>',
  '|',
  '"',
  ':',
  ' ',
  'a',
  'Z',
  '7',
  'é',
];

/** A hostile string: markup pieces mixed with arbitrary text. */
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

function expectNoLeaks(what: string, message: unknown): void {
  expect(foreignMarkup(message, [REQUESTER]), what).toEqual([]);
}

/** A CSV whose column names, ids and file name are hostile; numbers segment into two groups. */
function hostileCsv(names: string[], ids: string[], product: string): string {
  const header = ['CUST_ID', ...names.map((n, i) => `n${i} ${n}`), `${product} flag`];
  const lines = [header.map((h) => csvCell(h)).join(',')];
  for (let row = 0; row < 60; row++) {
    const group = row % 2;
    const values = names.map((_, i) => (group * 1000 + ((row * (i + 3)) % 97)).toString());
    lines.push([csvCell(`${ids[row % ids.length]}-${row}`), ...values, String(group)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function propensityResult(label: string, feature: string, ids: string[]): PropensityResult {
  return {
    product: label,
    label,
    positive: 'yes',
    askedValue: null,
    holding: true,
    customers: 100,
    holders: 40,
    trusted: true,
    auc: 0.8,
    baseRate: 0.4,
    liftTopDecile: 2,
    precisionTopDecile: 0.8,
    heldOut: { customers: 25, holders: 10 },
    gains: [],
    calibration: [],
    importances: [{ feature, importance: 0.5 }],
    drivers: [{ feature, importance: 0.5, direction: 'up', text: `higher ${feature} → more likely` }],
    rules: {
      part: 'held-out',
      customers: 25,
      positives: 10,
      baseRate: 0.4,
      rules: [
        {
          conditions: [
            {
              kind: 'categorical',
              column: feature,
              values: [label],
              others: false,
              known: [label],
              missing: false,
            },
          ],
          text: `${feature} is ${label}`,
          kind: 'high',
          customers: 10,
          positives: 8,
          rate: 0.8,
        },
      ],
    },
    baselineAuc: 0.7,
    beatsBaseline: true,
    model: 'forest',
    models: [
      { model: 'boosting', validationAuc: 0.79, testAuc: 0.78 },
      { model: 'forest', validationAuc: 0.81, testAuc: 0.8 },
      { model: 'logistic', validationAuc: 0.7, testAuc: 0.7 },
    ],
    leakage: [{ feature, reason: 'alone', auc: 0.95, share: 0.5 }],
    warnings: [`${feature} is possibly known only after the outcome.`],
    selection: { features: null, exclude: [] },
    summary: `The model ranks ${label} holders well; ${feature} matters most.`,
    features: [feature],
    params: { seed: 1, nTrees: 10, minSamplesLeaf: 5, testFraction: 0.25 },
    customerList: { requested: ids.length + 2, matched: ids.length, duplicates: ids, unknown: ids },
    scores: ids.map((customerId, row) => ({
      customerId,
      row,
      probability: 0.5,
      decile: 1,
      holds: false,
      reasons: [`${feature} high (+8 pts)`],
    })),
  };
}

describe('escapeSlackText', () => {
  it('never lets markup, line breaks, control characters or bidi overrides through', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom('mrkdwn', 'code', 'plain', 'message' as const), (text, place) => {
        const out = escapeSlackText(text, place);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(BIDI_CONTROL);
        expect(out).not.toMatch(/(?!\n)\p{Cc}/u);
        if (place !== 'message') expect(out).not.toContain('\n');
        if (place !== 'plain' && place !== 'message') expect(out).not.toContain('`');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('keeps ordinary names as typed', () => {
    for (const name of [
      'BALANCE',
      'credit_limit',
      'PRC_FULL_PAYMENT',
      'Revolvers (high balance)',
      'ind_cco_fin_ult1',
    ]) {
      expect(escapeSlackText(name)).toBe(name);
    }
    expect(escapeSlackText('*bold* _it_ ~s~ `c`')).toBe('∗bold∗ ˍitˍ ∼s∼ ˋcˋ');
    expect(escapeSlackText('a\nb\u202Ec<!here>', 'code')).toBe('a bc&lt;!here&gt;');
  });
});

describe('messages built from hostile data', () => {
  it('an ingested and segmented file: quality report, summary, describe, overview, history, products, errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostile, { minLength: 2, maxLength: 3 }),
        fc.array(hostile, { minLength: 1, maxLength: 3 }),
        hostile,
        hostile,
        hostile,
        async (names, ids, fileName, product, segmentName) => {
          const file = `${fileName}.csv`;
          let ingest: IngestResult;
          try {
            ingest = await ingestCsv(new TextEncoder().encode(hostileCsv(names, ids, product)), {
              fileName: file,
            });
          } catch (error) {
            // A file segbot refuses is answered with its error: that text must be as safe.
            expectNoLeaks('ingest error', errorText(error, quietLogger, 'test'));
            return;
          }
          expectNoLeaks(
            'quality report',
            qualityReportMessage({ version: 1, fileName: file, rows: 60 }, ingest.quality),
          );
          const result = segmentCustomers(ingest, { k: 2, seed: 1 });
          const segments = result.segments.map((s, i) => (i === 0 ? { ...s, name: segmentName } : s));
          const facts: RunFacts = {
            id: 3,
            userId: REQUESTER,
            datasetVersion: 1,
            fileName: file,
            createdAt: new Date('2026-12-05T08:00:00Z'),
            params: { k: 2, seed: 1, features: names },
            k: 2,
            silhouette: result.silhouette,
            kSelection: null,
            segments,
          };
          expectNoLeaks('run summary', runSummaryMessage(facts));
          for (const segment of segments) expectNoLeaks('describe', segmentDetailMessage(facts, segment));
          expectNoLeaks('overview', segmentsOverviewMessage(facts));
          expectNoLeaks(
            'run history',
            runHistoryMessage([
              {
                id: 3,
                userId: REQUESTER,
                status: 'failed',
                createdAt: facts.createdAt,
                datasetVersion: 1,
                params: facts.params,
                k: null,
                silhouette: null,
                sizes: [],
                error: `${names[0]} failed\n${ids[0]}`,
              },
            ]),
          );
          const products = productColumns(ingest).map((p) => ({
            ...p,
            holders: 30,
            customers: 60,
            rate: 0.5,
            modelAuc: null,
            hasModel: false,
          }));
          expectNoLeaks('products', productsMessage(file, 1, products));
          expectNoLeaks('products (none)', productsMessage(file, 1, []));
          expectNoLeaks('customer list notice', customerListNotice(file));
          expectNoLeaks(
            'bad input error',
            errorText(
              new BadInputError(`Column ${names[0]} holds ${ids[0]}.`, {
                hint: `Fix ${product}.`,
                location: { file, line: 2, column: names[0]! },
              }),
              quietLogger,
              'test',
            ),
          );
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('predict: the top list, its scope, the drivers and the customer-list notes', () => {
    fc.assert(
      fc.property(
        hostile,
        hostile,
        fc.array(hostile, { minLength: 1, maxLength: 4 }),
        hostile,
        hostile,
        (label, feature, ids, listFile, segment) => {
          const result = propensityResult(label, feature, ids);
          for (const scope of [
            predictionScope({ label }),
            predictionScope({ label, segment }),
            predictionScope({ label, listFile }),
          ]) {
            const message = predictionMessage(result, {
              fileName: listFile,
              version: 2,
              top: 10,
              customerLevel: true,
              reused: false,
              scope,
              excludeCommand: (features) => `/segbot predict ${label} exclude=${features.join(',')}`,
            });
            expectNoLeaks('prediction', message);
          }
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('help for an unknown command word', () => {
    fc.assert(
      fc.property(hostile, (word) => expectNoLeaks('help', helpMessage(SUBCOMMANDS, word))),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('change threads: alerts, details, digests and every kind of mention answer', () => {
    fc.assert(
      fc.property(
        fc.array(hostile, { minLength: 3, maxLength: 3 }),
        fc.array(hostile, { minLength: 2, maxLength: 4 }),
        hostile,
        (names, ids, said) => {
          const specs = names.map((name, i) => ({
            name: `${name} ${i}`,
            persona: 'revolver' as const,
            centre: [1000 * (i + 1), 500, 100 * i] as [number, number, number],
            ids: ids.map((id, j) => `${id}-${i}-${j}`),
            action: `${name} offer`,
          }));
          const moved = specs.map((spec, i) => ({
            ...spec,
            ids: i === 0 ? [...spec.ids, ...specs[1]!.ids] : i === 1 ? [] : spec.ids,
          }));
          const previous = snapshot(1, specs);
          const current = snapshot(
            2,
            moved.filter((s) => s.ids.length > 0),
          );
          const comparison = compareRuns(previous, current);
          const currentSegments = current.segments.map((s) => ({ ...s, traits: [] }));
          const facts = (id: number) => ({
            id,
            datasetVersion: id,
            createdAt: new Date('2026-12-01T09:00:00Z'),
            k: 3,
            silhouette: 0.4,
          });
          const runs: ThreadRuns = {
            comparison,
            previous,
            current,
            previousFacts: facts(1),
            currentFacts: facts(2),
          };
          expectNoLeaks('alert', changeAlertMessage(comparison, 1));
          expectNoLeaks('details', changeDetailsMessage(comparison, currentSegments));
          expectNoLeaks(
            'digest',
            digestMessage({
              summary: summarizeDigest(currentSegments, comparison),
              dueAt: null,
              timezone: 'UTC',
              late: false,
              runId: 2,
              previousRunId: 1,
              datasetVersion: 2,
              rerun: false,
              chartInThread: true,
            }),
          );
          for (const question of [
            'movers 1 1',
            'movers 2 1',
            `movers ${said} to ${said}`,
            `explain ${said}`,
            `explain ${names[0]} 0`,
            'compare',
            said,
            `"${said}`,
          ]) {
            const answer = answerMention(parseMention(`<@U0SEGBOT> ${question}`), runs);
            expectNoLeaks(`answer to ${question}`, { text: answer.text, blocks: answer.blocks });
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
