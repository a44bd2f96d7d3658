import { describe, expect, it } from 'vitest';
import { handleSlashCommand } from '../../../commands/index.js';
import { createCommandArgs } from '../../helpers/command-args.js';
import { createDigestFixture, type DigestFixture } from '../slack/digest/service-fixture.js';

async function run(f: DigestFixture, text: string) {
  const invocation = createCommandArgs({ text, fake: f.fake });
  await handleSlashCommand(invocation.args, f.deps);
  return invocation;
}

describe('/segbot digest', () => {
  it('subscribes the channel in the person’s own time zone and says when the first digest comes', async () => {
    const f = createDigestFixture({ userTz: 'America/New_York' });
    const { acks } = await run(f, 'digest weekly Monday 9:00');
    expect(acks).toHaveLength(1);
    expect(await f.schedules.getSchedule('C0TEST')).toMatchObject({
      day: 'monday',
      time: '09:00',
      timezone: 'America/New_York',
      createdBy: 'U0ALICE',
    });
    expect(f.fake.callsOf('users.info')).toEqual([{ user: 'U0ALICE' }]);
    const [announcement] = f.posts();
    expect(String(announcement!.text)).toContain(
      'every Monday at 09:00 (America/New_York). The first one comes Mon 23 Nov 2026, 09:00 America/New_York.',
    );
  });

  it('falls back to UTC when Slack has no time zone, and takes a named one without asking', async () => {
    const f = createDigestFixture({ userTz: '' });
    await run(f, 'digest weekly fri 17:30');
    expect((await f.schedules.getSchedule('C0TEST'))?.timezone).toBe('UTC');
    await run(f, 'digest weekly fri 17:30 Europe/Berlin');
    expect((await f.schedules.getSchedule('C0TEST'))?.timezone).toBe('Europe/Berlin');
    expect(f.fake.callsOf('users.info')).toHaveLength(1);
  });

  it('shows the schedule and the next due time', async () => {
    const f = createDigestFixture();
    const none = await run(f, 'digest');
    expect(String(none.fake.callsOf('chat.postEphemeral')[0]?.text ?? none.responses[0]?.text)).toContain(
      'This channel has no weekly digest',
    );
    await run(f, 'digest weekly wednesday 08:15 Asia/Tokyo');
    const shown = await run(f, 'digest');
    const text = [...shown.responses, ...f.fake.callsOf('chat.postEphemeral')]
      .map((r) => String(r.text))
      .join('\n');
    expect(text).toContain('every Wednesday at 08:15 (Asia/Tokyo)');
    expect(text).toContain('Next one: Wed 25 Nov 2026, 08:15 Asia/Tokyo.');
  });

  it('stops the digest with off', async () => {
    const f = createDigestFixture();
    await run(f, 'digest weekly monday 09:00 UTC');
    await run(f, 'digest off');
    expect(await f.schedules.getSchedule('C0TEST')).toBeNull();
    expect(String(f.posts().at(-1)!.text)).toContain('stopped this channel’s weekly segment digest');
    expect(await f.digests.nextDigest('C0TEST')).toBeNull();
  });

  it('posts a digest now, without touching the ledger', async () => {
    const f = createDigestFixture();
    await f.upload();
    await f.segment(3);
    await run(f, 'digest now');
    const digest = f.posts()[0]!;
    expect(String(digest.text)).toContain('Segment digest: First digest for this channel');
    expect(await f.schedules.lastDigest('C0TEST')).toBeNull();
  });

  it('explains bad schedules', async () => {
    const f = createDigestFixture();
    for (const [text, expected] of [
      ['digest weekly funday 09:00', '"funday" is not a day of the week.'],
      ['digest weekly monday 25:00 UTC', '"25:00" is not a time like 09:00'],
      ['digest weekly monday 09:00 Mars/Olympus', '"Mars/Olympus" is not a time zone I know.'],
      ['digest daily', 'I don’t know `/segbot digest daily`'],
    ] as const) {
      const { responses, fake } = await run(f, text);
      const said = [...responses, ...fake.callsOf('chat.postEphemeral')]
        .map((r) => String(r.text))
        .join('\n');
      expect(said).toContain(expected);
    }
    expect(await f.schedules.getSchedule('C0TEST')).toBeNull();
  });
});
