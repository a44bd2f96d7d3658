import { describe, expect, it } from 'vitest';
import {
  decodeSlackText,
  mentionedUserId,
  parseSlackText,
  unescapeSlackText,
} from '../../../src/slack/decode-slack-text.js';

describe('parseSlackText', () => {
  it('splits text into plain parts and entities, with ids and labels', () => {
    expect(
      parseSlackText(
        '<@U0SEGBOT> hi <@U0DANA|dana>, see <#C0GEN|general> <!here> <!subteam^S0MKT|@marketing> ' +
          '<https://bank.example/a?b=1&amp;c=2|the report> <mailto:ana@bank.example|ana@bank.example>',
      ),
    ).toEqual([
      { kind: 'user', id: 'U0SEGBOT' },
      { kind: 'text', text: ' hi ' },
      { kind: 'user', id: 'U0DANA', label: 'dana' },
      { kind: 'text', text: ', see ' },
      { kind: 'channel', id: 'C0GEN', label: 'general' },
      { kind: 'text', text: ' ' },
      { kind: 'special', name: 'here' },
      { kind: 'text', text: ' ' },
      { kind: 'usergroup', id: 'S0MKT', label: '@marketing' },
      { kind: 'text', text: ' ' },
      { kind: 'link', url: 'https://bank.example/a?b=1&c=2', label: 'the report' },
      { kind: 'text', text: ' ' },
      { kind: 'link', url: 'mailto:ana@bank.example', label: 'ana@bank.example' },
    ]);
  });

  it('reads a date with its fallback text, and keeps what is no entity as it came', () => {
    expect(parseSlackText('<!date^1392734382^{date_num}|2014-02-18>')).toEqual([
      { kind: 'special', name: 'date', label: '2014-02-18' },
    ]);
    expect(parseSlackText('a <b c> d <e')).toEqual([{ kind: 'text', text: 'a <b c> d <e' }]);
    expect(parseSlackText('')).toEqual([]);
  });
});

describe('decodeSlackText', () => {
  it('gives the text as the person typed it, with user ids kept', () => {
    expect(decodeSlackText('describe Cash &amp; carry &lt;3 &gt; 2')).toBe('describe Cash & carry <3 > 2');
    expect(decodeSlackText('admins add <@U0DANA|dana> <@W0ENT>')).toBe('admins add @U0DANA @W0ENT');
    expect(decodeSlackText('in <#C0GEN|general> or <#C0OTHER>')).toBe('in #general or #C0OTHER');
    expect(decodeSlackText('<!channel> <!here|here> <!subteam^S0MKT|@marketing> <!subteam^S0X>')).toBe(
      '@channel @here @marketing @S0X',
    );
    expect(decodeSlackText('<https://bank.example|bank.example> <https://bank.example/x>')).toBe(
      'bank.example https://bank.example/x',
    );
    expect(decodeSlackText('<mailto:ana@bank.example|Ana> <mailto:ana@bank.example>')).toBe(
      'Ana ana@bank.example',
    );
    expect(decodeSlackText('<https://x.example|Tom &amp; Jerry>')).toBe('Tom & Jerry');
  });

  it('leaves user mentions out when asked, so a question to the bot starts with its words', () => {
    expect(decodeSlackText('<@U0SEGBOT> explain <@U0DANA> revolvers', { withoutUserMentions: true })).toBe(
      '  explain   revolvers',
    );
  });

  it('undoes the escapes once: an escaped escape stays an escape, an escaped entity stays text', () => {
    expect(unescapeSlackText('&amp;lt; &amp;amp;')).toBe('&lt; &amp;');
    expect(decodeSlackText('&lt;@U0DANA|dana&gt;')).toBe('<@U0DANA|dana>');
    expect(decodeSlackText('&#39; &quot;')).toBe('&#39; &quot;');
  });
});

describe('mentionedUserId', () => {
  it('reads decoded mentions, the mention syntax typed out, and bare member ids', () => {
    expect(mentionedUserId('@U012AB')).toBe('U012AB');
    expect(mentionedUserId('<@U012AB|dana>')).toBe('U012AB');
    expect(mentionedUserId('<@W0XYZ>')).toBe('W0XYZ');
    expect(mentionedUserId('U0RAW1')).toBe('U0RAW1');
  });

  it('refuses names, channels and lower-case text', () => {
    for (const word of ['@dana', 'dana', '#C0GEN', '@u012ab', 'U1', ''])
      expect(mentionedUserId(word)).toBeNull();
  });
});
