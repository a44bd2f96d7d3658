import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kmeans } from '../../../../src/analytics/cluster/kmeans.js';
import { silhouetteScore, silhouetteScores } from '../../../../src/analytics/cluster/silhouette.js';
import type { KMeansResult, Matrix } from '../../../../src/analytics/types.js';
import { makeBlobs, makeSkewed } from './make-blobs.js';

/**
 * Pinned output: SHA-256 of labels and centroid bytes, inertia, iterations and silhouette for seeded
 * inputs, recorded before k-means was split into seeding, Hamerly and kernel modules. Any change to
 * the order of floating-point operations shows up here, so restructuring stays bit-identical.
 */
function digest(result: KMeansResult): string {
  const { labels, centroids } = result;
  return createHash('sha256')
    .update(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength))
    .update(new Uint8Array(centroids.data.buffer, centroids.data.byteOffset, centroids.data.byteLength))
    .digest('hex');
}

const blobs = makeBlobs({ k: 5, perCluster: 300, dims: 17, seed: 5 }).X;
const skewed = makeSkewed(3000, 7, 8);
// Above the 20,000-row default: restarts on a sample, refined on all rows; silhouette on a sample.
const large = makeSkewed(21_000, 4, 9);
const data: Record<string, Matrix> = { blobs, skewed, large };

describe('kmeans and silhouette pinned output', () => {
  it.each([
    [
      'blobs',
      5,
      '0ef6b478adf2bbde1326ed8625e080119018713b27b9f4298579940bf43e8af4',
      25756.776973369437,
      2,
      0.516919889202295,
    ],
    [
      'blobs',
      8,
      'e8f97415e9ab663c227917b9b62fbb7821b870aa9f82d017be61c55af5daf025',
      24905.575391950442,
      23,
      0.233623989006794,
    ],
    [
      'skewed',
      3,
      '50e761f33468fd477709f80de775d4b23156624edaffa2ccc5f7fcb2a56205cf',
      73859.59858264201,
      20,
      0.33098958318523586,
    ],
    [
      'skewed',
      6,
      '593d23c3eca5c0ab290a551016ae4778ecbfa3ddcaf270c9f5e46a3c62f35fdb',
      55099.5954590862,
      32,
      0.3178887651888102,
    ],
    [
      'skewed',
      10,
      'ddff1e75a1a2428f4f1a4fa3775068663ebf9208223b48d9cafe637b59abe60b',
      37207.80657680037,
      32,
      0.33190425126326134,
    ],
    [
      'large',
      6,
      '069d18dacf5da0bae5d0dbf5e44ce254890bbfc1d21a044521e6fbcac1901c65',
      161349.70325134695,
      14,
      0.42520220469305287,
    ],
  ] as const)('%s, k=%i', (name, k, hash, inertia, iterations, silhouette) => {
    const X = data[name]!;
    const result = kmeans(X, { k, seed: 42, nInit: 3 });
    expect(digest(result)).toBe(hash);
    expect(result.inertia).toBe(inertia);
    expect(result.iterations).toBe(iterations);
    expect(silhouetteScore(X, result.labels, k, { seed: 42 }).score).toBe(silhouette);
  });

  it('scores several sampled labellings to the same bits', () => {
    const labellings = [3, 6].map((k) => ({ labels: kmeans(skewed, { k, seed: 1, nInit: 1 }).labels, k }));
    const scores = silhouetteScores(skewed, labellings, { seed: 4, maxExact: 1000, sampleSize: 800 });
    expect(scores.map((s) => s.score)).toEqual([0.3380114030392016, 0.32056170367541165]);
  });
});
