/**
 * The deck's font: Inter, from the same npm package the charts use, so slides and charts match and
 * no system font is needed. Its metrics drive the layout; its files are embedded in the PDF.
 */
import { readFileSync } from 'node:fs';
import { readFontMetrics } from '../../charts/font-metrics.js';
import { interFontFiles } from '../../charts/render-chart.js';
import type { FontWeight, TextMeasure } from './layout-deck.js';

/** The font family name PowerPoint is asked for. */
export const DECK_FONT = 'Inter';

export interface DeckFonts {
  measure: TextMeasure;
  /** TTF bytes by weight, for embedding. */
  files: ReadonlyMap<FontWeight, Uint8Array>;
}

let loaded: DeckFonts | undefined;

/** Loads Inter 400, 600 and 700 once. */
export function deckFonts(): DeckFonts {
  if (loaded) return loaded;
  const files = new Map<FontWeight, Uint8Array>();
  const metrics = new Map<FontWeight, ReturnType<typeof readFontMetrics>>();
  for (const face of interFontFiles()) {
    const weight = face.weight as FontWeight;
    const bytes = readFileSync(face.path);
    files.set(weight, bytes);
    metrics.set(weight, readFontMetrics(bytes));
  }
  const regular = metrics.get(400);
  if (!regular) throw new Error('Inter 400 is missing from @expo-google-fonts/inter');
  loaded = {
    files,
    measure: { width: (text, size, weight) => (metrics.get(weight) ?? regular).width(text, size) },
  };
  return loaded;
}
