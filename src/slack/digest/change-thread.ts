/**
 * The "segments changed" thread: a short message in the channel, the details (per-segment changes,
 * suggested actions, the migration chart) in its thread, where the team talks it over.
 */
import { migrationMatrixSpec } from '../../../charts/specs/migration-matrix.js';
import type { MigrationMatrix, RunComparison } from '../../analytics/compare/compare-runs.js';
import type { Segment } from '../../analytics/types.js';
import type { ChannelRfm } from '../../services/rfm-changes.js';
import { changeAlertMessage, changeDetailsMessage } from './digest-blocks.js';
import type { DigestOutlet } from './digest-outlet.js';
import { rfmChangeAlertMessage, rfmChangeDetailsMessage } from './rfm-blocks.js';

/**
 * Opens an RFM change thread: the alert in the channel, every RFM segment's change and the largest
 * moves in its thread. For a channel whose uploads are transactions, with or without segmentation.
 */
export async function postRfmChangeThread(
  outlet: DigestOutlet,
  input: { channelId: string; rfm: ChannelRfm; thresholdPp: number },
): Promise<string> {
  const threadTs = await outlet.post(input.channelId, rfmChangeAlertMessage(input.rfm, input.thresholdPp));
  await outlet.post(input.channelId, { ...rfmChangeDetailsMessage(input.rfm), threadTs });
  return threadTs;
}

/** The migration matrix as a chart request for the outlet. */
export function migrationChart(migration: MigrationMatrix, runs: { previous: number; current: number }) {
  return {
    name: `migration-run-${runs.previous}-to-${runs.current}`,
    title: `Where customers moved (run #${runs.previous} → #${runs.current})`,
    altText: `Matrix of how many customers moved from each segment of run ${runs.previous} to each segment of run ${runs.current}.`,
    spec: migrationMatrixSpec(migration, {
      title: `Where customers moved: run #${runs.previous} → #${runs.current}`,
    }),
  };
}

/**
 * Posts the alert and its thread; returns the alert's ts (the thread to record). The alert goes
 * first and alone: if the details fail, the channel still knows, and the thread can be asked.
 */
export async function postChangeThread(
  outlet: DigestOutlet,
  input: {
    channelId: string;
    comparison: RunComparison;
    current: readonly Segment[];
    thresholdPp: number;
    /** The channel's RFM segments, when its latest upload holds transactions: a section in the thread. */
    rfm?: ChannelRfm | null;
    /** Called as soon as the alert is in the channel, so the thread is known even if details fail. */
    onOpened?(threadTs: string): void;
  },
): Promise<string> {
  const { channelId, comparison } = input;
  const alert = changeAlertMessage(comparison, input.thresholdPp);
  const threadTs = await outlet.post(channelId, alert);
  input.onOpened?.(threadTs);
  const details = changeDetailsMessage(comparison, input.current);
  await outlet.post(channelId, { ...details, threadTs });
  if (input.rfm) await outlet.post(channelId, { ...rfmChangeDetailsMessage(input.rfm), threadTs });
  if (comparison.commonCustomers > 0) {
    await outlet.postChart(
      channelId,
      migrationChart(comparison.migration, {
        previous: comparison.previousRunId,
        current: comparison.currentRunId,
      }),
      { threadTs },
    );
  }
  return threadTs;
}
