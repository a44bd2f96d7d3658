/** Publishes a person's App Home: the channels they share with segbot that hold customer data. */
import type { WebClient } from '@slack/web-api';
import { type HomeChannel, homeView } from '../../src/slack/blocks/home-blocks.js';
import type { CommandDeps } from '../deps.js';
import { isChannelMember } from './interaction.js';

/** Gathers what Home shows for `userId`: only channels they are a member of (checked with Slack). */
export async function homeChannels(
  deps: CommandDeps,
  client: WebClient,
  userId: string,
): Promise<HomeChannel[]> {
  const channels: HomeChannel[] = [];
  for (const channelId of await deps.datasets.channelIds()) {
    const dataset = await deps.datasets.latestDataset(channelId);
    if (!dataset) continue;
    if (!(await isChannelMember(client, channelId, userId))) continue;
    const run = await deps.runs.latestRun(channelId, { status: 'done' });
    const schedule = await deps.schedules.getSchedule(channelId);
    const next = await deps.digests.nextDigest(channelId);
    channels.push({
      channelId,
      dataset: {
        id: dataset.id,
        fileName: dataset.fileName,
        version: dataset.version,
        rows: dataset.rowCount,
        createdAt: dataset.createdAt,
      },
      run: run
        ? {
            id: run.id,
            datasetVersion: run.datasetVersion,
            segments: run.segments.map((s) => ({ name: s.name, share: s.share })),
            createdAt: run.createdAt,
          }
        : null,
      nextDigest: next && schedule ? { at: next, timezone: schedule.timezone } : null,
      campaigns: (await deps.campaigns.liveCampaigns(channelId)).map((c) => ({
        name: c.name,
        verdict: c.latestResult?.verdictText ?? null,
      })),
    });
  }
  return channels;
}

export async function publishHome(deps: CommandDeps, client: WebClient, userId: string): Promise<void> {
  const channels = await homeChannels(deps, client, userId);
  await client.views.publish({ user_id: userId, view: homeView(channels) });
}
