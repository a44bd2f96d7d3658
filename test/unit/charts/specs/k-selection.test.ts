import { describe, expect, it } from 'vitest';
import { kSelectionSpec } from '../../../../charts/specs/k-selection.js';
import { asJson, get, getArray, valuesOf } from './helpers.js';

const scores = [
  { k: 4, silhouette: 0.22, inertia: 900 },
  { k: 2, silhouette: 0.3, inertia: 2000 },
  { k: 3, silhouette: 0.35, inertia: 1200 },
  { k: 5, silhouette: Number.NaN, inertia: 800 },
];

describe('kSelectionSpec', () => {
  it('sorts the candidates by k, drops incomplete ones and flags the chosen k', () => {
    const values = valuesOf(kSelectionSpec({ scores, chosenK: 3 }));
    expect(values.map((v) => v.k)).toEqual([2, 3, 4]);
    expect(values.filter((v) => v.chosen).map((v) => v.k)).toEqual([3]);
  });

  it('shows silhouette and inertia side by side, each marking the chosen k', () => {
    const spec = asJson(kSelectionSpec({ scores, chosenK: 3 }));
    expect(get(spec, 'hconcat')).toHaveLength(2);
    const [silhouette, inertia] = getArray(spec, 'hconcat');
    expect(get(silhouette, 'layer.1.encoding.y.field')).toBe('silhouette');
    expect(get(inertia, 'layer.1.encoding.y.field')).toBe('inertia');
    for (const panel of getArray(spec, 'hconcat')) {
      expect(get(panel, 'layer.0.mark.type')).toBe('rule');
      expect(get(panel, 'layer.0.encoding.x.datum')).toBe(3);
      expect(get(panel, 'layer.3.transform.0.filter')).toBe('datum.k === 3');
      expect(get(panel, 'encoding.x.axis.values')).toEqual([2, 3, 4]);
    }
    expect(get(spec, 'resolve.scale.y')).toBe('independent');
  });

  it('names the choice in plain words', () => {
    const spec = asJson(kSelectionSpec({ scores, chosenK: 3 }));
    expect(get(spec, 'title.text')).toBe('How many segments? 3 chosen');
    expect(get(spec, 'title.subtitle.0')).toBe('3 candidates tried; k = 3 (orange) has silhouette 0.35.');
  });
});
