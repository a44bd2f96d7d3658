import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../../commands/alerts.js';
import { handleSlashCommand } from '../../../commands/index.js';
import { BadInputError } from '../../../src/errors.js';
import { createCommandArgs } from '../../helpers/command-args.js';
import { createDigestFixture } from '../slack/digest/service-fixture.js';

describe('/segbot alerts', () => {
  it('shows the default, sets a new threshold and announces it in the channel', async () => {
    const f = createDigestFixture();
    const shown = createCommandArgs({ text: 'alerts', fake: f.fake });
    await handleSlashCommand(shown.args, f.deps);
    expect(JSON.stringify(shown.responses)).toContain('Alert threshold here: 5 pp (the default)');

    const set = createCommandArgs({ text: 'alerts threshold=2.5', fake: f.fake });
    await handleSlashCommand(set.args, f.deps);
    expect(await f.schedules.getAlertThreshold('C0TEST')).toBe(2.5);
    expect(String(f.posts().at(-1)!.text)).toContain('set this channel’s alert threshold to 2.5 pp');
  });

  it('reads the ways people write a threshold and refuses the impossible ones', () => {
    expect(parseThreshold(['threshold=3'])).toBe(3);
    expect(parseThreshold(['threshold', '4pp'])).toBe(4);
    expect(parseThreshold(['1,5%'])).toBe(1.5);
    expect(() => parseThreshold(['threshold=0'])).toThrow(BadInputError);
    expect(() => parseThreshold(['threshold=150'])).toThrow(/at most 100/);
    expect(() => parseThreshold(['threshold=lots'])).toThrow(/not a threshold I understand/);
  });

  it('a lower threshold makes the next run open a change thread', async () => {
    const f = createDigestFixture();
    const setThreshold = async (n: number) => {
      const set = createCommandArgs({ text: `alerts threshold=${n}`, fake: f.fake });
      await handleSlashCommand(set.args, f.deps);
    };
    // Between these two uploads one segment's share moves by 5.0 percentage points.
    await setThreshold(6);
    await f.upload(200, 11);
    await f.segment(3);
    await f.upload(200, 12);
    const quiet = await f.segment(3);
    expect(await f.digests.detectChange('C0TEST', quiet)).toBeNull();

    await setThreshold(4);
    await f.upload(200, 11);
    const loud = await f.segment(3);
    const threadTs = await f.digests.detectChange('C0TEST', loud);
    expect(threadTs).not.toBeNull();
    expect((await f.schedules.changeThreadForRun('C0TEST', loud))?.threadTs).toBe(threadTs);
    const alert = f.fake.messages.find((m) => m.ts === threadTs)!;
    expect(alert.text).toMatch(/Segments changed in run #3 \(vs run #2\): a segment’s share moved 5\.0 pp/);
  });
});
