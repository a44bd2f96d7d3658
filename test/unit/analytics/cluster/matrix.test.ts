import { describe, expect, it } from 'vitest';
import {
  columnMeans,
  createMatrix,
  getRow,
  matrixFromRows,
  matrixToRows,
  selectRows,
  setRow,
  squaredDistance,
} from '../../../../src/analytics/cluster/matrix.js';

describe('matrix helpers', () => {
  it('round-trips rows through the flat row-major layout', () => {
    const rows = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const m = matrixFromRows(rows);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(matrixToRows(m)).toEqual(rows);
  });

  it('rejects ragged rows and bad shapes', () => {
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
    expect(() => createMatrix(-1, 2)).toThrow(RangeError);
    expect(matrixFromRows([])).toMatchObject({ rows: 0, cols: 0 });
  });

  it('gives row views, copies rows in and selects rows in order', () => {
    const m = createMatrix(3, 2);
    setRow(m, 1, [7, 8]);
    expect(Array.from(getRow(m, 1))).toEqual([7, 8]);
    getRow(m, 2)[0] = 9;
    expect(m.data[4]).toBe(9);
    expect(() => setRow(m, 0, [1])).toThrow(RangeError);
    expect(matrixToRows(selectRows(m, [2, 1]))).toEqual([
      [9, 0],
      [7, 8],
    ]);
  });

  it('computes squared distances and column means', () => {
    const m = matrixFromRows([
      [0, 0],
      [3, 4],
    ]);
    expect(squaredDistance(m.data, 0, m.data, 1, 2)).toBe(25);
    expect(Array.from(columnMeans(m))).toEqual([1.5, 2]);
  });
});
