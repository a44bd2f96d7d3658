import { describe, expect, it } from 'vitest';
import { migrationMatrixSpec } from '../../../../charts/specs/migration-matrix.js';
import { asJson, get, valuesOf } from './helpers.js';

const input = {
  from: ['Revolvers', 'Dormant'],
  to: ['Revolvers', 'Dormant', 'New customers'],
  counts: [
    [900, 80, 20],
    [5, 9000, 0],
  ],
  pairs: 2,
};

describe('migrationMatrixSpec', () => {
  it('has one cell per from/to pair with the count and the share of its row', () => {
    const values = valuesOf(migrationMatrixSpec(input));
    expect(values).toHaveLength(6);
    const cell = values.find((v) => v.fromName === 'Revolvers' && v.toName === 'Dormant')!;
    expect(cell.count).toBe(80);
    expect(cell.rowShare).toBeCloseTo(0.08, 10);
    expect(cell.label).toBe('80\n8.0%');
    expect(values.find((v) => v.fromName === 'Dormant' && v.toName === 'Revolvers')!.label).toBe('5\n<0.1%');
    expect(values.find((v) => v.toName === 'New customers' && v.fromName === 'Dormant')!.label).toBe('–');
  });

  it('marks stayers and scales colour to the largest move only', () => {
    const spec = asJson(migrationMatrixSpec(input));
    const values = valuesOf(migrationMatrixSpec(input));
    expect(values.filter((v) => v.stayed).map((v) => v.count)).toEqual([900, 9000]);
    const color = get(spec, 'layer.0.encoding.color');
    expect(get(color, 'scale.domain')).toEqual([0, 80]);
    expect(get(color, 'condition.0')).toEqual({ test: 'datum.stayed', value: '#E4E7EB' });
    expect(values.filter((v) => v.strong).map((v) => v.count)).toEqual([80]);
  });

  it('counts movers in the subtitle and labels rows and columns by name', () => {
    const spec = asJson(migrationMatrixSpec(input));
    expect(get(spec, 'title.subtitle.0')).toBe(
      '105 of 10,005 customers changed segment between the two runs.',
    );
    expect(get(spec, 'encoding.y.axis.labelExpr')).toBe('[["Revolvers"],["Dormant"]][datum.value]');
    expect(get(spec, 'encoding.x.axis.labelExpr')).toContain('"New customers"');
  });
});
