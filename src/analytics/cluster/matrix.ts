/**
 * Small helpers around the row-major `Matrix` (a flat Float64Array with `rows` and `cols`). The
 * clustering code works on the flat array directly for speed; these helpers are for building,
 * slicing and converting matrices at the edges.
 */
import type { Matrix } from '../types.js';
import { squaredBetween } from './distance-kernels.js';

/** A zero-filled matrix of the given shape. */
export function createMatrix(rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`matrix shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  return { data: new Float64Array(rows * cols), rows, cols };
}

/** Builds a matrix from an array of equal-length rows (an empty array gives a 0 x 0 matrix). */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const matrix = createMatrix(rows.length, cols);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.length !== cols) {
      throw new RangeError(`row ${i} has ${row.length} values, expected ${cols}`);
    }
    matrix.data.set(row, i * cols);
  }
  return matrix;
}

/** The matrix as an array of plain number arrays (for JSON, charts and reference libraries). */
export function matrixToRows(matrix: Matrix): number[][] {
  const out: number[][] = new Array(matrix.rows);
  for (let i = 0; i < matrix.rows; i++) out[i] = Array.from(getRow(matrix, i));
  return out;
}

/** A view (no copy) of row `i`. */
export function getRow(matrix: Matrix, i: number): Float64Array {
  return matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols);
}

/** Copies `values` into row `i`. */
export function setRow(matrix: Matrix, i: number, values: ArrayLike<number>): void {
  if (values.length !== matrix.cols) {
    throw new RangeError(`row has ${values.length} values, expected ${matrix.cols}`);
  }
  matrix.data.set(values, i * matrix.cols);
}

/** A new matrix holding the given rows, in the given order. */
export function selectRows(matrix: Matrix, indices: ArrayLike<number>): Matrix {
  const { cols, data } = matrix;
  const out = createMatrix(indices.length, cols);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    out.data.set(data.subarray(i * cols, (i + 1) * cols), r * cols);
  }
  return out;
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (same column count). */
export function squaredDistance(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  cols: number,
): number {
  return squaredBetween(a, i * cols, b, j * cols, cols);
}

/** Column means. */
export function columnMeans(matrix: Matrix): Float64Array {
  const { rows, cols, data } = matrix;
  const means = new Float64Array(cols);
  for (let i = 0, p = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++, p++) means[c]! += data[p]!;
  }
  if (rows > 0) for (let c = 0; c < cols; c++) means[c]! /= rows;
  return means;
}
