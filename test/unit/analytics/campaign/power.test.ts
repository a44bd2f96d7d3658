import { describe, expect, it } from 'vitest';
import {
  detectionPower,
  minimumDetectableLift,
  normalCdf,
  powerStatement,
} from '../../../../src/analytics/campaign/power.js';

describe('power', () => {
  it('has a normal distribution function accurate to 1e-6', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
  it('gives 80% power at the minimum detectable lift', () => {
    const mde = minimumDetectableLift(4500, 500, 0.1);
    expect(detectionPower({ treatment: 4500, control: 500, baseRate: 0.1, lift: mde })).toBeGreaterThan(0.75);
    expect(detectionPower({ treatment: 4500, control: 500, baseRate: 0.1, lift: mde })).toBeLessThan(0.85);
  });
  it('says it in plain words, and warns when the control group is too small', () => {
    const fine = powerStatement({ treatment: 4500, control: 500, baseRate: 0.1, lift: 0.03 });
    expect(fine.text).toMatch(
      /^With 4,500 contacted and 500 held back, a lift of 3 points on a 10% base rate would be detected \d+% of the time/,
    );
    expect(fine.tooSmall).toBe(false);
    const small = powerStatement({ treatment: 90, control: 10, baseRate: 0.1, lift: 0.03 });
    expect(small.tooSmall).toBe(true);
    expect(small.text).toMatch(/too small to detect a useful lift/);
  });
});
