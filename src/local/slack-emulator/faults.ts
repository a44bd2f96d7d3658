import type { Fault } from './types.js';

/** Failures planned by `failNext`, per Web API method, used up in order. */
export interface FaultPlan {
  /** Queues `fault` for the next call(s) of `method`. */
  add(method: string, fault: Fault): void;
  /** The planned fault for this call of `method`, if any, counted as used. */
  take(method: string): Fault | undefined;
}

export function createFaultPlan(): FaultPlan {
  const faults = new Map<string, Fault[]>();
  return {
    add(method, fault) {
      const queue = faults.get(method) ?? [];
      queue.push({ ...fault, times: fault.times ?? 1 });
      faults.set(method, queue);
    },
    take(method) {
      const queued = faults.get(method);
      const fault = queued?.[0];
      if (!queued || !fault) return undefined;
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) queued.shift();
      return fault;
    },
  };
}
