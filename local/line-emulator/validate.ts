/**
 * Request-body validation that mirrors what LINE rejects, so mistakes surface locally instead of in production.
 * Errors are collected as `{message, property}` details, the shape LINE returns in a 400.
 */
export interface ErrorDetail {
  message: string;
  property: string;
}

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

const ACTION_TYPES = [
  'postback',
  'message',
  'uri',
  'datetimepicker',
  'camera',
  'cameraRoll',
  'location',
  'richmenuswitch',
  'clipboard',
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function errorBody(details: ErrorDetail[]): { message: string; details: ErrorDetail[] } {
  return { message: `The request body has ${details.length} error(s)`, details };
}

function requireString(o: Obj, key: string, prop: string, out: ErrorDetail[], max?: number): void {
  const v = o[key];
  if (!isNonEmptyString(v)) out.push({ message: 'May not be empty', property: `${prop}.${key}` });
  else if (max !== undefined && [...v].length > max) {
    out.push({ message: `Length must be between 0 and ${max}`, property: `${prop}.${key}` });
  }
}

function requireHttpsUrl(o: Obj, key: string, prop: string, out: ErrorDetail[]): void {
  const v = o[key];
  if (!isNonEmptyString(v)) out.push({ message: 'May not be empty', property: `${prop}.${key}` });
  else if (!/^https:\/\//.test(v)) out.push({ message: 'Must be an https URL', property: `${prop}.${key}` });
}

export function validateAction(action: unknown, prop: string, out: ErrorDetail[]): void {
  if (!isObj(action)) {
    out.push({ message: 'May not be empty', property: prop });
    return;
  }
  const type = action.type;
  if (typeof type !== 'string' || !ACTION_TYPES.includes(type)) {
    out.push({ message: `Invalid action type '${String(type)}'`, property: `${prop}.type` });
    return;
  }
  if (action.label !== undefined && typeof action.label === 'string' && [...action.label].length > 20) {
    out.push({ message: 'Length must be between 0 and 20', property: `${prop}.label` });
  }
  if (type === 'message') requireString(action, 'text', prop, out, 300);
  if (type === 'postback') requireString(action, 'data', prop, out, 300);
  if (type === 'uri') requireString(action, 'uri', prop, out, 1000);
  if (type === 'richmenuswitch') {
    requireString(action, 'richMenuAliasId', prop, out);
    requireString(action, 'data', prop, out, 300);
  }
  if (type === 'datetimepicker') {
    requireString(action, 'data', prop, out, 300);
    if (!['date', 'time', 'datetime'].includes(String(action.mode))) {
      out.push({ message: "Must be one of 'date', 'time', 'datetime'", property: `${prop}.mode` });
    }
  }
}

function validateQuickReply(qr: unknown, prop: string, out: ErrorDetail[]): void {
  if (!isObj(qr) || !Array.isArray(qr.items)) {
    out.push({ message: 'May not be empty', property: `${prop}.items` });
    return;
  }
  if (qr.items.length < 1 || qr.items.length > 13) {
    out.push({ message: 'Size must be between 1 and 13', property: `${prop}.items` });
  }
  qr.items.forEach((item, i) => {
    const p = `${prop}.items[${i}]`;
    if (!isObj(item) || item.type !== 'action') out.push({ message: "Must be 'action'", property: `${p}.type` });
    else validateAction(item.action, `${p}.action`, out);
  });
}

function validateFlexContainer(c: unknown, prop: string, out: ErrorDetail[]): void {
  if (!isObj(c)) {
    out.push({ message: 'May not be empty', property: prop });
    return;
  }
  if (c.type === 'bubble') return;
  if (c.type === 'carousel') {
    const items = c.contents;
    if (!Array.isArray(items) || items.length < 1 || items.length > 12) {
      out.push({ message: 'Size must be between 1 and 12', property: `${prop}.contents` });
    } else {
      items.forEach((b, i) => {
        if (!isObj(b) || b.type !== 'bubble')
          out.push({ message: "Must be 'bubble'", property: `${prop}.contents[${i}].type` });
      });
    }
    return;
  }
  out.push({ message: "Must be one of 'bubble', 'carousel'", property: `${prop}.type` });
}

function validateTemplate(t: unknown, prop: string, out: ErrorDetail[]): void {
  if (!isObj(t)) {
    out.push({ message: 'May not be empty', property: prop });
    return;
  }
  const actions = (list: unknown, p: string, max: number) => {
    if (!Array.isArray(list) || list.length < 1 || list.length > max) {
      out.push({ message: `Size must be between 1 and ${max}`, property: p });
    } else list.forEach((a, i) => validateAction(a, `${p}[${i}]`, out));
  };
  switch (t.type) {
    case 'buttons':
      requireString(t, 'text', prop, out, 160);
      actions(t.actions, `${prop}.actions`, 4);
      break;
    case 'confirm':
      requireString(t, 'text', prop, out, 240);
      actions(t.actions, `${prop}.actions`, 2);
      break;
    case 'carousel':
    case 'image_carousel':
      if (!Array.isArray(t.columns) || t.columns.length < 1 || t.columns.length > 10) {
        out.push({ message: 'Size must be between 1 and 10', property: `${prop}.columns` });
      }
      break;
    default:
      out.push({
        message: "Must be one of 'buttons', 'confirm', 'carousel', 'image_carousel'",
        property: `${prop}.type`,
      });
  }
}

function validateMessage(m: unknown, prop: string, out: ErrorDetail[]): void {
  if (!isObj(m)) {
    out.push({ message: 'Must be an object', property: prop });
    return;
  }
  const type = m.type;
  if (typeof type !== 'string' || !(KNOWN_MESSAGE_TYPES as readonly string[]).includes(type)) {
    out.push({
      message: `Unknown message type '${String(type)}' (the emulator supports ${KNOWN_MESSAGE_TYPES.join(', ')})`,
      property: `${prop}.type`,
    });
    return;
  }
  switch (type) {
    case 'text':
    case 'textV2':
      requireString(m, 'text', prop, out, 5000);
      break;
    case 'sticker':
      requireString(m, 'packageId', prop, out);
      requireString(m, 'stickerId', prop, out);
      break;
    case 'image':
    case 'video':
      requireHttpsUrl(m, 'originalContentUrl', prop, out);
      requireHttpsUrl(m, 'previewImageUrl', prop, out);
      break;
    case 'audio':
      requireHttpsUrl(m, 'originalContentUrl', prop, out);
      if (typeof m.duration !== 'number') out.push({ message: 'May not be empty', property: `${prop}.duration` });
      break;
    case 'location':
      requireString(m, 'title', prop, out, 100);
      requireString(m, 'address', prop, out, 100);
      if (typeof m.latitude !== 'number') out.push({ message: 'May not be empty', property: `${prop}.latitude` });
      if (typeof m.longitude !== 'number') out.push({ message: 'May not be empty', property: `${prop}.longitude` });
      break;
    case 'imagemap':
      requireHttpsUrl(m, 'baseUrl', prop, out);
      requireString(m, 'altText', prop, out, 1500);
      if (!isObj(m.baseSize)) out.push({ message: 'May not be empty', property: `${prop}.baseSize` });
      if (!Array.isArray(m.actions)) out.push({ message: 'May not be empty', property: `${prop}.actions` });
      break;
    case 'template':
      requireString(m, 'altText', prop, out, 1500);
      validateTemplate(m.template, `${prop}.template`, out);
      break;
    case 'flex':
      requireString(m, 'altText', prop, out, 1500);
      validateFlexContainer(m.contents, `${prop}.contents`, out);
      break;
  }
  if (m.quickReply !== undefined) validateQuickReply(m.quickReply, `${prop}.quickReply`, out);
}

/** Validates the `messages` array of a send request (1..5 message objects). */
export function validateMessages(messages: unknown, out: ErrorDetail[] = []): ErrorDetail[] {
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > 5) {
    out.push({ message: 'Size must be between 1 and 5', property: 'messages' });
    return out;
  }
  messages.forEach((m, i) => validateMessage(m, `messages[${i}]`, out));
  return out;
}

/** Rich menu object rules from the LINE docs (size, 1..20 areas inside the menu, chatBarText ≤ 14, name ≤ 300). */
export function validateRichMenu(body: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!isObj(body)) return [{ message: 'Must be an object', property: '' }];
  const size = body.size;
  let w = 0;
  let h = 0;
  if (!isObj(size) || typeof size.width !== 'number' || typeof size.height !== 'number') {
    out.push({ message: 'May not be empty', property: 'size' });
  } else {
    w = size.width;
    h = size.height;
    if (w < 800 || w > 2500) out.push({ message: 'Must be between 800 and 2500', property: 'size.width' });
    if (h < 250) out.push({ message: 'Must be 250 or more', property: 'size.height' });
    if (h > 0 && w / h < 1.45)
      out.push({ message: 'Aspect ratio (width / height) must be 1.45 or more', property: 'size' });
  }
  if (typeof body.selected !== 'boolean') out.push({ message: 'May not be empty', property: 'selected' });
  requireString(body, 'name', 'richmenu', out, 300);
  requireString(body, 'chatBarText', 'richmenu', out, 14);
  for (const d of out) d.property = d.property.replace(/^richmenu\./, '');
  const areas = body.areas;
  if (!Array.isArray(areas) || areas.length < 1 || areas.length > 20) {
    out.push({ message: 'Size must be between 1 and 20', property: 'areas' });
    return out;
  }
  areas.forEach((a, i) => {
    const p = `areas[${i}]`;
    const b = isObj(a) ? a.bounds : undefined;
    if (!isObj(b) || ['x', 'y', 'width', 'height'].some((k) => typeof b[k] !== 'number')) {
      out.push({ message: 'May not be empty', property: `${p}.bounds` });
    } else if (w && h) {
      const [x, y, bw, bh] = [b.x, b.y, b.width, b.height] as number[];
      if (x < 0 || y < 0 || bw <= 0 || bh <= 0 || x + bw > w || y + bh > h) {
        out.push({ message: 'Area bounds must be inside the rich menu size', property: `${p}.bounds` });
      }
    }
    validateAction(isObj(a) ? a.action : undefined, `${p}.action`, out);
  });
  return out;
}
