/**
 * Small hand-made runs for the digest and thread tests: three segments on three features, with
 * customers placed by hand so every count is known.
 */
import { compareRuns, type RunSnapshot } from '../../../../src/analytics/compare/compare-runs.js';
import type { FittedTransform, PersonaKey, Segment } from '../../../../src/analytics/types.js';
import type { ThreadRuns } from '../../../../src/slack/digest/mention-answers.js';

export const TRANSFORM: FittedTransform = {
  version: 1,
  features: ['BALANCE', 'PURCHASES', 'CASH_ADVANCE'].map((name, i) => ({
    kind: 'numeric' as const,
    name,
    column: name,
    median: 500,
    imputed: 0,
    log1p: false,
    mean: [1500, 1000, 900][i]!,
    std: [1000, 800, 1200][i]!,
  })),
};

export interface SegmentSpec {
  name: string;
  persona: PersonaKey;
  centre: [number, number, number];
  ids: string[];
  action?: string;
}

/** A run whose segment i is specs[order[i]]: the same segments, numbered as k-means pleases. */
export function snapshot(runId: number, specs: SegmentSpec[], order = specs.map((_, i) => i)): RunSnapshot {
  const total = specs.reduce((sum, s) => sum + s.ids.length, 0);
  const segments: Segment[] = order.map((specIndex, index) => {
    const spec = specs[specIndex]!;
    return {
      index,
      name: spec.name,
      persona: spec.persona,
      size: spec.ids.length,
      share: spec.ids.length / total,
      profile: [],
      traits: [{ feature: 'CASH_ADVANCE', direction: 'high', z: 1.5, text: `${spec.name} trait` }],
      actions: spec.action ? [{ title: spec.action, reason: `because ${spec.name}` }] : [],
      centroid: {
        standardized: [],
        original: { BALANCE: spec.centre[0], PURCHASES: spec.centre[1], CASH_ADVANCE: spec.centre[2] },
      },
    };
  });
  const customerIds: string[] = [];
  const labels: number[] = [];
  order.forEach((specIndex, index) => {
    for (const id of specs[specIndex]!.ids) {
      customerIds.push(id);
      labels.push(index);
    }
  });
  return { runId, transform: TRANSFORM, segments, labels: Int32Array.from(labels), customerIds };
}

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

/**
 * Run 1: Revolvers (=SUM(1), c1-c39), Transactors c40-c69, VIP c70-c79.
 * Run 2, numbered differently, Revolvers' cash advance up: ten Revolvers became Transactors (one
 * with an id a spreadsheet would run as a formula); c70 left and n1 joined the VIPs.
 */
export function twoRuns(): ThreadRuns {
  const before: SegmentSpec[] = [
    {
      name: 'Revolvers',
      persona: 'revolver',
      centre: [3000, 200, 1000],
      ids: ['=SUM(1)', ...range('c', 1, 40)],
      action: 'Balance transfer offer',
    },
    {
      name: 'Transactors',
      persona: 'transactor',
      centre: [500, 2500, 0],
      ids: range('c', 40, 70),
      action: 'Cashback card',
    },
    {
      name: 'VIP high spenders',
      persona: 'vip',
      centre: [5000, 8000, 100],
      ids: range('c', 70, 80),
      action: 'Concierge',
    },
  ];
  const after: SegmentSpec[] = [
    { ...before[0]!, centre: [3100, 200, 1380], ids: range('c', 10, 40) },
    {
      ...before[1]!,
      name: 'Everyday spenders',
      ids: [...range('c', 40, 70), '=SUM(1)', ...range('c', 1, 10)],
    },
    { ...before[2]!, ids: [...range('c', 71, 80), 'n1'] },
  ];
  const previous = snapshot(1, before);
  const current = snapshot(2, after, [2, 0, 1]);
  const comparison = compareRuns(previous, current);
  const facts = (id: number) => ({
    id,
    datasetVersion: id,
    createdAt: new Date(`2026-11-${15 + id}T09:00:00Z`),
    k: 3,
    silhouette: 0.41,
  });
  return { comparison, previous, current, previousFacts: facts(1), currentFacts: facts(2) };
}
