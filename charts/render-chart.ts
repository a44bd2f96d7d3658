import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { SegbotError } from '../src/errors.js';
import { type FontMetrics, readFontMetrics } from './font-metrics.js';
import { FONT_FAMILY } from './theme.js';

/** Options for rasterising a chart. */
export interface RenderPngOptions {
  /**
   * Pixels per CSS pixel of the chart. Default: 2, or less for a chart so wide that 2x would pass
   * 1,600 px. Charts are laid out 650-800 px wide, so PNGs come out 1,300-1,600 px wide: sharp in
   * Slack's full view, legible in its preview, and not heavier than that needs.
   */
  scale?: number;
}

/** Turns Vega-Lite specs into SVG text or PNG bytes, with the bundled Inter font and no system fonts. */
export interface ChartRenderer {
  renderSvg(spec: TopLevelSpec): Promise<string>;
  renderPng(spec: TopLevelSpec, options?: RenderPngOptions): Promise<Buffer>;
}

/** Where the renderer finds its fonts. */
export interface ChartRendererOptions {
  /** TTF files: regular first, then heavier weights. Default: Inter 400, 600 and 700 from the npm package. */
  fontFiles?: { path: string; weight: number }[];
}

/** A chart could not be drawn. The message is safe to show; `cause` holds the renderer's own error. */
export class ChartRenderError extends SegbotError {
  constructor(message: string, cause?: unknown) {
    super(
      'bad_input',
      message,
      'The rest of the reply is unaffected. If charts keep failing, tell an admin so they can check the logs.',
    );
    if (cause !== undefined) this.cause = cause;
  }
}

/** Widest PNG the default scale produces. */
const DEFAULT_MAX_WIDTH = 1600;
/** Largest PNG width at all; a bigger request is scaled down rather than eating memory. */
const MAX_PNG_WIDTH = 4000;

/** The Inter TTF files shipped in node_modules, resolved from this module so any working directory works. */
export function interFontFiles(): { path: string; weight: number }[] {
  const require = createRequire(import.meta.url);
  const faces: [string, number][] = [
    ['400Regular/Inter_400Regular.ttf', 400],
    ['600SemiBold/Inter_600SemiBold.ttf', 600],
    ['700Bold/Inter_700Bold.ttf', 700],
  ];
  return faces.map(([file, weight]) => ({
    path: require.resolve(`@expo-google-fonts/inter/${file}`),
    weight,
  }));
}

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/** Picks the loaded face closest to a Vega font weight ('bold', 600, 'normal', undefined). */
function weightOf(fontWeight: number | string | undefined): number {
  if (fontWeight === undefined || fontWeight === 'normal') return 400;
  if (fontWeight === 'bold' || fontWeight === 'bolder') return 700;
  const numeric = Number(fontWeight);
  return Number.isFinite(numeric) ? numeric : 400;
}

/**
 * Replaces Vega's 0.8-em-per-character guess with the real Inter widths. Vega reads this hook for
 * label truncation, legend and axis sizing; the clamp to `limit` matches what Vega's own canvas
 * measurement returns for text it will truncate, and keeps its truncation search from recursing.
 */
function installTextMetrics(faces: { weight: number; metrics: FontMetrics }[]): void {
  const textMetrics = (
    vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }
  ).textMetrics;
  textMetrics.width = (item, text) => {
    const value = text == null ? '' : String(text).trim();
    if (!value) return 0;
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    if (size <= 0) return 0;
    const weight = weightOf(item.fontWeight);
    let face = faces[0]!;
    for (const candidate of faces) {
      if (Math.abs(candidate.weight - weight) < Math.abs(face.weight - weight)) face = candidate;
    }
    const width = face.metrics.width(value, size);
    const limit = Number(item.limit) || 0;
    return limit > 0 ? Math.min(width, limit) : width;
  };
}

/** Specs carry their data inline; a loader that refuses everything keeps rendering off the network and disk. */
function refusingLoader(onRefuse: () => void): vega.Loader {
  const refuse = (): Promise<never> => {
    onRefuse();
    return Promise.reject(new Error('charts carry their data inline; external data is not loaded'));
  };
  return {
    load: refuse,
    sanitize: refuse,
    http: refuse,
    file: refuse,
  } as unknown as vega.Loader;
}

interface SceneBounds {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface SceneItem {
  x?: number;
  y?: number;
  bounds?: SceneBounds;
  items?: SceneMark[];
}

interface SceneMark {
  marktype: string;
  items: SceneItem[];
}

/**
 * Drops scene items that lie wholly outside the canvas (such as a clipped scatter point far out on
 * an axis) and returns how many went. They are invisible anyway, and the PNG rasteriser aborts the
 * whole process (not a catchable error) on a translucent or clipped element far outside its canvas.
 * Coordinates: each group's items are relative to the group, so offsets accumulate on the way down.
 */
export function pruneOffCanvas(
  mark: SceneMark,
  canvas: { width: number; height: number },
  offsetX: number,
  offsetY: number,
): number {
  let pruned = 0;
  const isGroup = mark.marktype === 'group';
  const kept: SceneItem[] = [];
  for (const item of mark.items) {
    const b = item.bounds;
    const empty = !b || !(b.x2 >= b.x1) || !(b.y2 >= b.y1);
    const outside =
      !empty &&
      (b.x2 + offsetX < 0 ||
        b.x1 + offsetX > canvas.width ||
        b.y2 + offsetY < 0 ||
        b.y1 + offsetY > canvas.height);
    if (outside && !isGroup) {
      pruned++;
      continue;
    }
    kept.push(item);
    if (isGroup && item.items) {
      for (const child of item.items) {
        pruned += pruneOffCanvas(child, canvas, offsetX + (item.x ?? 0), offsetY + (item.y ?? 0));
      }
    }
  }
  if (pruned > 0) mark.items = kept;
  return pruned;
}

/** Canvas size and the root translation, read from Vega's SVG output. */
function svgFrame(svg: string): { width: number; height: number; x: number; y: number } {
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  const origin = /<g[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"/.exec(svg);
  return {
    width: size ? Number(size[1]) : 0,
    height: size ? Number(size[2]) : 0,
    x: origin ? Number(origin[1]) : 0,
    y: origin ? Number(origin[2]) : 0,
  };
}

/** Compiles a Vega-Lite spec to Vega, collecting the compiler's warnings instead of printing them. */
export function compileChart(spec: TopLevelSpec): { spec: vega.Spec; warnings: string[] } {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    warn: (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const compiled = compile(spec, { logger: logger as never });
  return { spec: compiled.spec as vega.Spec, warnings };
}

function chartName(spec: TopLevelSpec): string {
  const title = (spec as { title?: unknown }).title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && 'text' in title && typeof title.text === 'string')
    return title.text;
  return 'chart';
}

/**
 * Creates a renderer. Fonts are read once here; a missing font file fails now, with a coded error,
 * rather than on the first chart.
 */
export function createChartRenderer(options: ChartRendererOptions = {}): ChartRenderer {
  let fontFiles: { path: string; weight: number }[];
  let faces: { weight: number; metrics: FontMetrics }[];
  try {
    fontFiles = options.fontFiles ?? interFontFiles();
    faces = fontFiles.map((file) => ({
      weight: file.weight,
      metrics: readFontMetrics(readFileSync(file.path)),
    }));
  } catch (error) {
    throw new ChartRenderError(
      'The chart font (Inter) could not be loaded, so charts cannot be drawn.',
      error,
    );
  }
  if (faces.length === 0) throw new ChartRenderError('No chart font was given, so charts cannot be drawn.');
  installTextMetrics(faces);

  const renderSvg = async (spec: TopLevelSpec): Promise<string> => {
    let view: vega.View | undefined;
    try {
      const compiled = compileChart(spec);
      // Vega logs dataflow failures (an error, a refused data load) and draws on regardless; a chart
      // with silently missing data is worse than none, so either fails the render.
      const errors: string[] = [];
      const logger = {
        level: () => logger,
        error: (...args: unknown[]) => {
          errors.push(args.map(String).join(' '));
          return logger;
        },
        warn: () => logger,
        info: () => logger,
        debug: () => logger,
      };
      view = new vega.View(vega.parse(compiled.spec), {
        renderer: 'none',
        loader: refusingLoader(() => errors.push('the spec asks for external data')),
        logger: logger as unknown as vega.LoggerInterface,
        logLevel: vega.Error,
      });
      const svg = await view.toSVG();
      if (errors.length > 0) throw new Error(errors.join('; '));
      const frame = svgFrame(svg);
      const root = (view.scenegraph() as unknown as { root: SceneMark }).root;
      if (frame.width > 0 && pruneOffCanvas(root, frame, frame.x, frame.y) > 0) return await view.toSVG();
      return svg;
    } catch (error) {
      throw new ChartRenderError(`The chart "${chartName(spec)}" could not be drawn.`, error);
    } finally {
      view?.finalize();
    }
  };

  const renderPng = async (spec: TopLevelSpec, renderOptions: RenderPngOptions = {}): Promise<Buffer> => {
    const svg = await renderSvg(spec);
    try {
      const widthMatch = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
      const svgWidth = widthMatch ? Number(widthMatch[1]) : 800;
      const requested = renderOptions.scale ?? Math.max(1, Math.min(2, DEFAULT_MAX_WIDTH / svgWidth));
      if (!(requested > 0)) throw new Error(`scale must be positive, got ${requested}`);
      const width = Math.min(Math.round(svgWidth * requested), MAX_PNG_WIDTH);
      const resvg = new Resvg(svg, {
        background: '#FFFFFF',
        fitTo: { mode: 'width', value: width },
        font: {
          fontFiles: fontFiles.map((file) => file.path),
          loadSystemFonts: false,
          defaultFontFamily: FONT_FAMILY,
          sansSerifFamily: FONT_FAMILY,
        },
        shapeRendering: 2,
        textRendering: 1,
      });
      return Buffer.from(resvg.render().asPng());
    } catch (error) {
      throw new ChartRenderError(`The chart "${chartName(spec)}" could not be turned into an image.`, error);
    }
  };

  return { renderSvg, renderPng };
}

let defaultRenderer: ChartRenderer | undefined;

function sharedRenderer(): ChartRenderer {
  defaultRenderer ??= createChartRenderer();
  return defaultRenderer;
}

/** Renders a Vega-Lite spec to PNG bytes (white background, Inter font, 2x scale by default). */
export async function renderChartPng(spec: TopLevelSpec, options?: RenderPngOptions): Promise<Buffer> {
  return sharedRenderer().renderPng(spec, options);
}

/** Renders a Vega-Lite spec to SVG text (text as <text> elements, in Inter). */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  return sharedRenderer().renderSvg(spec);
}
