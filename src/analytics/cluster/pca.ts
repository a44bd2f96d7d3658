/**
 * Principal component analysis from the covariance matrix. The data are read twice (column means,
 * then the d x d covariance), never copied or decomposed whole, so memory stays at O(d^2) on top of
 * the input however many customers there are. The symmetric eigenproblem is solved with cyclic
 * Jacobi rotations, which is exact to machine precision and fast for the small d segbot sees.
 */
import { BadInputError } from '../../errors.js';
import type { Matrix, PcaModel } from '../types.js';
import { createMatrix } from './matrix.js';

export interface PcaOptions {
  /** How many components to keep (default: all). */
  components?: number;
}

/**
 * Fits PCA on `X` (rows are customers). Variances use the sample denominator n - 1, the same
 * convention as ml-pca and scikit-learn, so `explainedVariance` equals their eigenvalues. Each
 * component's sign is fixed so its largest-magnitude loading is positive, which makes the result
 * reproducible across runs and machines.
 */
export function fitPca(X: Matrix, options: PcaOptions = {}): PcaModel {
  const { rows: n, cols: d, data } = X;
  if (d === 0) throw new BadInputError('PCA needs at least one feature column.');
  if (n < 2) {
    throw new BadInputError(`PCA needs at least 2 rows, got ${n}.`, {
      hint: 'Upload a file with more customers.',
    });
  }
  const keep = options.components ?? d;
  if (!Number.isInteger(keep) || keep < 1 || keep > d) {
    throw new RangeError(`components must be an integer in 1..${d}, got ${keep}`);
  }

  const mean = new Float64Array(d);
  for (let i = 0, p = 0; i < n; i++) {
    for (let c = 0; c < d; c++, p++) mean[c]! += data[p]!;
  }
  for (let c = 0; c < d; c++) {
    mean[c]! /= n;
    if (!Number.isFinite(mean[c]!)) {
      throw new BadInputError(`PCA input column ${c} has a missing or infinite value.`, {
        hint: 'Impute or drop missing values before PCA.',
      });
    }
  }
  return finishPca(accumulateCovariance(X, mean), { mean, keep, rows: n });
}

/** Rows per covariance block: the block's centred columns (d x 512 doubles) stay in cache. */
const COVARIANCE_BLOCK = 512;

/**
 * The upper triangle of the centred cross-product matrix (not yet divided by n - 1). Centring before
 * accumulating keeps it accurate when means are large. Rows are taken a block at a time and
 * transposed, so each of the d(d+1)/2 sums runs along two contiguous arrays; every sum still adds its
 * terms in row order, so the result is the same to the last bit as a row-by-row loop.
 */
function accumulateCovariance(X: Matrix, mean: Float64Array): Float64Array {
  const { rows: n, cols: d, data } = X;
  const cov = new Float64Array(d * d);
  const block = new Float64Array(d * COVARIANCE_BLOCK);
  for (let start = 0; start < n; start += COVARIANCE_BLOCK) {
    const size = Math.min(COVARIANCE_BLOCK, n - start);
    for (let i = 0, p = start * d; i < size; i++) {
      for (let c = 0; c < d; c++, p++) block[c * COVARIANCE_BLOCK + i] = data[p]! - mean[c]!;
    }
    for (let a = 0; a < d; a++) {
      const aOffset = a * COVARIANCE_BLOCK;
      const row = a * d;
      let b = a;
      // Four sums at once: each still adds its own terms in row order, but four independent chains
      // keep the floating-point adder busy where one chain waits on its previous addition.
      for (; b + 3 < d; b += 4) {
        const o0 = b * COVARIANCE_BLOCK;
        const o1 = o0 + COVARIANCE_BLOCK;
        const o2 = o1 + COVARIANCE_BLOCK;
        const o3 = o2 + COVARIANCE_BLOCK;
        let s0 = cov[row + b]!;
        let s1 = cov[row + b + 1]!;
        let s2 = cov[row + b + 2]!;
        let s3 = cov[row + b + 3]!;
        for (let i = 0; i < size; i++) {
          const x = block[aOffset + i]!;
          s0 += x * block[o0 + i]!;
          s1 += x * block[o1 + i]!;
          s2 += x * block[o2 + i]!;
          s3 += x * block[o3 + i]!;
        }
        cov[row + b] = s0;
        cov[row + b + 1] = s1;
        cov[row + b + 2] = s2;
        cov[row + b + 3] = s3;
      }
      for (; b < d; b++) {
        const bOffset = b * COVARIANCE_BLOCK;
        let sum = cov[row + b]!;
        for (let i = 0; i < size; i++) sum += block[aOffset + i]! * block[bOffset + i]!;
        cov[row + b] = sum;
      }
    }
  }
  return cov;
}

/** Covariance to components: symmetrize, decompose, order, fix signs. */
function finishPca(
  cov: Float64Array,
  { mean, keep, rows: n }: { mean: Float64Array; keep: number; rows: number },
): PcaModel {
  const d = mean.length;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const value = cov[a * d + b]! / (n - 1);
      cov[a * d + b] = value;
      cov[b * d + a] = value;
    }
  }

  const { values, vectors } = symmetricEigen(cov, d);

  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => values[y]! - values[x]! || x - y);
  let total = 0;
  for (let c = 0; c < d; c++) total += Math.max(0, values[c]!);

  const components = createMatrix(keep, d);
  const explainedVariance = new Float64Array(keep);
  const explainedVarianceRatio = new Float64Array(keep);
  for (let c = 0; c < keep; c++) {
    const source = order[c]!;
    // Eigenvector `source` is column `source` of `vectors`.
    let largest = 0;
    let sign = 1;
    for (let j = 0; j < d; j++) {
      const v = vectors[j * d + source]!;
      if (Math.abs(v) > largest) {
        largest = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    for (let j = 0; j < d; j++) components.data[c * d + j] = sign * vectors[j * d + source]!;
    const variance = Math.max(0, values[source]!);
    explainedVariance[c] = variance;
    explainedVarianceRatio[c] = total > 0 ? variance / total : 0;
  }
  return { mean, components, explainedVariance, explainedVarianceRatio };
}

/** Projects `X` on the first `components` principal axes of `model` (default 2, for charts). */
export function projectPca(model: PcaModel, X: Matrix, components = 2): Matrix {
  const d = model.mean.length;
  if (X.cols !== d) throw new RangeError(`X has ${X.cols} columns, the PCA model ${d}`);
  if (!Number.isInteger(components) || components < 1 || components > model.components.rows) {
    throw new RangeError(`components must be an integer in 1..${model.components.rows}, got ${components}`);
  }
  const { rows: n, data } = X;
  const axes = model.components.data;
  const mean = model.mean;
  const out = createMatrix(n, components);
  const centered = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const offset = i * d;
    for (let j = 0; j < d; j++) centered[j] = data[offset + j]! - mean[j]!;
    for (let c = 0; c < components; c++) {
      let sum = 0;
      const axisOffset = c * d;
      for (let j = 0; j < d; j++) sum += centered[j]! * axes[axisOffset + j]!;
      out.data[i * components + c] = sum;
    }
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric d x d matrix by cyclic Jacobi rotations. Returns the
 * eigenvalues (unsorted) and the eigenvectors as the columns of a row-major d x d array.
 */
export function symmetricEigen(
  matrix: Float64Array,
  d: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;

  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += a[i]! * a[i]!;
  if (scale === 0) return { values: new Float64Array(d), vectors: v };

  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    // Converged once the off-diagonal mass is negligible next to the whole matrix.
    if (off <= scale * 1e-30) break;

    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const app = a[p * d + p]!;
        const aqq = a[q * d + q]!;
        // The rotation angle that zeroes a[p][q], computed in the numerically stable form.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;

        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i]!;
  return { values, vectors: v };
}
