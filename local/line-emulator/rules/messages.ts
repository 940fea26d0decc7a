/**
 * Message objects (Messaging API reference § Message objects; OpenAPI schemas `Message`, `QuickReply`,
 * `QuickReplyItem`, `Sender`, `TextMessage`, `Emoji`, `TextMessageV2`, `SubstitutionObject`, `StickerMessage`,
 * `ImageMessage`, `VideoMessage`, `AudioMessage`, `LocationMessage`, `ImagemapMessage`, `TemplateMessage`,
 * `ButtonsTemplate`, `ConfirmTemplate`, `CarouselTemplate`, `ImageCarouselTemplate`, `FlexMessage`).
 */
import { validateAction, validateUri } from './actions';
import type { Rules } from './core';
import { type Obj, isObj } from './core';
import { validateFlexContainer } from './flex';

export const KNOWN_MESSAGE_TYPES = [
  'text',
  'textV2',
  'sticker',
  'image',
  'video',
  'audio',
  'location',
  'imagemap',
  'template',
  'flex',
] as const;

const TEXT_MAX = 5000;
const ALT_TEXT_MAX = 1500;

function textMessage(r: Rules, m: Obj, p: string) {
  r.text(m, 'text', p, TEXT_MAX);
  const emojis = r.array(m, 'emojis', p, 0, 20, false);
  const text = typeof m.text === 'string' ? m.text : '';
  emojis?.forEach((e, i) => {
    const ep = `${p}.emojis[${i}]`;
    if (!isObj(e)) return r.fail(ep, 'must be an object');
    r.text(e, 'productId', ep, Number.MAX_SAFE_INTEGER);
    r.text(e, 'emojiId', ep, Number.MAX_SAFE_INTEGER);
    // "index: Index position for a character in text, with the first character being at position 0. The specified
    // position must correspond to a $ character, which serves as a placeholder for the LINE emoji."
    if (r.integer(e, 'index', ep, { required: true, min: 0 }) && text[e.index as number] !== '$') {
      r.fail(`${ep}.index`, 'must point at a $ placeholder in text');
    }
  });
}

function textV2(r: Rules, m: Obj, p: string) {
  r.text(m, 'text', p, TEXT_MAX);
  const subs = r.object(m, 'substitution', p, false);
  if (!subs) return;
  const keys = Object.keys(subs);
  if (keys.length > 100) r.fail(`${p}.substitution`, 'Size must be between 0 and 100');
  for (const key of keys) {
    const sp = `${p}.substitution.${key}`;
    if (!/^[a-zA-Z0-9_]{1,20}$/.test(key)) r.fail(sp, 'key must match ^[a-zA-Z0-9_]{1,20}$');
    const s = subs[key];
    if (!isObj(s)) {
      r.fail(sp, 'must be an object');
      continue;
    }
    if (!r.oneOf(s, 'type', sp, ['mention', 'emoji'], true)) continue;
    if (s.type === 'emoji') {
      r.text(s, 'productId', sp, Number.MAX_SAFE_INTEGER);
      r.text(s, 'emojiId', sp, Number.MAX_SAFE_INTEGER);
    } else {
      const who = r.object(s, 'mentionee', sp);
      if (who && r.oneOf(who, 'type', `${sp}.mentionee`, ['user', 'all'], true) && who.type === 'user') {
        r.text(who, 'userId', `${sp}.mentionee`, Number.MAX_SAFE_INTEGER);
      }
    }
  }
}

function area(r: Rules, o: Obj, p: string) {
  const a = r.object(o, 'area', p);
  if (!a) return;
  r.integer(a, 'x', `${p}.area`, { required: true, min: 0 });
  r.integer(a, 'y', `${p}.area`, { required: true, min: 0 });
  r.integer(a, 'width', `${p}.area`, { required: true, min: 1 });
  r.integer(a, 'height', `${p}.area`, { required: true, min: 1 });
}

function imagemap(r: Rules, m: Obj, p: string) {
  r.httpsUrl(m, 'baseUrl', p);
  r.text(m, 'altText', p, ALT_TEXT_MAX);
  const size = r.object(m, 'baseSize', p);
  if (size) {
    // "width: Width of base image in pixels. Set to 1040." "height: the height that corresponds to a width of 1040".
    if (size.width !== 1040) r.fail(`${p}.baseSize.width`, 'must be 1040');
    r.integer(size, 'height', `${p}.baseSize`, { required: true, min: 1 });
  }
  const actions = r.array(m, 'actions', p, 0, 50);
  actions?.forEach((a, i) => {
    const ap = `${p}.actions[${i}]`;
    if (!isObj(a)) return r.fail(ap, 'must be an object');
    area(r, a, ap);
    r.text(a, 'label', ap, 100, { required: false });
    if (a.type === 'uri') validateUri(r, a, 'linkUri', ap, true);
    else if (a.type === 'message') r.text(a, 'text', ap, 400);
    else if (a.type === 'clipboard') r.text(a, 'clipboardText', ap, 1000);
    else r.fail(`${ap}.type`, "must be one of 'uri', 'message', 'clipboard'");
  });
  const video = r.object(m, 'video', p, false);
  if (video) {
    const vp = `${p}.video`;
    r.httpsUrl(video, 'originalContentUrl', vp);
    r.httpsUrl(video, 'previewImageUrl', vp);
    area(r, video, vp);
    const link = r.object(video, 'externalLink', vp, false);
    if (link) {
      validateUri(r, link, 'linkUri', `${vp}.externalLink`, true);
      r.text(link, 'label', `${vp}.externalLink`, 30);
    }
  }
}

function actionList(r: Rules, o: Obj, key: string, p: string, min: number, max: number) {
  const list = r.array(o, key, p, min, max);
  list?.forEach((a, i) => validateAction(r, a, `${p}.${key}[${i}]`, 'template'));
  return list;
}

function templateImage(r: Rules, o: Obj, p: string) {
  r.httpsUrl(o, 'thumbnailImageUrl', p, { required: false });
  r.color(o, 'imageBackgroundColor', p);
  if (o.defaultAction !== undefined) validateAction(r, o.defaultAction, `${p}.defaultAction`, 'templateDefault');
}

function template(r: Rules, t: Obj, p: string) {
  switch (t.type) {
    case 'buttons': {
      templateImage(r, t, p);
      r.oneOf(t, 'imageAspectRatio', p, ['rectangle', 'square']);
      r.oneOf(t, 'imageSize', p, ['cover', 'contain']);
      r.text(t, 'title', p, 40, { required: false });
      // "Max character limit: 160 (no image or title); 60 (message with an image or title)".
      r.text(t, 'text', p, t.title !== undefined || t.thumbnailImageUrl !== undefined ? 60 : 160);
      actionList(r, t, 'actions', p, 1, 4);
      break;
    }
    case 'confirm':
      r.text(t, 'text', p, 240);
      actionList(r, t, 'actions', p, 2, 2);
      break;
    case 'carousel': {
      r.oneOf(t, 'imageAspectRatio', p, ['rectangle', 'square']);
      r.oneOf(t, 'imageSize', p, ['cover', 'contain']);
      const columns = r.array(t, 'columns', p, 1, 10);
      let actionCount: number | null = null;
      columns?.forEach((c, i) => {
        const cp = `${p}.columns[${i}]`;
        if (!isObj(c)) return r.fail(cp, 'must be an object');
        templateImage(r, c, cp);
        r.text(c, 'title', cp, 40, { required: false });
        r.text(c, 'text', cp, c.title !== undefined || c.thumbnailImageUrl !== undefined ? 60 : 120);
        const list = actionList(r, c, 'actions', cp, 1, 3);
        // "Keep the number of actions consistent for all columns."
        if (list && actionCount !== null && list.length !== actionCount) {
          r.fail(`${cp}.actions`, 'every column must have the same number of actions');
        }
        if (list && actionCount === null) actionCount = list.length;
      });
      break;
    }
    case 'image_carousel': {
      const columns = r.array(t, 'columns', p, 1, 10);
      columns?.forEach((c, i) => {
        const cp = `${p}.columns[${i}]`;
        if (!isObj(c)) return r.fail(cp, 'must be an object');
        r.httpsUrl(c, 'imageUrl', cp);
        validateAction(r, c.action, `${cp}.action`, 'imageCarousel');
      });
      break;
    }
    default:
      r.fail(`${p}.type`, "must be one of 'buttons', 'confirm', 'carousel', 'image_carousel'");
  }
}

function quickReply(r: Rules, qr: Obj, p: string) {
  const items = r.array(qr, 'items', p, 1, 13);
  items?.forEach((item, i) => {
    const ip = `${p}.items[${i}]`;
    if (!isObj(item)) return r.fail(ip, 'must be an object');
    if (item.type !== 'action') r.fail(`${ip}.type`, "must be 'action'");
    r.httpsUrl(item, 'imageUrl', ip, { required: false });
    validateAction(r, item.action, `${ip}.action`, 'quickReply');
  });
}

function sender(r: Rules, s: Obj, p: string) {
  if (r.text(s, 'name', p, 20, { required: false }) && typeof s.name === 'string') {
    // "Display name. Certain words such as LINE may not be used."
    if (/(^|[^a-z])line([^a-z]|$)/i.test(s.name)) r.fail(`${p}.name`, "must not contain the word 'LINE'");
  }
  r.httpsUrl(s, 'iconUrl', p, { required: false });
}

function media(r: Rules, m: Obj, p: string) {
  r.httpsUrl(m, 'originalContentUrl', p);
  if (m.type !== 'audio') r.httpsUrl(m, 'previewImageUrl', p);
  if (m.type === 'audio') r.integer(m, 'duration', p, { required: true, min: 1 });
  if (m.type === 'video' && m.trackingId !== undefined) {
    const id = m.trackingId;
    if (typeof id !== 'string' || !/^[a-zA-Z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,100}$/.test(id)) {
      r.fail(`${p}.trackingId`, 'must be 1-100 half-width alphanumerics or symbols');
    }
  }
}

/** Validates one message object at `p` (`messages[i]`). */
export function validateMessage(r: Rules, m: unknown, p: string): void {
  if (!isObj(m)) {
    r.fail(p, 'must be an object');
    return;
  }
  const type = m.type;
  if (typeof type !== 'string' || !(KNOWN_MESSAGE_TYPES as readonly string[]).includes(type)) {
    r.fail(
      `${p}.type`,
      `Unknown message type '${String(type)}' (the emulator supports ${KNOWN_MESSAGE_TYPES.join(', ')})`,
    );
    return;
  }
  switch (type) {
    case 'text':
      textMessage(r, m, p);
      break;
    case 'textV2':
      textV2(r, m, p);
      break;
    case 'sticker':
      r.text(m, 'packageId', p, Number.MAX_SAFE_INTEGER);
      r.text(m, 'stickerId', p, Number.MAX_SAFE_INTEGER);
      break;
    case 'image':
    case 'video':
    case 'audio':
      media(r, m, p);
      break;
    case 'location':
      r.text(m, 'title', p, 100);
      r.text(m, 'address', p, 100);
      for (const k of ['latitude', 'longitude'])
        if (typeof m[k] !== 'number')
          r.fail(`${p}.${k}`, m[k] === undefined ? 'must be specified' : 'must be a number');
      break;
    case 'imagemap':
      imagemap(r, m, p);
      break;
    case 'template': {
      r.text(m, 'altText', p, ALT_TEXT_MAX);
      const t = r.object(m, 'template', p);
      if (t) template(r, t, `${p}.template`);
      break;
    }
    case 'flex':
      r.text(m, 'altText', p, ALT_TEXT_MAX);
      validateFlexContainer(r, m.contents, `${p}.contents`);
      break;
  }
  const qr = r.object(m, 'quickReply', p, false);
  if (qr) quickReply(r, qr, `${p}.quickReply`);
  const s = r.object(m, 'sender', p, false);
  if (s) sender(r, s, `${p}.sender`);
}
