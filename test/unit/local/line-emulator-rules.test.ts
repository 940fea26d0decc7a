import { validateMessages, validateRichMenu, validateSendFields } from '../../../local/line-emulator/validate';
import {
  A,
  B,
  FAMILY,
  HTTPS,
  Q,
  T,
  box,
  btn,
  bubbleMsg,
  buttons,
  carousel,
  column,
  confirm,
  flexText,
  imagemap,
  inBody,
  inQuickReply,
  inTemplate,
  msgAction,
  picker,
  postback,
  rep,
  text,
  uriAction,
  type Msg,
  validMessageSamples,
} from '../../factories/line-messages.factory';

/**
 * One row per LINE rule the emulator enforces: a sample LINE accepts (must pass, no false refusal) and one it
 * refuses (must fail at exactly that JSON property path). Sources are listed per rule in local/line-emulator/README.md.
 */
type Row = [rule: string, valid: Msg, invalid: Msg, property: string];

const messageRows: Row[] = [
  // Common message properties
  ['text: text required', text('歡迎'), text(''), 'messages[0].text'],
  [
    'text: 5,000 UTF-16 code units (an emoji counts 2)',
    text(rep('😀', 2500)),
    text(rep('😀', 2501)),
    'messages[0].text',
  ],
  [
    'text: emojis[].index must point at a $ placeholder',
    { ...text('$ 點數加倍'), emojis: [{ index: 0, productId: '5ac1bfd5040ab15980c9b435', emojiId: '001' }] },
    { ...text('$ 點數加倍'), emojis: [{ index: 1, productId: '5ac1bfd5040ab15980c9b435', emojiId: '001' }] },
    'messages[0].emojis[0].index',
  ],
  [
    'text: at most 20 emojis',
    { ...text('$'), emojis: [{ index: 0, productId: 'p', emojiId: '001' }] },
    {
      ...text(rep('$', 21)),
      emojis: Array.from({ length: 21 }, (_, i) => ({ index: i, productId: 'p', emojiId: '001' })),
    },
    'messages[0].emojis',
  ],
  [
    'textV2: substitution type mention or emoji',
    { type: 'textV2', text: '{name} 你好', substitution: { name: { type: 'mention', mentionee: { type: 'all' } } } },
    { type: 'textV2', text: '{name} 你好', substitution: { name: { type: 'bold' } } },
    'messages[0].substitution.name.type',
  ],
  [
    'textV2: substitution key pattern',
    { type: 'textV2', text: '{e1}', substitution: { e1: { type: 'emoji', productId: 'p', emojiId: '001' } } },
    { type: 'textV2', text: '{e-1}', substitution: { 'e-1': { type: 'emoji', productId: 'p', emojiId: '001' } } },
    'messages[0].substitution.e-1',
  ],
  [
    'sticker: packageId required',
    { type: 'sticker', packageId: '446', stickerId: '1988' },
    { type: 'sticker', stickerId: '1988' },
    'messages[0].packageId',
  ],
  [
    'image: originalContentUrl https',
    { type: 'image', originalContentUrl: HTTPS, previewImageUrl: HTTPS },
    { type: 'image', originalContentUrl: 'http://cdn.huigo.tw/a.png', previewImageUrl: HTTPS },
    'messages[0].originalContentUrl',
  ],
  [
    'image: URL at most 2,000 characters',
    { type: 'image', originalContentUrl: `https://cdn.huigo.tw/${rep('a', 1979)}`, previewImageUrl: HTTPS },
    { type: 'image', originalContentUrl: `https://cdn.huigo.tw/${rep('a', 1980)}`, previewImageUrl: HTTPS },
    'messages[0].originalContentUrl',
  ],
  [
    'image: previewImageUrl https',
    { type: 'image', originalContentUrl: HTTPS, previewImageUrl: HTTPS },
    { type: 'image', originalContentUrl: HTTPS, previewImageUrl: 'ftp://cdn.huigo.tw/a.png' },
    'messages[0].previewImageUrl',
  ],
  [
    'video: trackingId 1-100 symbols',
    { type: 'video', originalContentUrl: HTTPS, previewImageUrl: HTTPS, trackingId: 'spring-2026' },
    { type: 'video', originalContentUrl: HTTPS, previewImageUrl: HTTPS, trackingId: '春季' },
    'messages[0].trackingId',
  ],
  [
    'audio: duration (ms) required',
    { type: 'audio', originalContentUrl: HTTPS, duration: 60000 },
    { type: 'audio', originalContentUrl: HTTPS },
    'messages[0].duration',
  ],
  [
    'location: title at most 100',
    { type: 'location', title: '台北門市', address: '台北市信義區', latitude: 25.03, longitude: 121.56 },
    { type: 'location', title: rep('店', 101), address: '台北市信義區', latitude: 25.03, longitude: 121.56 },
    'messages[0].title',
  ],
  [
    'location: latitude a number',
    { type: 'location', title: '台北門市', address: '台北市信義區', latitude: 25.03, longitude: 121.56 },
    { type: 'location', title: '台北門市', address: '台北市信義區', latitude: '25.03', longitude: 121.56 },
    'messages[0].latitude',
  ],
  ['imagemap: baseUrl https', imagemap(), imagemap({ baseUrl: 'http://cdn.huigo.tw/map' }), 'messages[0].baseUrl'],
  [
    'imagemap: baseSize.width 1040',
    imagemap(),
    imagemap({ baseSize: { width: 1000, height: 1000 } }),
    'messages[0].baseSize.width',
  ],
  [
    'imagemap: at most 50 actions',
    imagemap(),
    imagemap({
      actions: Array.from({ length: 51 }, () => ({
        type: 'message',
        text: 'a',
        area: { x: 0, y: 0, width: 1, height: 1 },
      })),
    }),
    'messages[0].actions',
  ],
  [
    'imagemap: uri action linkUri scheme',
    imagemap(),
    imagemap({
      actions: [{ type: 'uri', linkUri: 'mailto:hi@huigo.tw', area: { x: 0, y: 0, width: 10, height: 10 } }],
    }),
    'messages[0].actions[0].linkUri',
  ],
  [
    'imagemap: message action text at most 400',
    imagemap({ actions: [{ type: 'message', text: rep('a', 400), area: { x: 0, y: 0, width: 10, height: 10 } }] }),
    imagemap({ actions: [{ type: 'message', text: rep('a', 401), area: { x: 0, y: 0, width: 10, height: 10 } }] }),
    'messages[0].actions[0].text',
  ],
  [
    'imagemap: action area required',
    imagemap(),
    imagemap({ actions: [{ type: 'uri', linkUri: 'https://huigo.tw' }] }),
    'messages[0].actions[0].area',
  ],
  [
    'imagemap: video externalLink label at most 30',
    imagemap({
      video: {
        originalContentUrl: HTTPS,
        previewImageUrl: HTTPS,
        area: { x: 0, y: 0, width: 1040, height: 585 },
        externalLink: { linkUri: 'https://huigo.tw', label: '看更多' },
      },
    }),
    imagemap({
      video: {
        originalContentUrl: HTTPS,
        previewImageUrl: HTTPS,
        area: { x: 0, y: 0, width: 1040, height: 585 },
        externalLink: { linkUri: 'https://huigo.tw', label: rep('看', 31) },
      },
    }),
    'messages[0].video.externalLink.label',
  ],
  // Template messages
  ['template: altText at most 1,500', buttons({}), { ...buttons({}), altText: rep('a', 1501) }, 'messages[0].altText'],
  ['template: altText required', buttons({}), { ...buttons({}), altText: '' }, 'messages[0].altText'],
  ['buttons: text at most 160', buttons({ text: rep('字', 160) }), buttons({ text: rep('字', 161) }), `${T}.text`],
  [
    'buttons: text at most 60 with a title',
    buttons({ title: '本月優惠', text: rep('字', 60) }),
    buttons({ title: '本月優惠', text: rep('字', 61) }),
    `${T}.text`,
  ],
  [
    'buttons: text at most 60 with a thumbnail',
    buttons({ thumbnailImageUrl: HTTPS, text: rep('字', 60) }),
    buttons({ thumbnailImageUrl: HTTPS, text: rep('字', 61) }),
    `${T}.text`,
  ],
  [
    'buttons: title at most 40',
    buttons({ title: rep('標', 40), text: '短' }),
    buttons({ title: rep('標', 41), text: '短' }),
    `${T}.title`,
  ],
  [
    'buttons: at most 4 actions',
    buttons({ actions: [1, 2, 3, 4].map(() => msgAction()) }),
    buttons({ actions: [1, 2, 3, 4, 5].map(() => msgAction()) }),
    `${T}.actions`,
  ],
  [
    'buttons: thumbnailImageUrl https',
    buttons({ thumbnailImageUrl: HTTPS, text: '短' }),
    buttons({ thumbnailImageUrl: 'http://x.tw/a.png', text: '短' }),
    `${T}.thumbnailImageUrl`,
  ],
  [
    'buttons: imageAspectRatio rectangle or square',
    buttons({ imageAspectRatio: 'square' }),
    buttons({ imageAspectRatio: 'wide' }),
    `${T}.imageAspectRatio`,
  ],
  [
    'buttons: imageBackgroundColor hex',
    buttons({ imageBackgroundColor: '#FFFFFF' }),
    buttons({ imageBackgroundColor: 'white' }),
    `${T}.imageBackgroundColor`,
  ],
  ['confirm: text at most 240', confirm({ text: rep('字', 240) }), confirm({ text: rep('字', 241) }), `${T}.text`],
  ['confirm: exactly 2 actions', confirm({}), confirm({ actions: [msgAction()] }), `${T}.actions`],
  [
    'carousel: at most 10 columns',
    carousel(Array.from({ length: 10 }, () => column())),
    carousel(Array.from({ length: 11 }, () => column())),
    `${T}.columns`,
  ],
  [
    'carousel: the same number of actions in every column',
    carousel([column({ actions: [msgAction(), msgAction()] }), column({ actions: [msgAction(), msgAction()] })]),
    carousel([column({ actions: [msgAction(), msgAction()] }), column({ actions: [msgAction()] })]),
    `${T}.columns[1].actions`,
  ],
  [
    'carousel: at most 3 actions per column',
    carousel([column({ actions: [1, 2, 3].map(() => msgAction()) })]),
    carousel([column({ actions: [1, 2, 3, 4].map(() => msgAction()) })]),
    `${T}.columns[0].actions`,
  ],
  [
    'carousel: column text at most 120',
    carousel([column({ text: rep('字', 120) })]),
    carousel([column({ text: rep('字', 121) })]),
    `${T}.columns[0].text`,
  ],
  [
    'carousel: column text at most 60 with a title or image',
    carousel([column({ title: '新品', text: rep('字', 60) })]),
    carousel([column({ thumbnailImageUrl: HTTPS, text: rep('字', 61) })]),
    `${T}.columns[0].text`,
  ],
  [
    'carousel: column title at most 40',
    carousel([column({ title: rep('標', 40), text: '短' })]),
    carousel([column({ title: rep('標', 41), text: '短' })]),
    `${T}.columns[0].title`,
  ],
  [
    'carousel: defaultAction is a checked action (label optional)',
    carousel([column({ defaultAction: { type: 'uri', uri: 'https://huigo.tw' } })]),
    carousel([column({ defaultAction: { type: 'uri', uri: 'mailto:hi@huigo.tw' } })]),
    `${T}.columns[0].defaultAction.uri`,
  ],
  [
    'image_carousel: imageUrl https',
    {
      type: 'template',
      altText: '圖',
      template: {
        type: 'image_carousel',
        columns: [{ imageUrl: HTTPS, action: { type: 'uri', uri: 'https://huigo.tw' } }],
      },
    },
    {
      type: 'template',
      altText: '圖',
      template: {
        type: 'image_carousel',
        columns: [{ imageUrl: 'http://x.tw/a.png', action: { type: 'uri', uri: 'https://huigo.tw' } }],
      },
    },
    `${T}.columns[0].imageUrl`,
  ],
  [
    'image_carousel: action label optional, at most 12',
    {
      type: 'template',
      altText: '圖',
      template: {
        type: 'image_carousel',
        columns: [{ imageUrl: HTTPS, action: uriAction('https://huigo.tw', { label: rep('看', 12) }) }],
      },
    },
    {
      type: 'template',
      altText: '圖',
      template: {
        type: 'image_carousel',
        columns: [{ imageUrl: HTTPS, action: uriAction('https://huigo.tw', { label: rep('看', 13) }) }],
      },
    },
    `${T}.columns[0].action.label`,
  ],
  // Flex Messages
  ['flex: altText required', inBody(flexText()), { ...inBody(flexText()), altText: '' }, 'messages[0].altText'],
  [
    'flex carousel: at most 12 bubbles',
    {
      type: 'flex',
      altText: 'c',
      contents: { type: 'carousel', contents: Array.from({ length: 12 }, () => ({ type: 'bubble' })) },
    },
    {
      type: 'flex',
      altText: 'c',
      contents: { type: 'carousel', contents: Array.from({ length: 13 }, () => ({ type: 'bubble' })) },
    },
    'messages[0].contents.contents',
  ],
  // 10,000 CJK characters are 10,000 UTF-16 units but 30,000 UTF-8 bytes.
  [
    'flex bubble: JSON at most 30 KB in UTF-8 bytes',
    inBody(flexText(rep('點', 9000))),
    inBody(flexText(rep('點', 10300))),
    'messages[0].contents',
  ],
  [
    'flex carousel: JSON at most 50 KB in UTF-8 bytes',
    {
      type: 'flex',
      altText: 'c',
      contents: { type: 'carousel', contents: [1, 2].map(() => inBody(flexText(rep('點', 8000))).contents) },
    },
    {
      type: 'flex',
      altText: 'c',
      contents: { type: 'carousel', contents: [1, 2, 3].map(() => inBody(flexText(rep('點', 6000))).contents) },
    },
    'messages[0].contents',
  ],
  ['flex bubble: size keyword', bubbleMsg({ size: 'kilo' }), bubbleMsg({ size: 'large' }), 'messages[0].contents.size'],
  [
    'flex bubble: header/body/footer are boxes',
    bubbleMsg({ footer: box('vertical', []) }),
    bubbleMsg({ footer: flexText() }),
    'messages[0].contents.footer.type',
  ],
  [
    'flex bubble: hero is a box, image or video',
    bubbleMsg({ hero: { type: 'image', url: HTTPS } }),
    bubbleMsg({ hero: flexText() }),
    'messages[0].contents.hero.type',
  ],
  [
    'flex bubble: styles colors',
    bubbleMsg({ styles: { body: { backgroundColor: '#FFF8E1' } } }),
    bubbleMsg({ styles: { body: { backgroundColor: 'cream' } } }),
    'messages[0].contents.styles.body.backgroundColor',
  ],
  [
    'flex video: only as the hero of a kilo/mega/giga bubble',
    bubbleMsg({
      size: 'mega',
      hero: { type: 'video', url: `${HTTPS}.mp4`, previewUrl: HTTPS, altContent: { type: 'image', url: HTTPS } },
    }),
    bubbleMsg({
      size: 'micro',
      hero: { type: 'video', url: `${HTTPS}.mp4`, previewUrl: HTTPS, altContent: { type: 'image', url: HTTPS } },
    }),
    'messages[0].contents.size',
  ],
  [
    'flex video: not inside a box',
    inBody(flexText()),
    inBody({ type: 'video', url: HTTPS, previewUrl: HTTPS, altContent: { type: 'image', url: HTTPS } }),
    `${B}.type`,
  ],
  [
    'flex video: url https and altContent required',
    bubbleMsg({
      hero: { type: 'video', url: `${HTTPS}.mp4`, previewUrl: HTTPS, altContent: box('vertical', [flexText()]) },
    }),
    bubbleMsg({ hero: { type: 'video', url: `${HTTPS}.mp4`, previewUrl: HTTPS } }),
    'messages[0].contents.hero.altContent',
  ],
  [
    'flex box: layout required',
    inBody(box('vertical', [flexText()])),
    inBody({ type: 'box', contents: [flexText()] }),
    `${B}.layout`,
  ],
  [
    'flex box: layout horizontal, vertical or baseline',
    inBody(box('baseline', [flexText()])),
    inBody(box('grid', [flexText()])),
    `${B}.layout`,
  ],
  [
    'flex box: contents required',
    inBody(box('vertical', [])),
    inBody({ type: 'box', layout: 'vertical' }),
    `${B}.contents`,
  ],
  [
    'flex box: a baseline box holds no image',
    inBody(box('baseline', [{ type: 'icon', url: HTTPS }, flexText()])),
    inBody(box('baseline', [{ type: 'image', url: HTTPS }])),
    `${B}.contents[0].type`,
  ],
  [
    'flex box: icons only in baseline boxes',
    inBody(box('baseline', [{ type: 'icon', url: HTTPS }])),
    inBody({ type: 'icon', url: HTTPS }),
    `${B}.type`,
  ],
  [
    'flex box: spacing keyword or px',
    inBody(box('vertical', [], { spacing: '12px' })),
    inBody(box('vertical', [], { spacing: 'wide' })),
    `${B}.spacing`,
  ],
  [
    'flex box: padding keyword, px or %',
    inBody(box('vertical', [], { paddingAll: '5%' })),
    inBody(box('vertical', [], { paddingAll: '5em' })),
    `${B}.paddingAll`,
  ],
  [
    'flex box: width px or %',
    inBody(box('vertical', [], { width: '120px' })),
    inBody(box('vertical', [], { width: 'md' })),
    `${B}.width`,
  ],
  [
    'flex box: cornerRadius keyword or px',
    inBody(box('vertical', [], { cornerRadius: 'xl' })),
    inBody(box('vertical', [], { cornerRadius: '50%' })),
    `${B}.cornerRadius`,
  ],
  [
    'flex box: borderWidth keyword or px',
    inBody(box('vertical', [], { borderWidth: 'semi-bold' })),
    inBody(box('vertical', [], { borderWidth: 'thick' })),
    `${B}.borderWidth`,
  ],
  [
    'flex box: justifyContent values',
    inBody(box('horizontal', [], { justifyContent: 'space-between' })),
    inBody(box('horizontal', [], { justifyContent: 'stretch' })),
    `${B}.justifyContent`,
  ],
  [
    'flex box: linearGradient background angle',
    inBody(
      box('vertical', [], {
        background: { type: 'linearGradient', angle: '90deg', startColor: '#FF0000', endColor: '#0000FF' },
      }),
    ),
    inBody(
      box('vertical', [], {
        background: { type: 'linearGradient', angle: '360deg', startColor: '#FF0000', endColor: '#0000FF' },
      }),
    ),
    `${B}.background.angle`,
  ],
  ['flex text: text not empty', inBody(flexText('hi')), inBody(flexText('')), `${B}.text`],
  [
    'flex text: spans may replace text',
    inBody({ type: 'text', contents: [{ type: 'span', text: '點數' }] }),
    inBody({ type: 'text', contents: [] }),
    `${B}.text`,
  ],
  [
    'flex span: text required',
    inBody({ type: 'text', contents: [{ type: 'span', text: '點' }] }),
    inBody({ type: 'text', contents: [{ type: 'span', text: '' }] }),
    `${B}.contents[0].text`,
  ],
  [
    'flex text: size keyword or px',
    inBody({ ...flexText(), size: '3xl' }),
    inBody({ ...flexText(), size: 'huge' }),
    `${B}.size`,
  ],
  [
    'flex text: color hex',
    inBody({ ...flexText(), color: '#11111180' }),
    inBody({ ...flexText(), color: 'red' }),
    `${B}.color`,
  ],
  [
    'flex text: weight regular or bold',
    inBody({ ...flexText(), weight: 'bold' }),
    inBody({ ...flexText(), weight: 'heavy' }),
    `${B}.weight`,
  ],
  [
    'flex text: maxLines integer',
    inBody({ ...flexText(), maxLines: 2 }),
    inBody({ ...flexText(), maxLines: 1.5 }),
    `${B}.maxLines`,
  ],
  [
    'flex component: margin keyword or px',
    inBody({ ...flexText(), margin: '10px' }),
    inBody({ ...flexText(), margin: 'huge' }),
    `${B}.margin`,
  ],
  [
    'flex component: offsets keyword, px or %',
    inBody({ ...flexText(), position: 'absolute', offsetTop: '10%' }),
    inBody({ ...flexText(), offsetTop: '10pt' }),
    `${B}.offsetTop`,
  ],
  [
    'flex component: flex a non-negative integer',
    inBody({ ...flexText(), flex: 2 }),
    inBody({ ...flexText(), flex: -1 }),
    `${B}.flex`,
  ],
  [
    'flex image: url https',
    inBody({ type: 'image', url: HTTPS }),
    inBody({ type: 'image', url: 'http://cdn.huigo.tw/hero.png' }),
    `${B}.url`,
  ],
  [
    'flex image: url at most 2,000',
    inBody({ type: 'image', url: `https://x.tw/${rep('a', 1987)}` }),
    inBody({ type: 'image', url: `https://x.tw/${rep('a', 1988)}` }),
    `${B}.url`,
  ],
  [
    'flex image: size keyword, px or %',
    inBody({ type: 'image', url: HTTPS, size: 'full' }),
    inBody({ type: 'image', url: HTTPS, size: 'giant' }),
    `${B}.size`,
  ],
  [
    'flex image: aspectRatio height at most 3x width',
    inBody({ type: 'image', url: HTTPS, aspectRatio: '20:13' }),
    inBody({ type: 'image', url: HTTPS, aspectRatio: '1:4' }),
    `${B}.aspectRatio`,
  ],
  [
    'flex image: aspectMode fit or cover',
    inBody({ type: 'image', url: HTTPS, aspectMode: 'cover' }),
    inBody({ type: 'image', url: HTTPS, aspectMode: 'fill' }),
    `${B}.aspectMode`,
  ],
  [
    'flex icon: url https',
    inBody(box('baseline', [{ type: 'icon', url: HTTPS }])),
    inBody(box('baseline', [{ type: 'icon', url: 'http://x.tw/i.png' }])),
    `${B}.contents[0].url`,
  ],
  [
    'flex button: action required',
    inBody(btn(uriAction('https://huigo.tw'))),
    inBody({ type: 'button', style: 'primary' }),
    `${B}.action`,
  ],
  [
    'flex button: label required',
    inBody(btn(uriAction('https://huigo.tw'))),
    inBody(btn({ type: 'uri', uri: 'https://huigo.tw' })),
    `${B}.action.label`,
  ],
  [
    'flex button: label at most 40 graphemes',
    inBody(btn(uriAction('https://huigo.tw', { label: rep('買', 40) }))),
    inBody(btn(uriAction('https://huigo.tw', { label: rep('買', 41) }))),
    `${B}.action.label`,
  ],
  [
    'flex button: style primary, secondary or link',
    inBody(btn(uriAction('https://huigo.tw'), { style: 'secondary' })),
    inBody(btn(uriAction('https://huigo.tw'), { style: 'danger' })),
    `${B}.style`,
  ],
  [
    'flex button: height sm or md',
    inBody(btn(uriAction('https://huigo.tw'), { height: 'sm' })),
    inBody(btn(uriAction('https://huigo.tw'), { height: 'lg' })),
    `${B}.height`,
  ],
  [
    'flex button: action uri scheme',
    inBody(btn(uriAction('tel:0223456789'))),
    inBody(btn(uriAction('mailto:hi@huigo.tw'))),
    `${B}.action.uri`,
  ],
  [
    'flex separator: color hex',
    inBody({ type: 'separator', color: '#DDDDDD' }),
    inBody({ type: 'separator', color: 'grey' }),
    `${B}.color`,
  ],
  [
    'flex filler: flex integer',
    inBody(box('horizontal', [{ type: 'filler', flex: 1 }])),
    inBody(box('horizontal', [{ type: 'filler', flex: '1' }])),
    `${B}.contents[0].flex`,
  ],
  ['flex: unknown component type', inBody(flexText()), inBody({ type: 'table' }), `${B}.type`],
  // Quick reply and sender
  [
    'quickReply: at most 13 items',
    inQuickReply(msgAction()),
    {
      ...text('選'),
      quickReply: { items: Array.from({ length: 14 }, () => ({ type: 'action', action: msgAction() })) },
    },
    'messages[0].quickReply.items',
  ],
  [
    'quickReply: item type action',
    inQuickReply(msgAction()),
    inQuickReply(msgAction(), { type: 'button' }),
    `${Q}.type`,
  ],
  [
    'quickReply: imageUrl https',
    inQuickReply(msgAction(), { imageUrl: HTTPS }),
    inQuickReply(msgAction(), { imageUrl: 'http://x.tw/i.png' }),
    `${Q}.imageUrl`,
  ],
  [
    'quickReply: action label required',
    inQuickReply(msgAction()),
    inQuickReply({ type: 'message', text: '點數' }),
    `${Q}.action.label`,
  ],
  [
    'quickReply: label at most 20 graphemes',
    inQuickReply(msgAction(rep(FAMILY, 20))),
    inQuickReply(msgAction(rep(FAMILY, 21))),
    `${Q}.action.label`,
  ],
  [
    'quickReply: postback displayText required',
    inQuickReply(postback({ displayText: '兌換' })),
    inQuickReply(postback()),
    `${Q}.action.displayText`,
  ],
  [
    'camera/cameraRoll/location: only in quick replies',
    inQuickReply({ type: 'camera', label: '拍照' }),
    inTemplate({ type: 'camera', label: '拍照' }),
    `${A}.type`,
  ],
  [
    'location action: only in quick replies',
    inQuickReply({ type: 'location', label: '傳位置' }),
    inBody(btn({ type: 'location', label: '傳位置' })),
    `${B}.action.type`,
  ],
  [
    'richmenuswitch: not in quick replies',
    inQuickReply(msgAction()),
    inQuickReply({ type: 'richmenuswitch', label: '切換', richMenuAliasId: 'page-2', data: 'x' }),
    `${Q}.action.type`,
  ],
  [
    'sender: name at most 20',
    { ...text('hi'), sender: { name: '小惠店長' } },
    { ...text('hi'), sender: { name: rep('店', 21) } },
    'messages[0].sender.name',
  ],
  [
    "sender: name without the word 'LINE'",
    { ...text('hi'), sender: { name: 'Online 小幫手' } },
    { ...text('hi'), sender: { name: 'LINE 官方' } },
    'messages[0].sender.name',
  ],
  [
    'sender: iconUrl https',
    { ...text('hi'), sender: { iconUrl: HTTPS } },
    { ...text('hi'), sender: { iconUrl: 'http://x.tw/i.png' } },
    'messages[0].sender.iconUrl',
  ],
  // Actions
  [
    'action: label required in templates',
    inTemplate(msgAction()),
    inTemplate({ type: 'message', text: 'a' }),
    `${A}.label`,
  ],
  [
    'action: template label at most 20 graphemes',
    inTemplate(msgAction(rep('查', 20))),
    inTemplate(msgAction(rep('查', 21))),
    `${A}.label`,
  ],
  ['action: unknown type', inTemplate(msgAction()), inTemplate({ type: 'share', label: '分享' }), `${A}.type`],
  [
    'postback: data at most 300',
    inTemplate(postback({ data: rep('d', 300) })),
    inTemplate(postback({ data: rep('d', 301) })),
    `${A}.data`,
  ],
  ['postback: data required', inTemplate(postback()), inTemplate({ type: 'postback', label: '兌換' }), `${A}.data`],
  [
    'postback: displayText at most 300',
    inTemplate(postback({ displayText: rep('字', 300) })),
    inTemplate(postback({ displayText: rep('字', 301) })),
    `${A}.displayText`,
  ],
  [
    'postback: text and displayText exclusive',
    inTemplate(postback({ text: '兌換' })),
    inTemplate(postback({ text: '兌換', displayText: '兌換' })),
    `${A}.text`,
  ],
  [
    'postback: inputOption values',
    inTemplate(postback({ inputOption: 'openKeyboard', fillInText: '我要' })),
    inTemplate(postback({ inputOption: 'openCamera' })),
    `${A}.inputOption`,
  ],
  [
    'postback: fillInText at most 300',
    inTemplate(postback({ inputOption: 'openKeyboard', fillInText: rep('a', 300) })),
    inTemplate(postback({ inputOption: 'openKeyboard', fillInText: rep('a', 301) })),
    `${A}.fillInText`,
  ],
  ['message action: text required', inTemplate(msgAction()), inTemplate({ type: 'message', label: '查' }), `${A}.text`],
  [
    'message action: text at most 300',
    inTemplate(msgAction('查', rep('a', 300))),
    inTemplate(msgAction('查', rep('a', 301))),
    `${A}.text`,
  ],
  [
    'uri action: at most 1,000 characters',
    inTemplate(uriAction(`https://huigo.tw/${rep('a', 983)}`)),
    inTemplate(uriAction(`https://huigo.tw/${rep('a', 984)}`)),
    `${A}.uri`,
  ],
  [
    'uri action: schemes http, https, line, tel',
    inTemplate(uriAction('line://nv/location')),
    inTemplate(uriAction('javascript:alert(1)')),
    `${A}.uri`,
  ],
  [
    'uri action: http is allowed',
    inTemplate(uriAction('http://huigo.tw')),
    inTemplate(uriAction('huigo.tw')),
    `${A}.uri`,
  ],
  [
    'uri action: altUri.desktop scheme and length',
    inBody(btn(uriAction('https://liff.line.me/1', { altUri: { desktop: 'https://huigo.tw/card' } }))),
    inBody(btn(uriAction('https://liff.line.me/1', { altUri: { desktop: 'mailto:hi@huigo.tw' } }))),
    `${B}.action.altUri.desktop`,
  ],
  [
    'datetimepicker: mode date, time or datetime',
    inTemplate(picker({})),
    inTemplate(picker({ mode: 'month' })),
    `${A}.mode`,
  ],
  ['datetimepicker: data required', inTemplate(picker({})), inTemplate(picker({ data: undefined })), `${A}.data`],
  [
    'datetimepicker: date format',
    inTemplate(picker({ initial: '1990-05-17' })),
    inTemplate(picker({ initial: '1990/05/17' })),
    `${A}.initial`,
  ],
  [
    'datetimepicker: a real calendar date',
    inTemplate(picker({ initial: '2024-02-29' })),
    inTemplate(picker({ initial: '2023-02-29' })),
    `${A}.initial`,
  ],
  [
    'datetimepicker: time format',
    inTemplate(picker({ mode: 'time', initial: '23:59' })),
    inTemplate(picker({ mode: 'time', initial: '24:00' })),
    `${A}.initial`,
  ],
  [
    'datetimepicker: datetime format (T or t)',
    inTemplate(picker({ mode: 'datetime', max: '2026-12-31t23:59' })),
    inTemplate(picker({ mode: 'datetime', max: '2026-12-31 23:59' })),
    `${A}.max`,
  ],
  [
    'datetimepicker: min not before 1900-01-01',
    inTemplate(picker({ min: '1900-01-01' })),
    inTemplate(picker({ min: '1899-12-31' })),
    `${A}.min`,
  ],
  [
    'datetimepicker: max not after 2100-12-31T23:59',
    inTemplate(picker({ mode: 'datetime', max: '2100-12-31T23:59' })),
    inTemplate(picker({ mode: 'datetime', max: '2101-01-01T00:00' })),
    `${A}.max`,
  ],
  [
    'datetimepicker: max greater than min',
    inTemplate(picker({ min: '1930-01-01', max: '2010-12-31' })),
    inTemplate(picker({ min: '2010-12-31', max: '1930-01-01' })),
    `${A}.max`,
  ],
  [
    'datetimepicker: initial not before min',
    inTemplate(picker({ min: '1930-01-01', initial: '1990-01-01' })),
    inTemplate(picker({ min: '1930-01-01', initial: '1920-01-01' })),
    `${A}.initial`,
  ],
  [
    'datetimepicker: initial not after max',
    inTemplate(picker({ max: '2010-12-31', initial: '1990-01-01' })),
    inTemplate(picker({ max: '2010-12-31', initial: '2020-01-01' })),
    `${A}.initial`,
  ],
  [
    'clipboard: clipboardText 1..1,000',
    inTemplate({ type: 'clipboard', label: '複製', clipboardText: 'HUIGO100' }),
    inTemplate({ type: 'clipboard', label: '複製', clipboardText: rep('a', 1001) }),
    `${A}.clipboardText`,
  ],
];

describe('#11.1 LINE emulator rules: message objects and actions', () => {
  const props = (messages: unknown[]) => validateMessages(messages).map((d) => d.property);

  it.each(messageRows)('%s', (_rule, valid, invalid, property) => {
    expect(validateMessages([valid])).toEqual([]);
    expect(props([invalid])).toContain(property);
  });

  it('messages: 1..5 per request', () => {
    expect(validateMessages([1, 2, 3, 4, 5].map(() => text('a')))).toEqual([]);
    expect(props([1, 2, 3, 4, 5, 6].map(() => text('a')))).toEqual(['messages']);
    expect(props([])).toEqual(['messages']);
  });

  it('counts texts in UTF-16 code units, labels in grapheme clusters and bubble sizes in UTF-8 bytes', () => {
    expect(props([text(rep('a', 5001))])).toEqual(['messages[0].text']);
    // 2,501 emoji are 2,501 code points but 5,002 UTF-16 units: refused.
    expect(props([text(rep('😀', 2501))])).toEqual(['messages[0].text']);
    // 20 family emoji are 160 UTF-16 units but 20 graphemes: a valid label.
    expect(validateMessages([inTemplate(msgAction(rep(FAMILY, 20)))])).toEqual([]);
    // 10,300 CJK characters are under 30,720 UTF-16 units but over 30 KB in UTF-8.
    const details = validateMessages([inBody(flexText(rep('點', 10300)))]);
    expect(details).toEqual([{ property: 'messages[0].contents', message: expect.stringMatching(/30 KB/) }]);
  });

  it('reports the full property path deep inside a bubble', () => {
    const msg = inBody(flexText(), box('horizontal', [btn(uriAction('mailto:a@b.tw'))]));
    expect(props([text('ok'), msg])).toEqual(['messages[1].contents.body.contents[1].contents[0].action.uri']);
  });

  it('reports every violation at once', () => {
    const msg = inBody({ type: 'box', contents: [flexText('')] }, { type: 'image', url: 'http://x.tw/a.png' });
    expect(props([msg]).sort()).toEqual([
      `${B}.contents[0].text`,
      `${B}.layout`,
      'messages[0].contents.body.contents[1].url',
    ]);
  });
});

describe('#11.1 LINE emulator rules: a valid sample of every message type passes', () => {
  const samples = validMessageSamples();
  it.each(samples.map((s, i) => [`${String(s.type)} #${i}`, s]))('%s', (_name, sample) => {
    expect(validateMessages([sample])).toEqual([]);
  });
});

describe('#11.1 LINE emulator rules: rich menu actions', () => {
  const menu = (action: unknown) => ({
    size: { width: 2500, height: 843 },
    selected: true,
    name: '會員選單',
    chatBarText: '選單',
    areas: [{ bounds: { x: 0, y: 0, width: 1250, height: 843 }, action }],
  });
  it('richmenuswitch is allowed in rich menus, its label optional; camera is not', () => {
    expect(validateRichMenu(menu({ type: 'richmenuswitch', richMenuAliasId: 'page-2', data: 'p=2' }))).toEqual([]);
    expect(validateRichMenu(menu({ type: 'camera', label: '拍照' })).map((d) => d.property)).toEqual([
      'areas[0].action.type',
    ]);
    expect(
      validateRichMenu(menu({ type: 'richmenuswitch', richMenuAliasId: rep('a', 33), data: 'p' })).map(
        (d) => d.property,
      ),
    ).toEqual(['areas[0].action.richMenuAliasId']);
  });
});

describe('#11.1 LINE emulator rules: send request fields', () => {
  const U = (c: string) => `U${c.repeat(32)}`;
  const props = (api: string, body: Record<string, unknown>) => validateSendFields(api, body).map((d) => d.property);
  it.each([
    ['push: to a user, group or room id', 'push', { to: U('a') }, { to: 'U123' }, 'to'],
    ['push: group ids are fine', 'push', { to: `C${'b'.repeat(32)}` }, { to: `X${'b'.repeat(32)}` }, 'to'],
    [
      'multicast: 1..500 recipients',
      'multicast',
      { to: Array.from({ length: 500 }, () => U('a')) },
      { to: Array.from({ length: 501 }, () => U('a')) },
      'to',
    ],
    ['multicast: at least one recipient', 'multicast', { to: [U('a')] }, { to: [] }, 'to'],
    [
      'multicast: each a user id (no groups or rooms)',
      'multicast',
      { to: [U('a'), U('b')] },
      { to: [U('a'), `C${'b'.repeat(32)}`] },
      'to[1]',
    ],
    ['multicast: user ids are lowercase hex', 'multicast', { to: [U('f')] }, { to: [U('F')] }, 'to[0]'],
    [
      'notificationDisabled: a boolean',
      'broadcast',
      { notificationDisabled: true },
      { notificationDisabled: 'yes' },
      'notificationDisabled',
    ],
    [
      'customAggregationUnits: one unit name',
      'push',
      { to: U('a'), customAggregationUnits: ['spring_2026'] },
      { to: U('a'), customAggregationUnits: ['a', 'b'] },
      'customAggregationUnits',
    ],
  ] as const)('%s', (_rule, api, valid, invalid, property) => {
    expect(validateSendFields(api, valid)).toEqual([]);
    expect(props(api, invalid)).toContain(property);
  });
});
