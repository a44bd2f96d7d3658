/**
 * `segbot report <result.json|customers.csv> [--out deck.pptx] [--k auto|N] [--seed S]`: writes the
 * stakeholder deck as an editable PowerPoint file and, beside it, the same slides as a PDF.
 */
import { basename, extname } from 'node:path';
import { renderChartPng } from '../../charts/render-chart.js';
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../analytics/segment/segment-customers.js';
import { BadInputError } from '../errors.js';
import { type ReportableResult, renderReport, reportInputFromResult } from '../services/build-report.js';
import { type CliIo, fileError, readInput } from './io.js';
import { parseCliArgs } from './parse-cli-args.js';
import { readResultJson } from './read-result.js';
import { parseSegmentArgs } from './segment.js';

export const REPORT_USAGE = `Usage: segbot report <result.json|customers.csv> [options]

Writes a stakeholder deck: an editable PowerPoint file and the same slides as a PDF beside it
(title, data and method, segment overview, one slide per segment, data quality, choice of k).
From a CSV, segments it first with the same options as segbot segment.

Options:
  --out deck.pptx     where to write the deck (default: <input name>-report.pptx); the PDF is
                      written beside it with the .pdf extension
  --k auto|N          from a CSV: number of segments (default: auto)
  --seed S            from a CSV: random seed (default: 42)
  -h, --help          show this help
`;

export interface ReportCommand {
  file: string;
  out: string;
  pdf: string;
  segmentArgs: string[];
}

function usageError(message: string): BadInputError {
  return new BadInputError(message, { hint: 'Run `segbot report --help` for the options.' });
}

/** Parses the arguments after `segbot report`; `null` means help was asked for. */
export function parseReportArgs(args: string[]): ReportCommand | null {
  const { values, positionals } = parseOptions(args);
  if (values.help) return null;
  if (positionals.length !== 1) {
    throw usageError(
      positionals.length === 0
        ? 'Give the result file or the customer CSV: segbot report result.json --out deck.pptx'
        : `Give exactly one input file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const file = positionals[0]!;
  const out = values.out?.trim() || `${basename(file, extname(file))}-report.pptx`;
  if (extname(out).toLowerCase() !== '.pptx') {
    throw usageError(`--out must name a .pptx file, got "${out}" (the PDF is written beside it).`);
  }
  const segmentArgs = [file];
  if (values.k !== undefined) segmentArgs.push('--k', values.k);
  if (values.seed !== undefined) segmentArgs.push('--seed', values.seed);
  return { file, out, pdf: `${out.slice(0, -extname(out).length)}.pdf`, segmentArgs };
}

function parseOptions(args: string[]) {
  return parseCliArgs(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        k: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    usageError,
  );
}

async function resultOf(command: ReportCommand, bytes: Uint8Array): Promise<ReportableResult> {
  const name = basename(command.file);
  if (extname(name).toLowerCase() === '.json') {
    if (command.segmentArgs.length > 1)
      throw usageError('--k and --seed apply to a CSV, not to a result file.');
    return readResultJson(new TextDecoder().decode(bytes), name);
  }
  const options = parseSegmentArgs(command.segmentArgs);
  if (options === null) throw usageError('Give the customer CSV to report on.');
  const ingest = await ingestCsv(bytes, { fileName: name });
  return segmentCustomers(ingest, { k: options.k, seed: options.seed });
}

/** Runs `segbot report`; returns the exit code. Errors propagate to the dispatcher. */
export async function runReport(
  args: string[],
  io: CliIo,
  now: () => Date = () => new Date(),
): Promise<number> {
  const command = parseReportArgs(args);
  if (command === null) {
    io.stdout(REPORT_USAGE);
    return 0;
  }
  const bytes = await readInput(io, command.file);
  const result = await resultOf(command, bytes);
  // Everything is rendered before anything is written: a failure leaves no half-made deck.
  const files = await renderReport(
    { renderChart: (spec) => renderChartPng(spec) },
    reportInputFromResult(result, { createdAt: now() }),
  );
  for (const [path, content] of [
    [command.out, files.pptx],
    [command.pdf, files.pdf],
  ] as const) {
    try {
      await io.writeFile(path, content);
    } catch (error) {
      throw fileError(path, error, 'write');
    }
  }
  const kb = (n: number) => `${Math.max(1, Math.round(n / 1024)).toLocaleString('en-US')} KB`;
  io.stdout(
    `Wrote ${command.out} (${files.deck.slides.length} slides, ${kb(files.pptx.byteLength)}) and ${command.pdf} (${kb(files.pdf.byteLength)}).\n`,
  );
  for (const missing of files.missingCharts)
    io.stdout(`Chart left out (it could not be drawn): ${missing}\n`);
  return 0;
}
