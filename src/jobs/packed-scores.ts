/**
 * Customer scores as typed arrays, for crossing a thread boundary. A million score objects take the
 * receiving thread over a second to copy in (and as long again to collect); four typed arrays are
 * moved without a copy, and the ids are filled in from the table the receiver already holds.
 */
import { reasonLists } from '../analytics/predict/explain-scores.js';
import type { CustomerScore } from '../analytics/predict/train-propensity.js';

export interface PackedScores {
  row: Int32Array;
  probability: Float64Array;
  decile: Uint8Array;
  holds: Uint8Array;
  /** Three per customer, indexes into `reasonTexts` (-1: none); few distinct texts cross once each. */
  reasons: Int32Array;
  reasonTexts: string[];
}

export function packScores(scores: readonly CustomerScore[]): PackedScores {
  const n = scores.length;
  const packed: PackedScores = {
    row: new Int32Array(n),
    probability: new Float64Array(n),
    decile: new Uint8Array(n),
    holds: new Uint8Array(n),
    reasons: new Int32Array(n * 3).fill(-1),
    reasonTexts: [],
  };
  // Reason texts are few and shared: each crosses once, customers carry indexes.
  const textIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    packed.row[i] = s.row;
    packed.probability[i] = s.probability;
    packed.decile[i] = s.decile;
    packed.holds[i] = s.holds ? 1 : 0;
    for (let j = 0; j < Math.min(3, s.reasons.length); j++) {
      const text = s.reasons[j]!;
      let at = textIndex.get(text);
      if (at === undefined) {
        at = packed.reasonTexts.length;
        packed.reasonTexts.push(text);
        textIndex.set(text, at);
      }
      packed.reasons[i * 3 + j] = at;
    }
  }
  return packed;
}

/** The buffers to transfer with a message carrying `packed`. */
export function transferList(packed: PackedScores): ArrayBuffer[] {
  return [packed.row, packed.probability, packed.decile, packed.holds, packed.reasons].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** The scores back as objects, in the same order; `ids` are the table's customer ids by row. */
export function unpackScores(packed: PackedScores, ids: readonly string[]): CustomerScore[] {
  const scores = new Array<CustomerScore>(packed.row.length);
  const reasons = reasonLists(packed.reasonTexts, packed.reasons, 3);
  for (let i = 0; i < scores.length; i++) {
    const row = packed.row[i]!;
    scores[i] = {
      customerId: ids[row]!,
      row,
      probability: packed.probability[i]!,
      decile: packed.decile[i]!,
      holds: packed.holds[i] === 1,
      reasons: reasons[i]!,
    };
  }
  return scores;
}
