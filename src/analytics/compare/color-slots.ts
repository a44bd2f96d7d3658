/**
 * Colour slots that follow a segment from run to run in a channel: a segment matched to one of the
 * previous run's keeps that segment's slot, a new segment takes the lowest slot the previous run did
 * not use. The charts
 * paint slot n with the palette's n-th colour, so "Revolvers" stays orange after a re-run even when
 * k-means numbers it differently.
 */
import { type MatchInput, matchSegments } from './compare-runs.js';

/**
 * The colour slot of each segment of the newest run (by segment position), given the channel's
 * runs oldest first. The first run's segments take slots 0, 1, 2, … in order.
 */
export function colorSlots(history: readonly MatchInput[]): number[] {
  let slots: number[] = [];
  history.forEach((run, r) => {
    const count = run.segments.length;
    if (r === 0) {
      slots = Array.from({ length: count }, (_, j) => j);
      return;
    }
    const { matchedCurrent } = matchSegments(history[r - 1]!, run);
    const next = new Array<number>(count).fill(-1);
    const used = new Set<number>();
    matchedCurrent.forEach((i, j) => {
      const slot = i >= 0 ? slots[i] : undefined;
      if (slot !== undefined && !used.has(slot)) {
        next[j] = slot;
        used.add(slot);
      }
    });
    // A new segment avoids the colours of the previous run too, so it is not mistaken for the
    // segment that dissolved.
    const avoid = new Set([...used, ...slots]);
    let free = 0;
    for (let j = 0; j < count; j++) {
      if (next[j]! >= 0) continue;
      while (avoid.has(free)) free++;
      avoid.add(free);
      next[j] = free;
      used.add(free);
    }
    slots = next;
  });
  return slots;
}
