import { describe, expect, it } from 'vitest';
import { mrkdwnToText, renderMessage } from '../../../src/local/render-message.js';

describe('renderMessage', () => {
  it('flattens Block Kit into lines and ignores the fallback text', () => {
    const text = renderMessage({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '4 customer segments' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'Run *#3* by <@U123>' },
          fields: [
            { type: 'mrkdwn', text: '*k*\n4' },
            { type: 'mrkdwn', text: '*silhouette*\n0.41' },
          ],
        },
        { type: 'divider' },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: 'seed 42' },
            { type: 'plain_text', text: 'v2' },
          ],
        },
        { type: 'image', image_url: 'https://x/y.png', alt_text: 'sizes chart' },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Describe' } }] },
      ],
    });
    expect(text.split('\n')).toEqual([
      '4 CUSTOMER SEGMENTS',
      'Run *#3* by @U123',
      '  *k* 4',
      '  *silhouette* 0.41',
      '─'.repeat(48),
      'seed 42  ·  v2',
      '[image: sizes chart]',
      '[ Describe ]',
    ]);
  });

  it('reads rich_text lists', () => {
    const text = renderMessage({
      text: '',
      blocks: [
        {
          type: 'rich_text',
          elements: [
            { type: 'rich_text_section', elements: [{ type: 'text', text: 'Movers:' }] },
            {
              type: 'rich_text_list',
              elements: [
                { type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] },
                { type: 'rich_text_section', elements: [{ type: 'text', text: 'two' }] },
              ],
            },
          ],
        },
      ],
    });
    expect(text).toBe('Movers:  • one\n  • two');
  });

  it('falls back to the text when there are no blocks', () => {
    expect(renderMessage({ text: 'plain &lt;ok&gt;' })).toBe('plain <ok>');
  });
});

describe('mrkdwnToText', () => {
  it('makes links, mentions, channels and known emoji readable', () => {
    expect(
      mrkdwnToText('<https://a.b/c|the docs> <@U1|dana> <#C1|marketing> <!here> :dart: :unknown_code:'),
    ).toBe('the docs (https://a.b/c) @dana #marketing @here 🎯 :unknown_code:');
  });

  it('leaves clock times alone', () => {
    expect(mrkdwnToText('at 14:30:00 UTC')).toBe('at 14:30:00 UTC');
  });
});
