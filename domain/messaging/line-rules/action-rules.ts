import {
  checkActionUri,
  checkEnum,
  checkKnownKeys,
  checkLabel,
  checkText,
  type IssueList,
  isObj,
  LIMITS,
  type Obj,
  type RulePath,
  ruleText,
} from './rule-basics';

/**
 * LINE's rules for action objects (Messaging API reference, "Action objects"), by where the action is used:
 * camera, camera roll and location only work in quick replies; a rich menu switch only in rich menus (the product
 * authors none, so it is refused everywhere it can be written).
 */
export type ActionPlace = 'flex' | 'flexButton' | 'quickReply' | 'richMenu';

const PLACE_TEXT: Record<ActionPlace, string> = {
  flex: ' Flex 訊息',
  flexButton: ' Flex 按鈕',
  quickReply: '快速回覆',
  richMenu: '圖文選單',
};

const QUICK_REPLY_ONLY = ['camera', 'cameraRoll', 'location'];
const ACTION_TYPES = ['postback', 'message', 'uri', 'datetimepicker', 'camera', 'cameraRoll', 'location', 'clipboard'];

const KNOWN_KEYS: Record<string, readonly string[]> = {
  postback: ['type', 'label', 'data', 'displayText', 'text', 'inputOption', 'fillInText'],
  message: ['type', 'label', 'text'],
  uri: ['type', 'label', 'uri', 'altUri'],
  datetimepicker: ['type', 'label', 'data', 'mode', 'initial', 'max', 'min'],
  camera: ['type', 'label'],
  cameraRoll: ['type', 'label'],
  location: ['type', 'label'],
  clipboard: ['type', 'label', 'clipboardText'],
  richmenuswitch: ['type', 'label', 'richMenuAliasId', 'data'],
};

/** Checks one action at `path`; `place` decides which types are allowed and whether a label is required. */
export function checkAction(out: IssueList, action: unknown, path: RulePath, place: ActionPlace): void {
  if (!isObj(action)) return out.add(path, action === undefined ? ruleText.required : ruleText.notObject);
  const type = action.type;
  const richMenuSwitch = type === 'richmenuswitch' && place === 'richMenu';
  if (typeof type !== 'string' || (!ACTION_TYPES.includes(type) && !richMenuSwitch)) {
    if (type === 'richmenuswitch')
      return out.add([...path, 'type'], ruleText.actionNotAllowed(type, PLACE_TEXT[place]));
    return out.add([...path, 'type'], ruleText.oneOf(ACTION_TYPES));
  }
  if (QUICK_REPLY_ONLY.includes(type) && place !== 'quickReply')
    return out.add([...path, 'type'], ruleText.actionNotAllowed(type, PLACE_TEXT[place]));
  checkKnownKeys(out, action, path, KNOWN_KEYS[type]);
  checkLabel(out, action, path, place !== 'flex' && place !== 'richMenu');
  switch (type) {
    case 'richmenuswitch':
      checkText(out, action, 'data', path, LIMITS.actionData);
      if (typeof action.richMenuAliasId !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(action.richMenuAliasId))
        out.add([...path, 'richMenuAliasId'], ruleText.badAliasId);
      return;
    case 'postback':
      return checkPostback(out, action, path);
    case 'message':
      checkText(out, action, 'text', path, LIMITS.actionText);
      return;
    case 'uri':
      checkActionUri(out, action, 'uri', path, LIMITS.uriActionUri);
      if (action.altUri !== undefined) {
        if (!isObj(action.altUri)) return out.add([...path, 'altUri'], ruleText.notObject);
        checkKnownKeys(out, action.altUri, [...path, 'altUri'], ['desktop']);
        checkActionUri(out, action.altUri, 'desktop', [...path, 'altUri'], LIMITS.uriActionUri);
      }
      return;
    case 'datetimepicker':
      return checkDatetimePicker(out, action, path);
    case 'clipboard':
      checkText(out, action, 'clipboardText', path, LIMITS.clipboardText);
      return;
  }
}

function checkPostback(out: IssueList, a: Obj, path: RulePath): void {
  checkText(out, a, 'data', path, LIMITS.actionData);
  checkText(out, a, 'displayText', path, LIMITS.actionText, false);
  checkText(out, a, 'text', path, LIMITS.actionText, false);
  checkText(out, a, 'fillInText', path, LIMITS.actionText, false);
  if (a.displayText !== undefined && a.text !== undefined) out.add([...path, 'text'], ruleText.displayTextAndText);
  checkEnum(out, a, 'inputOption', path, ['closeRichMenu', 'openRichMenu', 'openKeyboard', 'openVoice']);
}

const FORMATS: Record<string, RegExp> = {
  date: /^(\d{4})-(\d{2})-(\d{2})$/,
  time: /^([01]\d|2[0-3]):([0-5]\d)$/,
  datetime: /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d)$/,
};

/** A date(time) in LINE's format for `mode`, as a comparable string, or null. Dates must be real calendar days. */
export function pickerValue(mode: string, v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = FORMATS[mode]?.exec(v);
  if (!m) return null;
  if (mode === 'time') return v;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  return v.toUpperCase();
}

/** Mode date/time/datetime; initial, min and max in that mode's format, within 1900-01-01..2100-12-31, in order. */
function checkDatetimePicker(out: IssueList, a: Obj, path: RulePath): void {
  checkText(out, a, 'data', path, LIMITS.actionData);
  const mode = a.mode;
  if (typeof mode !== 'string' || !(mode in FORMATS))
    return out.add([...path, 'mode'], ruleText.oneOf(Object.keys(FORMATS)));
  const values: Record<string, string | null> = {};
  for (const key of ['initial', 'min', 'max']) {
    if (a[key] === undefined) continue;
    const v = pickerValue(mode, a[key]);
    if (v === null) out.add([...path, key], ruleText.badDate(mode));
    else if (mode !== 'time' && (v.slice(0, 10) < LIMITS.dateMin || v.slice(0, 10) > LIMITS.dateMax))
      out.add([...path, key], ruleText.dateOutOfRange);
    else values[key] = v;
  }
  const { initial, min, max } = values;
  if (min && max && min >= max) out.add([...path, 'min'], ruleText.minAfterMax);
  else if (initial && ((min && initial < min) || (max && initial > max)))
    out.add([...path, 'initial'], ruleText.initialOutOfRange);
}
