import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/errors.js';
import {
  findLatestCsv,
  findRecentCsvs,
  HISTORY_LOOKBACK,
  isCsvFile,
  looksLikeTableData,
} from '../../../src/slack/shared-files.js';
import { createPagedHistory } from '../../helpers/paged-history.js';

describe('isCsvFile', () => {
  it('recognises CSV by Slack filetype, MIME type or name', () => {
    expect(isCsvFile({ id: 'F', filetype: 'csv' })).toBe(true);
    expect(isCsvFile({ id: 'F', mimetype: 'text/csv; charset=utf-8' })).toBe(true);
    expect(isCsvFile({ id: 'F', name: 'EXPORT.CSV', filetype: 'text' })).toBe(true);
    expect(isCsvFile({ id: 'F', name: 'export.tsv' })).toBe(true);
    expect(isCsvFile({ id: 'F', name: 'photo.png', filetype: 'png', mimetype: 'image/png' })).toBe(false);
  });
});

describe('looksLikeTableData', () => {
  it('flags spreadsheets and text exports but not images or CSVs', () => {
    expect(looksLikeTableData({ id: 'F', name: 'book.xlsx', filetype: 'xlsx' })).toBe(true);
    expect(looksLikeTableData({ id: 'F', name: 'dump.txt' })).toBe(true);
    expect(looksLikeTableData({ id: 'F', name: 'photo.jpg', filetype: 'jpg' })).toBe(false);
    expect(looksLikeTableData({ id: 'F', name: 'a.csv', filetype: 'csv' })).toBe(false);
  });
});

const csv = (id: string) => ({ id, name: `${id}.csv`, filetype: 'csv' });
const chatter = (ts: string) => ({ ts, user: 'U0DANA', text: 'hi' });

describe('findLatestCsv', () => {
  it('finds the newest CSV a person shared, on a later page, skipping the bot’s own files', async () => {
    const { client, calls } = createPagedHistory([
      [chatter('9.0'), { ts: '8.0', bot_id: 'B1', files: [csv('Fbot')] }],
      [
        { ts: '7.0', user: 'U0DANA', files: [{ id: 'Fpng', name: 'a.png', filetype: 'png' }] },
        { ts: '6.0', thread_ts: '5.0', user: 'U0DANA', files: [csv('Fnew')] },
        { ts: '4.0', user: 'U0DANA', files: [csv('Fold')] },
      ],
      [chatter('3.0')],
    ]);
    const shared = await findLatestCsv(client, 'C1');
    expect(shared).toMatchObject({ file: { id: 'Fnew' }, threadTs: '5.0', userId: 'U0DANA' });
    expect(calls).toHaveLength(2);
  });

  it('says how to share a file when the recent history has none', async () => {
    const { client } = createPagedHistory([[chatter('2.0')], [chatter('1.0')]]);
    const error = await findLatestCsv(client, 'C1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toBe(
      `No CSV file was shared in the last ${HISTORY_LOOKBACK} messages of this channel.`,
    );
  });
});

describe('findRecentCsvs', () => {
  it('collects the newest CSVs people shared, newest first, and stops reading once it has enough', async () => {
    const { client, calls } = createPagedHistory([
      [
        { ts: '9.0', user: 'U1', files: [csv('F1'), csv('F2')] },
        { ts: '8.0', bot_id: 'B1', files: [csv('Fb')] },
      ],
      [{ ts: '7.0', user: 'U1', files: [csv('F3'), csv('F4')] }],
      [{ ts: '6.0', user: 'U1', files: [csv('F5')] }],
    ]);
    expect((await findRecentCsvs(client, 'C1', 3)).map((f) => f.id)).toEqual(['F1', 'F2', 'F3']);
    expect(calls).toHaveLength(2);
    expect((await findRecentCsvs(client, 'C1', 10)).map((f) => f.id)).toEqual(['F1', 'F2', 'F3', 'F4', 'F5']);
  });
});
