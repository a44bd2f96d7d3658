/**
 * The RFM part of digests and change threads, for a channel whose uploads are transactions and
 * that has never run a segmentation: an RFM-only change thread after the second upload, and an
 * RFM-only digest.
 */
import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { compareRfm } from '../../../src/analytics/rfm/compare-rfm.js';
import { generateTransactionsCsv } from '../../../src/analytics/transactions/generate-transactions.js';
import { ingestUpload } from '../../../src/services/ingest-upload.js';
import { analyseRfmFile } from '../../../src/services/rfm-analysis.js';
import { createDigestFixture, type DigestFixture } from '../slack/digest/service-fixture.js';

function textOf(post: Record<string, unknown>): string {
  return `${String(post.text)}\n${JSON.stringify(post.blocks ?? [])}`;
}

/** Two uploads of the same customer ids whose behaviour differs (different seeds plant other personas). */
const FIRST = generateTransactionsCsv({ customers: 400, seed: 5 });
const SECOND = generateTransactionsCsv({ customers: 400, seed: 6 });

async function uploadTransactions(f: DigestFixture, csv: string): Promise<void> {
  const ingest = await ingestUpload(new TextEncoder().encode(csv), { fileName: 'tx.csv' }, ingestCsv);
  await f.deps.datasets.saveDataset({ channelId: 'C0TEST', userId: 'U0BOB', ingest });
}

async function expectedChange() {
  const score = async (csv: string) => {
    const { input, result } = await analyseRfmFile(new TextEncoder().encode(csv), { fileName: 'tx.csv' });
    return { customerIds: input.customerIds, names: result.names };
  };
  return compareRfm(await score(FIRST), await score(SECOND));
}

describe('RFM in digests and change threads', () => {
  it('opens an RFM-only change thread when a transaction upload moves RFM segments past the threshold', async () => {
    const f = createDigestFixture();
    await uploadTransactions(f, FIRST);
    // One upload: nothing to compare with.
    expect(await f.digests.detectRfmChange('C0TEST')).toBeNull();
    await uploadTransactions(f, SECOND);
    const change = await expectedChange();
    expect(change.maxShareChangePp).toBeGreaterThan(1);
    await f.schedules.setAlertThreshold('C0TEST', Math.ceil(change.maxShareChangePp) + 1, 'U0BOB');
    expect(await f.digests.detectRfmChange('C0TEST')).toBeNull();
    expect(f.posts()).toHaveLength(0);

    await f.schedules.setAlertThreshold('C0TEST', 1, 'U0BOB');
    const ts = await f.digests.detectRfmChange('C0TEST');
    expect(ts).not.toBeNull();
    const [alert, details] = f.posts();
    expect(alert).toMatchObject({ channel: 'C0TEST' });
    expect(String(alert!.text)).toContain('RFM segments changed with upload v2 of tx.csv (vs v1)');
    expect(String(alert!.text)).toContain(`${change.movers} customers changed RFM segment`);
    expect(details).toMatchObject({ channel: 'C0TEST', thread_ts: ts });
    const thread = textOf(details!);
    expect(thread).toContain(
      `${change.movers} of ${change.common} customers in both uploads changed RFM segment`,
    );
    const top = change.moves[0]!;
    expect(thread).toContain(`${top.from} → ${top.to}: ${top.customers}`);
    for (const size of change.sizes.filter((s) => s.after > 0)) {
      expect(thread).toContain(`*${size.name}*: ${size.after.toLocaleString('en-US')} customers`);
    }
  });

  it('posts an RFM-only digest for a channel with transactions and no segmentation', async () => {
    const f = createDigestFixture();
    await uploadTransactions(f, FIRST);
    await uploadTransactions(f, SECOND);
    const change = await expectedChange();
    await f.digests.postNow('C0TEST', 'U0BOB');
    const post = f.posts()[0]!;
    const text = textOf(post);
    expect(String(post.text)).toContain(
      `Segment digest: RFM segments of upload v2; ${change.movers} customers changed RFM segment since v1.`,
    );
    expect(text).toContain('RFM segments* (upload v2, vs v1)');
    expect(text).toContain('No segmentation has run in this channel yet');
    expect(text).not.toContain('no segments in this channel yet');
  });

  it('adds the RFM section to the digest of a channel that also segments its transactions', async () => {
    const f = createDigestFixture();
    await uploadTransactions(f, FIRST);
    await f.segment(3);
    await f.digests.postNow('C0TEST', 'U0BOB');
    const text = textOf(f.posts()[0]!);
    expect(text).toContain('Segment digest');
    expect(text).toContain('RFM segments* (upload v1)');
  });
});
