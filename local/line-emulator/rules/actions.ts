/**
 * Action objects (Messaging API reference § Action objects; OpenAPI schemas `Action`, `PostbackAction`,
 * `MessageAction`, `URIAction`, `AltUri`, `DatetimePickerAction`, `RichMenuSwitchAction`, `ClipboardAction`).
 * Where an action sits decides which types and label rules apply.
 */
import type { Rules } from './core';
import { type Obj, isObj } from './core';

/** Where an action object is placed; the reference gives different label and type rules per place. */
export type ActionPlace =
  'quickReply' | 'template' | 'templateDefault' | 'imageCarousel' | 'flexButton' | 'flex' | 'richmenu';

export const ACTION_TYPES = [
  'postback',
  'message',
  'uri',
  'datetimepicker',
  'camera',
  'cameraRoll',
  'location',
  'richmenuswitch',
  'clipboard',
] as const;

/** camera, cameraRoll and location "can be set only to quick reply buttons". */
const QUICK_REPLY_ONLY = ['camera', 'cameraRoll', 'location'];
/** richmenuswitch "can be configured only with rich menus" (not flex, templates or quick replies). */
const RICH_MENU_ONLY = ['richmenuswitch'];

/** Label rules by place: [required, max grapheme clusters]. */
const LABEL: Record<ActionPlace, [boolean, number]> = {
  quickReply: [true, 20],
  template: [true, 20],
  templateDefault: [false, 20],
  imageCarousel: [false, 12],
  flexButton: [true, 40],
  flex: [false, 40],
  richmenu: [false, 20],
};

const URI_SCHEME = /^(https?:\/\/[^\s/]+|line:\/\/\S+|tel:\S+)/i;

function uri(r: Rules, o: Obj, key: string, prop: string, required: boolean) {
  const v = o[key];
  const p = `${prop}.${key}`;
  if (v === undefined || v === null) return required ? r.fail(p, 'must be specified') : true;
  if (typeof v !== 'string' || !v.length) return r.fail(p, 'May not be empty');
  if (v.length > 1000) return r.fail(p, 'Length must be between 1 and 1000');
  if (!URI_SCHEME.test(v)) return r.fail(p, 'invalid uri scheme (allowed: http, https, line, tel)');
  return true;
}

const FORMATS: Record<string, { re: RegExp; min: string; max: string; example: string }> = {
  date: { re: /^\d{4}-\d{2}-\d{2}$/, min: '1900-01-01', max: '2100-12-31', example: '2017-06-18' },
  time: { re: /^\d{2}:\d{2}$/, min: '00:00', max: '23:59', example: '06:15' },
  datetime: {
    re: /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}$/,
    min: '1900-01-01T00:00',
    max: '2100-12-31T23:59',
    example: '2017-06-18T06:15',
  },
};

/** A real calendar date / clock time in the mode's RFC 3339 shape, normalised for comparison; null when invalid. */
function pickerValue(mode: string, v: string): string | null {
  const f = FORMATS[mode];
  if (!f.re.test(v)) return null;
  const norm = v.replace('t', 'T');
  const [date, time] = mode === 'time' ? [null, norm] : mode === 'date' ? [norm, null] : norm.split('T');
  if (date) {
    const [y, m, d] = date.split('-').map(Number);
    const dt = new Date(Date.UTC(y, m - 1, d));
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  }
  if (time) {
    const [h, mi] = time.split(':').map(Number);
    if (h > 23 || mi > 59) return null;
  }
  return norm;
}

function datetimepicker(r: Rules, a: Obj, prop: string) {
  r.text(a, 'data', prop, 300, { min: 0 });
  if (!r.oneOf(a, 'mode', prop, ['date', 'time', 'datetime'], true)) return;
  const mode = a.mode as string;
  const f = FORMATS[mode];
  const values: Record<string, string> = {};
  for (const key of ['initial', 'min', 'max']) {
    const v = a[key];
    if (v === undefined) continue;
    const norm = typeof v === 'string' ? pickerValue(mode, v) : null;
    if (norm === null) {
      r.fail(`${prop}.${key}`, `must be a valid ${mode} like ${f.example}`);
    } else if (norm < f.min || norm > f.max) {
      r.fail(`${prop}.${key}`, `must be between ${f.min} and ${f.max}`);
    } else values[key] = norm;
  }
  // "max: Must be greater than the min value"; the initial value lies between them.
  if (values.min && values.max && values.min >= values.max) r.fail(`${prop}.max`, 'must be greater than min');
  if (values.initial && values.min && values.initial < values.min) r.fail(`${prop}.initial`, 'must be min or later');
  if (values.initial && values.max && values.initial > values.max) r.fail(`${prop}.initial`, 'must be max or earlier');
}

function postback(r: Rules, a: Obj, prop: string, place: ActionPlace) {
  r.text(a, 'data', prop, 300, { min: 0 });
  r.text(a, 'displayText', prop, 300, { required: place === 'quickReply' });
  r.text(a, 'text', prop, 300, { required: false });
  if (a.text !== undefined && a.displayText !== undefined) {
    r.fail(`${prop}.text`, 'displayText and text cannot both be specified');
  }
  r.oneOf(a, 'inputOption', prop, ['closeRichMenu', 'openRichMenu', 'openKeyboard', 'openVoice']);
  r.text(a, 'fillInText', prop, 300, { required: false });
}

/** Validates one action object placed at `place`. */
export function validateAction(r: Rules, action: unknown, prop: string, place: ActionPlace): void {
  if (!isObj(action)) {
    r.fail(prop, 'must be specified');
    return;
  }
  const type = action.type;
  if (typeof type !== 'string' || !(ACTION_TYPES as readonly string[]).includes(type)) {
    r.fail(`${prop}.type`, `invalid action type '${String(type)}'`);
    return;
  }
  if (QUICK_REPLY_ONLY.includes(type) && place !== 'quickReply') {
    r.fail(`${prop}.type`, `the ${type} action can be used only in quick reply buttons`);
    return;
  }
  if (RICH_MENU_ONLY.includes(type) && place !== 'richmenu') {
    r.fail(`${prop}.type`, 'the richmenuswitch action can be used only in rich menus');
    return;
  }
  const [labelRequired, labelMax] = LABEL[place];
  r.text(action, 'label', prop, labelMax, { required: labelRequired, graphemes: true });
  switch (type) {
    case 'postback':
      postback(r, action, prop, place);
      break;
    case 'message':
      r.text(action, 'text', prop, 300);
      break;
    case 'uri': {
      uri(r, action, 'uri', prop, true);
      const alt = r.object(action, 'altUri', prop, false);
      if (alt) uri(r, alt, 'desktop', `${prop}.altUri`, true);
      break;
    }
    case 'datetimepicker':
      datetimepicker(r, action, prop);
      break;
    case 'richmenuswitch':
      r.text(action, 'richMenuAliasId', prop, 32);
      r.text(action, 'data', prop, 300, { min: 0 });
      break;
    case 'clipboard':
      r.text(action, 'clipboardText', prop, 1000);
      break;
  }
}

export { uri as validateUri };
