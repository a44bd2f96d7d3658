import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { createChartUploader } from '../../../src/slack/upload-chart.js';
import {
  createFakeClient,
  createRecordingLogger,
  FAKE_PNG,
  slackPlatformError,
} from '../../helpers/command-args.js';

const spec = (title: string) => ({ title, mark: 'bar' }) as TopLevelSpec;
const chart = (name: string) => ({ name, title: `Chart ${name}`, altText: `alt ${name}`, spec: spec(name) });

describe('createChartUploader', () => {
  it('renders each chart and posts them together with files.uploadV2', async () => {
    const fake = createFakeClient();
    const rendered: unknown[] = [];
    const uploader = createChartUploader({
      client: fake.client,
      renderChart: async (s) => {
        rendered.push(s);
        return FAKE_PNG;
      },
      logger: createRecordingLogger(),
    });
    const result = await uploader.postCharts(
      { channelId: 'C1', threadTs: '9.1', comment: 'Charts for run #3' },
      [chart('a'), chart('b')],
    );
    expect(result).toEqual({ posted: ['Chart a', 'Chart b'], failed: [] });
    expect(rendered).toEqual([spec('a'), spec('b')]);
    expect(fake.callsOf('files.uploadV2')).toEqual([
      {
        channel_id: 'C1',
        thread_ts: '9.1',
        initial_comment: 'Charts for run #3',
        file_uploads: [
          { file: FAKE_PNG, filename: 'a.png', title: 'Chart a', alt_text: 'alt a' },
          { file: FAKE_PNG, filename: 'b.png', title: 'Chart b', alt_text: 'alt b' },
        ],
      },
    ]);
    expect(fake.callsOf('files.upload')).toEqual([]);
  });

  it('posts the charts that rendered and a note naming the one that did not', async () => {
    const fake = createFakeClient();
    const uploader = createChartUploader({
      client: fake.client,
      renderChart: async (s) => {
        if ((s as { title: string }).title === 'b') throw new Error('render failed');
        return FAKE_PNG;
      },
      logger: createRecordingLogger(),
    });
    const result = await uploader.postCharts({ channelId: 'C1' }, [chart('a'), chart('b')], ['Chart z']);
    expect(result).toEqual({ posted: ['Chart a'], failed: ['Chart z', 'Chart b'] });
    expect(fake.messages.map((m) => m.text)).toEqual([
      ':warning: Could not post these charts: Chart z, Chart b. The results above are complete; `/segbot runs` can post them again later.',
    ]);
  });

  it('survives an upload failure and even a failing note', async () => {
    const fake = createFakeClient({ fail: () => slackPlatformError('not_in_channel') });
    const logger = createRecordingLogger();
    const uploader = createChartUploader({ client: fake.client, renderChart: async () => FAKE_PNG, logger });
    await expect(uploader.postCharts({ channelId: 'C1' }, [chart('a')])).resolves.toEqual({
      posted: [],
      failed: ['Chart a'],
    });
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(2);
  });
});
