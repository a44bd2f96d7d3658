import { beforeAll, describe, expect, it } from 'vitest';
import { renderChartPng } from '../../../charts/render-chart.js';
import type { SegmentationResult } from '../../../src/analytics/types.js';
import { type ReportFiles, renderReport, reportInputFromResult } from '../../../src/services/build-report.js';
import { pdfPageTexts } from '../../helpers/pdf-text.js';
import { readZip, slideTexts } from '../../helpers/read-zip.js';
import { REPORT_DATE, seededRun } from '../report/seeded-run.js';

let result: SegmentationResult;
let files: ReportFiles;

beforeAll(async () => {
  result = await seededRun();
  files = await renderReport(
    { renderChart: (spec) => renderChartPng(spec) },
    reportInputFromResult(result, { createdAt: REPORT_DATE }),
  );
});

function slideXml(zip: Map<string, Buffer>): string[] {
  const names = [...zip.keys()].filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name));
  names.sort((a, b) => Number(/(\d+)\.xml/.exec(a)![1]) - Number(/(\d+)\.xml/.exec(b)![1]));
  return names.map((name) => zip.get(name)!.toString('utf8'));
}

describe('renderReport', () => {
  it('writes a PowerPoint zip with one slide per deck slide, real text and a table holding the run’s numbers', () => {
    const zip = readZip(files.pptx);
    expect(zip.has('[Content_Types].xml')).toBe(true);
    const slides = slideXml(zip);
    expect(slides).toHaveLength(files.deck.slides.length);
    expect(slides).toHaveLength(3 + result.segments.length + 2);
    expect(slideTexts(slides[2]!)).toContain('Segment overview');
    // The overview table is a real table whose cells hold each segment's size.
    expect(slides[2]).toContain('<a:tbl>');
    const overview = slideTexts(slides[2]!);
    for (const segment of result.segments) {
      expect(overview).toContain(`${segment.index}. ${segment.name}`);
      expect(overview).toContain(segment.size.toLocaleString('en-US'));
    }
    expect(slideTexts(slides[3]!)[0]).toBe(`${result.segments[0]!.index}. ${result.segments[0]!.name}`);
    // Charts are pictures inside the file, with their alt text.
    expect([...zip.keys()].filter((name) => name.startsWith('ppt/media/')).length).toBeGreaterThanOrEqual(
      1 + result.segments.length,
    );
    expect(slides[2]).toContain('descr="Bar chart of the number of customers');
    // Slide numbers are PowerPoint's own field, from the second slide on.
    expect(slides[1]).toContain('type="slidenum"');
    expect(slides[0]).not.toContain('type="slidenum"');
  });

  it('writes the same slides as PDF pages, with the same titles and numbers', () => {
    const pages = pdfPageTexts(files.pdf);
    expect(pages).toHaveLength(files.deck.slides.length);
    files.deck.slides.forEach((slide, i) => {
      expect(pages[i]).toContain(i === 0 ? 'Customer segments: customers.csv' : slide.title);
    });
    expect(pages[2]).toContain(result.segments[0]!.size.toLocaleString('en-US'));
    expect(pages[1]!.split('\n')).toContain('2');
    expect(files.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('keeps a deck of a few segments small enough to post and open quickly', () => {
    expect(files.pptx.byteLength).toBeLessThan(3 * 1024 * 1024);
    expect(files.pdf.byteLength).toBeLessThan(3 * 1024 * 1024);
  });

  it('leaves out a chart that cannot be drawn and still renders every slide', async () => {
    let calls = 0;
    const partial = await renderReport(
      {
        renderChart: async (spec) => {
          calls++;
          if (calls === 1) throw new Error('renderer down');
          return renderChartPng(spec);
        },
      },
      reportInputFromResult(result, { createdAt: REPORT_DATE }),
    );
    expect(partial.missingCharts).toHaveLength(1);
    expect(partial.missingCharts[0]).toContain('Segment overview');
    expect(pdfPageTexts(partial.pdf)).toHaveLength(partial.deck.slides.length);
    const overview = partial.deck.slides.find((s) => s.kind === 'overview')!;
    expect([...overview.left, ...overview.right].map((b) => b.type)).toEqual(['table']);
  });
});
