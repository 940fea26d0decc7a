import {
  checkLineAction,
  checkLineMessages,
  graphemeLength,
  utf16Length,
  utf8Bytes,
} from '../../../domain/messaging/line-rules/line-message-rules';

/**
 * #11.2 the product's LINE validator, rule by rule: a valid and an invalid sample each, the property path the
 * console shows the error at, and zh-TW wording. Sources: LINE Messaging API reference, line/line-openapi.
 */

const box = (contents: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'box',
  layout: 'vertical',
  contents,
  ...extra,
});
const text = (t = '好', extra: Record<string, unknown> = {}) => ({ type: 'text', text: t, ...extra });
const bubbleWith = (c: unknown, boxExtra: Record<string, unknown> = {}) => ({
  type: 'flex',
  altText: '優惠',
  contents: { type: 'bubble', body: box([c], boxExtra) },
});
const inBody = (...rest: Array<string | number>) => [0, 'contents', 'body', 'contents', 0, ...rest].join('.');
const paths = (messages: unknown[]) => checkLineMessages(messages).map((i) => i.path.join('.'));

describe('#11.2 LINE message validator: counting as LINE counts', () => {
  it('texts in UTF-16 code units, labels in grapheme clusters, flex sizes in UTF-8 bytes', () => {
    expect(utf16Length('🎉')).toBe(2);
    expect(graphemeLength('👨‍👩‍👧')).toBe(1);
    expect(graphemeLength('台北市')).toBe(3);
    expect(utf8Bytes('測')).toBe(3);
  });
});

type Row = [name: string, valid: unknown, invalid: unknown, path: string];
const ROWS: Row[] = [
  ['text required', { type: 'text', text: '好' }, { type: 'text', text: '' }, '0.text'],
  [
    'text ≤ 5,000 UTF-16',
    { type: 'text', text: '🎉'.repeat(2500) },
    { type: 'text', text: '🎉'.repeat(2501) },
    '0.text',
  ],
  ['message type', { type: 'text', text: 'a' }, { type: 'sticker', packageId: '1', stickerId: '1' }, '0.type'],
  ['unknown property', { type: 'text', text: 'a' }, { type: 'text', text: 'a', emoji: [] }, '0.emoji'],
  [
    'image https only',
    { type: 'image', originalContentUrl: 'https://a.tw/a.jpg', previewImageUrl: 'https://a.tw/b.jpg' },
    { type: 'image', originalContentUrl: 'http://a.tw/a.jpg', previewImageUrl: 'https://a.tw/b.jpg' },
    '0.originalContentUrl',
  ],
  [
    'image URL ≤ 2,000',
    { type: 'image', originalContentUrl: `https://a.tw/${'a'.repeat(1980)}`, previewImageUrl: 'https://a.tw/b.jpg' },
    { type: 'image', originalContentUrl: 'https://a.tw/b.jpg', previewImageUrl: `https://a.tw/${'a'.repeat(1990)}` },
    '0.previewImageUrl',
  ],
  ['flex altText required', bubbleWith(text()), { ...bubbleWith(text()), altText: '' }, '0.altText'],
  ['flex text not empty', bubbleWith(text('好')), bubbleWith(text('')), inBody('text')],
  [
    'flex text of spans',
    bubbleWith({ type: 'text', contents: [{ type: 'span', text: '好' }] }),
    bubbleWith({ type: 'text', contents: [{ type: 'span', text: '' }] }),
    inBody('contents', 0, 'text'),
  ],
  ['box needs a layout', bubbleWith(box([text()])), bubbleWith({ type: 'box', contents: [text()] }), inBody('layout')],
  [
    'icon only in a baseline box',
    bubbleWith(box([{ type: 'icon', url: 'https://a.tw/i.png' }, text()], { layout: 'baseline' })),
    bubbleWith({ type: 'icon', url: 'https://a.tw/i.png' }),
    inBody('type'),
  ],
  [
    'flex image https',
    bubbleWith({ type: 'image', url: 'https://a.tw/a.png' }),
    bubbleWith({ type: 'image', url: 'http://a.tw/a.png' }),
    inBody('url'),
  ],
  [
    'aspect ratio: height ≤ 3 × width',
    bubbleWith({ type: 'image', url: 'https://a.tw/a.png', aspectRatio: '1:3' }),
    bubbleWith({ type: 'image', url: 'https://a.tw/a.png', aspectRatio: '1:4' }),
    inBody('aspectRatio'),
  ],
  [
    'colour #RRGGBB(AA)',
    bubbleWith(text('a', { color: '#11223344' })),
    bubbleWith(text('a', { color: 'red' })),
    inBody('color'),
  ],
  [
    'text size keyword or px',
    bubbleWith(text('a', { size: '14px' })),
    bubbleWith(text('a', { size: 'huge' })),
    inBody('size'),
  ],
  [
    'button needs an action with a label',
    bubbleWith({ type: 'button', action: { type: 'uri', label: '看看', uri: 'https://a.tw' } }),
    bubbleWith({ type: 'button', action: { type: 'uri', uri: 'https://a.tw' } }),
    inBody('action', 'label'),
  ],
  [
    'uri schemes http/https/line/tel',
    bubbleWith(text('a', { action: { type: 'uri', uri: 'tel:0223456789' } })),
    bubbleWith(text('a', { action: { type: 'uri', uri: 'mailto:a@b.tw' } })),
    inBody('action', 'uri'),
  ],
  [
    'uri action ≤ 1,000',
    bubbleWith(text('a', { action: { type: 'uri', uri: `https://a.tw/${'a'.repeat(980)}` } })),
    bubbleWith(text('a', { action: { type: 'uri', uri: `https://a.tw/${'a'.repeat(990)}` } })),
    inBody('action', 'uri'),
  ],
  [
    'camera only in quick replies',
    { type: 'text', text: 'a', quickReply: { items: [{ type: 'action', action: { type: 'camera', label: '拍照' } }] } },
    bubbleWith(text('a', { action: { type: 'camera', label: '拍照' } })),
    inBody('action', 'type'),
  ],
  [
    'postback displayText and text not both',
    bubbleWith(text('a', { action: { type: 'postback', data: 'x', displayText: '好' } })),
    bubbleWith(text('a', { action: { type: 'postback', data: 'x', displayText: '好', text: '好' } })),
    inBody('action', 'text'),
  ],
  [
    'quick reply 1..13 items',
    {
      type: 'text',
      text: 'a',
      quickReply: { items: [{ type: 'action', action: { type: 'message', label: 'a', text: 'a' } }] },
    },
    { type: 'text', text: 'a', quickReply: { items: [] } },
    '0.quickReply.items',
  ],
  [
    'quick reply label required, ≤ 20 graphemes',
    {
      type: 'text',
      text: 'a',
      quickReply: { items: [{ type: 'action', action: { type: 'message', label: '👨‍👩‍👧'.repeat(20), text: 'a' } }] },
    },
    {
      type: 'text',
      text: 'a',
      quickReply: { items: [{ type: 'action', action: { type: 'message', label: '好'.repeat(21), text: 'a' } }] },
    },
    '0.quickReply.items.0.action.label',
  ],
  [
    'carousel ≤ 12 bubbles',
    { type: 'flex', altText: 'a', contents: { type: 'carousel', contents: Array(12).fill({ type: 'bubble' }) } },
    { type: 'flex', altText: 'a', contents: { type: 'carousel', contents: Array(13).fill({ type: 'bubble' }) } },
    '0.contents.contents',
  ],
  [
    'bubble ≤ 30 KB in UTF-8 bytes',
    bubbleWith(text('測'.repeat(9_900))),
    bubbleWith(text('測'.repeat(10_100))),
    '0.contents',
  ],
  [
    'video hero needs a kilo/mega/giga bubble',
    {
      type: 'flex',
      altText: 'a',
      contents: {
        type: 'bubble',
        size: 'mega',
        hero: {
          type: 'video',
          url: 'https://a.tw/v.mp4',
          previewUrl: 'https://a.tw/p.png',
          altContent: { type: 'image', url: 'https://a.tw/p.png' },
        },
      },
    },
    {
      type: 'flex',
      altText: 'a',
      contents: {
        type: 'bubble',
        size: 'micro',
        hero: {
          type: 'video',
          url: 'https://a.tw/v.mp4',
          previewUrl: 'https://a.tw/p.png',
          altContent: { type: 'image', url: 'https://a.tw/p.png' },
        },
      },
    },
    '0.contents.size',
  ],
];

describe('#11.2 LINE message validator: one row per rule', () => {
  it.each(ROWS)('%s', (_name, valid, invalid, path) => {
    expect(checkLineMessages([valid])).toEqual([]);
    const issues = checkLineMessages([invalid]);
    expect(issues.map((i) => i.path.join('.'))).toContain(path);
    for (const i of issues) expect(i.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('at most 5 messages per send', () => {
    expect(paths(Array(6).fill({ type: 'text', text: 'a' }))).toEqual(['']);
  });

  it('datetime pickers: the mode format, 1900-01-01..2100-12-31, min before max, initial between', () => {
    const picker = (extra: Record<string, unknown>) => ({
      type: 'datetimepicker',
      label: '選擇日期',
      data: 'x',
      mode: 'date',
      ...extra,
    });
    const at = (extra: Record<string, unknown>) => checkLineAction(picker(extra), 'quickReply').map((i) => i.path[0]);
    expect(at({ min: '1900-01-01', max: '2100-12-31', initial: '1990-01-01' })).toEqual([]);
    expect(at({ min: '1899-12-31' })).toEqual(['min']);
    expect(at({ max: '2101-01-01' })).toEqual(['max']);
    expect(at({ min: '2000-01-01', max: '2000-01-01' })).toEqual(['min']);
    expect(at({ min: '2000-01-01', initial: '1999-12-31' })).toEqual(['initial']);
    expect(at({ initial: '1990-02-30' })).toEqual(['initial']);
    expect(at({ mode: 'time', initial: '23:59' })).toEqual([]);
    expect(at({ mode: 'datetime', initial: '2020-01-01t10:00' })).toEqual([]);
    expect(at({ mode: 'week' })).toEqual(['mode']);
  });
});
