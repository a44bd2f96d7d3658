/**
 * A later upload of a customer table in which a campaign's members took up its product at planted
 * rates, one rate for the contacted and one for the held back: the seeded stand-in for "the same
 * customers, exported again after the campaign ran", used by the deck check and the tests.
 */
import { createRng } from '../rng.js';

export interface PlantConversionsOptions {
  /** The customer table as CSV text (comma-separated, a header line, no quoted commas). */
  csv: string;
  idColumn: string;
  /** The 0/1 product column that marks a conversion. */
  product: string;
  members: readonly { customerId: string; group: 'treatment' | 'control' }[];
  /** Share of each group's non-holders who take up the product. */
  rates: { treatment: number; control: number };
  seed: number;
}

/** The CSV with the product flag set to 1 for the members drawn to convert. */
export function plantConversions(options: PlantConversionsOptions): string {
  const rng = createRng(options.seed);
  const group = new Map(options.members.map((m) => [m.customerId, m.group]));
  const lines = options.csv.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const id = header.indexOf(options.idColumn);
  const flag = header.indexOf(options.product);
  if (id < 0 || flag < 0) throw new RangeError('The id or product column is not in the header.');
  const out = [lines[0]!];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const g = group.get(cells[id]!);
    if (g !== undefined && cells[flag] === '0' && rng.next() < options.rates[g]) cells[flag] = '1';
    out.push(cells.join(','));
  }
  return `${out.join('\n')}\n`;
}
