/**
 * Pure parsing of `/segbot campaign …` arguments: the campaign name (the words before the first
 * option, usually quoted) and its options, each mistake a BadInputError with a correct example.
 */
import type { ScoreCut } from '../src/analytics/campaign/audience.js';
import { BadInputError } from '../src/errors.js';
import type { CampaignSpec } from '../src/services/campaigns.js';
import { DEFAULT_SEED, integerOption, listOption, parseOptions } from './parse-args.js';

export const NEW_CAMPAIGN_EXAMPLE =
  '/segbot campaign new "Loan push" segment=revolvers product=has_personal_loan top=500 holdout=10%';

/** The smallest and largest share a campaign may hold back. */
export const HOLDOUT_RANGE = { min: 0.05, max: 0.2, default: 0.1 } as const;

/** The options of `/segbot campaign new`: exactly what the campaign service takes. */
export type NewCampaignArgs = CampaignSpec;

/** A holdout share from "10%", "10" or "0.1"; throws when it is not one or is out of range. */
export function holdoutOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(value);
  if (!match) throw new Error('bad holdout');
  const number = Number(match[1]);
  // "10%" and "10" mean ten percent; "0.1" means the same as a share.
  const share = value.includes('%') || number >= 1 ? number / 100 : number;
  if (share < HOLDOUT_RANGE.min - 1e-12 || share > HOLDOUT_RANGE.max + 1e-12) throw new Error('out of range');
  return share;
}

/** Deciles "1" or "1-2" (1 is the most likely tenth); throws when they are not. */
export function decilesOption(value: string): { from: number; to: number } {
  const match = /^(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?$/.exec(value);
  if (!match) throw new Error('bad deciles');
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from < 1 || to > 10 || from > to) throw new Error('bad deciles');
  return { from, to };
}

const NEW_OPTIONS = {
  segment: {
    parse: listOption,
    expected: 'segment names or numbers, comma-separated',
    example: 'segment=revolvers',
  },
  rfm: {
    parse: listOption,
    expected: 'RFM segment names, comma-separated',
    example: 'rfm="At risk,Can\'t lose them"',
  },
  product: { parse: (v: string) => v, expected: 'a product column', example: 'product=has_personal_loan' },
  top: { parse: integerOption(1, 10_000_000), expected: 'a whole number of customers', example: 'top=500' },
  deciles: {
    parse: decilesOption,
    expected: 'a decile or a range of deciles within 1-10',
    example: 'deciles=1-2',
  },
  holdout: { parse: holdoutOption, expected: 'a share from 5% to 20%', example: 'holdout=10%' },
  exclude: { parse: listOption, expected: 'customer ids, comma-separated', example: 'exclude=C10001,C10002' },
  seed: {
    parse: integerOption(0, 2 ** 32 - 1),
    expected: 'a whole number from 0 to 4294967295',
    example: 'seed=7',
  },
};

/** The campaign name from the positional words; an error when there is none. */
export function campaignName(positional: string[], example: string): string {
  const name = positional.join(' ').trim();
  if (name === '') {
    throw new BadInputError('Say which campaign: give its name, in quotes when it has spaces.', {
      hint: `For example \`${example}\`.`,
    });
  }
  if (name.length > 80)
    throw new BadInputError('A campaign name can be at most 80 characters.', {
      hint: `For example \`${example}\`.`,
    });
  return name;
}

/** Parses `campaign new "<name>" [segment=…|rfm=…] [product=… top=N|deciles=a-b] [holdout=10%] [exclude=…] [seed=N]`. */
export function parseNewCampaignArgs(args: string[]): NewCampaignArgs {
  const { options, positional } = parseOptions(args, NEW_OPTIONS, {
    command: 'campaign new',
    allowPositional: true,
  });
  if (options.top !== undefined && options.deciles !== undefined) {
    throw new BadInputError('Give either top= or deciles=, not both.', {
      hint: `For example \`${NEW_CAMPAIGN_EXAMPLE}\`.`,
    });
  }
  const cut: ScoreCut | null =
    options.top !== undefined
      ? { kind: 'top', count: options.top }
      : options.deciles !== undefined
        ? { kind: 'deciles', ...options.deciles }
        : null;
  return {
    name: campaignName(positional, NEW_CAMPAIGN_EXAMPLE),
    segments: options.segment ?? [],
    rfm: options.rfm ?? [],
    product: options.product ?? null,
    cut,
    holdout: options.holdout ?? HOLDOUT_RANGE.default,
    exclude: options.exclude ?? [],
    seed: options.seed ?? DEFAULT_SEED,
  };
}
