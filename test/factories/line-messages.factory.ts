/** Sample LINE message objects for the emulator rule tests: builders, and one valid sample of every message type. */
export type Msg = Record<string, unknown>;

export const HTTPS = 'https://cdn.huigo.tw/a.png';
export const text = (t: string): Msg => ({ type: 'text', text: t });
export const rep = (s: string, n: number) => s.repeat(n);

/** A flex bubble message whose body holds `components`; paths start at messages[0].contents.body.contents[i]. */
export const inBody = (...components: unknown[]): Msg => ({
  type: 'flex',
  altText: '會員卡',
  contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: components } },
});
export const bubbleMsg = (bubble: Msg): Msg => ({
  type: 'flex',
  altText: '會員卡',
  contents: { type: 'bubble', ...bubble },
});
export const B = 'messages[0].contents.body.contents[0]';
export const flexText = (t = '點數 120'): Msg => ({ type: 'text', text: t });
export const btn = (action: unknown, extra: Msg = {}): Msg => ({ type: 'button', action, ...extra });
export const box = (layout: string, contents: unknown[], extra: Msg = {}): Msg => ({
  type: 'box',
  layout,
  contents,
  ...extra,
});

/** A buttons template holding `actions`; paths start at messages[0].template. */
export const buttons = (template: Msg): Msg => ({
  type: 'template',
  altText: '選單',
  template: { type: 'buttons', text: '請選擇', actions: [msgAction()], ...template },
});
export const T = 'messages[0].template';
export const inTemplate = (action: unknown): Msg => buttons({ actions: [action] });
export const A = `${T}.actions[0]`;
export const confirm = (t: Msg): Msg => ({
  type: 'template',
  altText: '確認',
  template: { type: 'confirm', text: '確定兌換嗎？', actions: [msgAction('是'), msgAction('否')], ...t },
});
export const column = (c: Msg = {}): Msg => ({ text: '本週新品', actions: [msgAction()], ...c });
export const carousel = (columns: unknown[]): Msg => ({
  type: 'template',
  altText: '新品',
  template: { type: 'carousel', columns },
});
/** A text message with one quick-reply button holding `action`; paths start at messages[0].quickReply.items[0]. */
export const inQuickReply = (action: unknown, item: Msg = {}): Msg => ({
  ...text('想做什麼？'),
  quickReply: { items: [{ type: 'action', action, ...item }] },
});
export const Q = 'messages[0].quickReply.items[0]';

export const msgAction = (label = '查點數', t = '我的點數'): Msg => ({ type: 'message', label, text: t });
export const uriAction = (uri: string, extra: Msg = {}): Msg => ({ type: 'uri', label: '開啟', uri, ...extra });
export const postback = (p: Msg = {}): Msg => ({ type: 'postback', label: '兌換', data: 'action=redeem', ...p });
export const picker = (p: Msg): Msg => ({
  type: 'datetimepicker',
  label: '選生日',
  data: 'q=birthday',
  mode: 'date',
  ...p,
});
export const imagemap = (m: Msg = {}): Msg => ({
  type: 'imagemap',
  baseUrl: 'https://cdn.huigo.tw/map',
  altText: '本月活動',
  baseSize: { width: 1040, height: 1040 },
  actions: [{ type: 'uri', linkUri: 'https://huigo.tw', area: { x: 0, y: 0, width: 1040, height: 1040 } }],
  ...m,
});
export const FAMILY = '👨‍👩‍👧'; // one grapheme cluster, 8 UTF-16 code units

/** One valid sample of every message type (and of each container, template and action kind) LINE accepts. */
export function validMessageSamples(): Msg[] {
  return [
    text('歡迎加入 Huigo 會員 🎉'),
    {
      type: 'textV2',
      text: '{user} 生日快樂 {cake}',
      substitution: {
        user: { type: 'mention', mentionee: { type: 'user', userId: `U${'a'.repeat(32)}` } },
        cake: { type: 'emoji', productId: '5ac1bfd5040ab15980c9b435', emojiId: '002' },
      },
    },
    { type: 'sticker', packageId: '446', stickerId: '1988' },
    { type: 'image', originalContentUrl: HTTPS, previewImageUrl: HTTPS },
    { type: 'video', originalContentUrl: `${HTTPS}.mp4`, previewImageUrl: HTTPS },
    { type: 'audio', originalContentUrl: `${HTTPS}.m4a`, duration: 1200 },
    { type: 'location', title: '信義門市', address: '台北市信義區松高路 1 號', latitude: 25.04, longitude: 121.57 },
    imagemap({
      video: {
        originalContentUrl: `${HTTPS}.mp4`,
        previewImageUrl: HTTPS,
        area: { x: 0, y: 0, width: 1040, height: 585 },
      },
    }),
    buttons({
      thumbnailImageUrl: HTTPS,
      title: '本月優惠',
      text: '點數加倍中',
      defaultAction: uriAction('https://huigo.tw'),
      actions: [
        postback({ displayText: '兌換' }),
        picker({ initial: '1990-01-01' }),
        uriAction('https://huigo.tw'),
        { type: 'clipboard', label: '複製', clipboardText: 'HUIGO' },
      ],
    }),
    confirm({}),
    carousel([column({ title: 'A', thumbnailImageUrl: HTTPS }), column({ title: 'B', thumbnailImageUrl: HTTPS })]),
    {
      type: 'template',
      altText: '圖',
      template: { type: 'image_carousel', columns: [{ imageUrl: HTTPS, action: postback() }] },
    },
    bubbleMsg({
      size: 'giga',
      header: box('vertical', [flexText('會員卡')], { paddingAll: '12px', backgroundColor: '#06C755' }),
      hero: {
        type: 'image',
        url: HTTPS,
        size: 'full',
        aspectRatio: '20:13',
        aspectMode: 'cover',
        action: uriAction('https://huigo.tw'),
      },
      body: box('vertical', [
        box(
          'baseline',
          [
            { type: 'icon', url: HTTPS, size: 'sm' },
            { type: 'text', text: '金卡', flex: 0, margin: 'sm' },
            { type: 'filler' },
          ],
          { spacing: 'sm' },
        ),
        { type: 'separator', margin: 'md' },
        {
          type: 'text',
          contents: [
            { type: 'span', text: '120', weight: 'bold', size: 'xl' },
            { type: 'span', text: ' 點' },
          ],
          wrap: true,
        },
        { type: 'spacer', size: 'md' },
      ]),
      footer: box('horizontal', [
        btn(uriAction('https://liff.line.me/1650000000-abc'), { style: 'primary', height: 'sm' }),
        btn(postback(), { style: 'link' }),
      ]),
      styles: { footer: { separator: true, separatorColor: '#EEEEEE' } },
      action: uriAction('https://huigo.tw'),
    }),
    {
      type: 'flex',
      altText: '新品',
      contents: { type: 'carousel', contents: [inBody(flexText('A')).contents, inBody(flexText('B')).contents] },
    },
    inQuickReply({ type: 'camera', label: '拍收據' }),
    {
      ...inQuickReply(
        picker({ mode: 'datetime', initial: '2026-12-01T10:00', min: '2026-12-01T09:00', max: '2026-12-31T21:00' }),
      ),
      sender: { name: '小惠', iconUrl: HTTPS },
    },
  ];
}
