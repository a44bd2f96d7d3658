import type { TopLevelSpec } from 'vega-lite';

/** The inline data values of a spec (top level), as plain rows. */
export function valuesOf(spec: TopLevelSpec): Record<string, unknown>[] {
  const data = (spec as { data?: { values?: unknown } }).data;
  if (!data || !Array.isArray(data.values)) throw new Error('spec has no inline values');
  return data.values as Record<string, unknown>[];
}

/** A JSON round trip: specs must survive being stored and sent as JSON. */
export function asJson(spec: TopLevelSpec): unknown {
  return JSON.parse(JSON.stringify(spec)) as unknown;
}

/** Reads a dotted path ("layer.0.encoding.color") from parsed JSON; undefined where a step is missing. */
export function get(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** Reads an array at a dotted path (empty where missing), for assertions that map over it. */
export function getArray(value: unknown, path: string): unknown[] {
  const found = get(value, path);
  return Array.isArray(found) ? found : [];
}
