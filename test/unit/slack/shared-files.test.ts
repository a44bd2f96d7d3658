import { describe, expect, it } from 'vitest';
import { isCsvFile, looksLikeTableData } from '../../../src/slack/shared-files.js';

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
