import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ForestOptions,
  predictForest,
  trainForest,
} from '../../../../src/analytics/predict/random-forest.js';
import { serializeForest } from '../../../../src/analytics/predict/serialize-forest.js';
import { plantedSplit } from './planted.js';

/**
 * Pinned fingerprints of forests grown before the tree grower was split into modules: the stored
 * model (every node, mask and importance) and the held-out scores, bit for bit. A refactor of the
 * grower that changes any draw, split or partition order changes a hash here. Only change a pin on
 * purpose, when the forest's results are meant to change (stored models then need retraining).
 */
const CASES: {
  name: string;
  data: Parameters<typeof plantedSplit>[0];
  forest: ForestOptions;
  pin: string;
}[] = [
  {
    name: 'default options, missing values and categories',
    data: { rows: 2500, numeric: 7, categorical: 3, seed: 31, baseRate: 0.12 },
    forest: { nTrees: 12, seed: 5 },
    pin: '4c3a8bc5704ec33b30d80645d543cbef69c4ecb4780898c05606c7b03c28f841',
  },
  {
    name: 'the propensity settings: leaf 20, balanced, capped draws',
    data: { rows: 6000, numeric: 9, categorical: 2, seed: 32, baseRate: 0.04 },
    forest: { nTrees: 10, seed: 9, minSamplesLeaf: 20, maxRowsPerTree: 3000 },
    pin: '9e6b923521b8e31ef4bc61250a6a50c7ea793cb0a1f38fbc0a74a0890023fa1d',
  },
  {
    name: 'without bootstrap, unweighted, all features, shallow',
    data: { rows: 1800, numeric: 5, categorical: 2, seed: 33, baseRate: 0.3, missingRate: 0.1 },
    forest: {
      nTrees: 6,
      seed: 2,
      bootstrap: false,
      classWeight: 'none',
      maxFeatures: 'all',
      maxDepth: 6,
      minSamplesSplit: 10,
    },
    pin: 'eae5cdac16f556948d18b5fb4deaffcbf6fed57fd04c1afb63eecd804e5d1b8a',
  },
  {
    name: 'a fraction of the features per split, half the rows',
    data: { rows: 3000, numeric: 12, categorical: 1, seed: 34, baseRate: 0.2 },
    forest: { nTrees: 8, seed: 3, maxFeatures: 0.4, maxSamples: 0.5, minSamplesLeaf: 3 },
    pin: 'ade701579b690e143c11113c5e6612abf88917aef32f683afe4d9e03fdbf8ee2',
  },
];

function fingerprint(entry: (typeof CASES)[number]): string {
  const s = plantedSplit(entry.data);
  const model = trainForest(s.train, s.trainLabels, entry.forest);
  const scores = predictForest(model, s.test);
  // Split nodes carry their value (for tree-path contributions) since these pins were taken; the
  // pins hold the grower's decisions, so split values are blanked as they were then.
  const value = model.value.map((v, i) => (model.feature[i]! < 0 ? v : 0));
  return createHash('sha256')
    .update(JSON.stringify(serializeForest({ ...model, value })))
    .update(new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength))
    .digest('hex');
}

describe('forest fingerprints', () => {
  for (const entry of CASES) {
    it(`are unchanged: ${entry.name}`, () => {
      expect(fingerprint(entry)).toBe(entry.pin);
    });
  }
});
