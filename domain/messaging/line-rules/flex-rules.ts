import { checkAction } from './action-rules';
import {
  checkBoolean,
  checkColor,
  checkCount,
  checkEnum,
  checkKnownKeys,
  checkLength,
  checkMediaUrl,
  checkText,
  type IssueList,
  isObj,
  LIMITS,
  type Obj,
  type RulePath,
  ruleText,
  utf8Bytes,
} from './rule-basics';

/**
 * LINE's rules for flex containers and components (Messaging API reference, "Flex Message"): which component may
 * sit where, the required properties (a box's `layout`, a text's non-empty `text`, a button's action), the value
 * formats, and the size of a bubble (30 KB) and a carousel (50 KB, at most 12 bubbles) in UTF-8 bytes of JSON.
 */

const SPACING = ['none', 'xs', 'sm', 'md', 'lg', 'xl', 'xxl'];
const TEXT_SIZES = ['xxs', 'xs', 'sm', 'md', 'lg', 'xl', 'xxl', '3xl', '4xl', '5xl'];
const IMAGE_SIZES = [...TEXT_SIZES, 'full'];
const BORDER_WIDTH = ['none', 'light', 'normal', 'medium', 'semi-bold', 'bold'];
const BUBBLE_SIZES = ['nano', 'micro', 'deca', 'hecto', 'kilo', 'mega', 'giga'];
const VIDEO_BUBBLE_SIZES = ['kilo', 'mega', 'giga'];
const ALIGN = ['start', 'end', 'center'];
const GRAVITY = ['top', 'bottom', 'center'];

/** Position and offsets, which most components share. */
const PLACEMENT = ['flex', 'margin', 'position', 'offsetTop', 'offsetBottom', 'offsetStart', 'offsetEnd'];

function checkPlacement(out: IssueList, o: Obj, path: RulePath): void {
  checkCount(out, o, 'flex', path);
  checkLength(out, o, 'margin', path, SPACING);
  checkEnum(out, o, 'position', path, ['relative', 'absolute']);
  for (const k of ['offsetTop', 'offsetBottom', 'offsetStart', 'offsetEnd'])
    checkLength(out, o, k, path, SPACING, { px: true, percent: true });
}

type Slot = 'vertical' | 'horizontal' | 'baseline' | 'hero';
const SLOT_TEXT: Record<Slot, string> = {
  vertical: '直向 box（vertical）中',
  horizontal: '橫向 box（horizontal）中',
  baseline: '基線 box（baseline）中',
  hero: '主圖區（hero）',
};
const ALLOWED_IN: Record<Slot, readonly string[]> = {
  vertical: ['box', 'button', 'image', 'text', 'separator', 'filler'],
  horizontal: ['box', 'button', 'image', 'text', 'separator', 'filler'],
  baseline: ['icon', 'text', 'filler'],
  hero: ['box', 'image', 'video'],
};
const COMPONENTS = ['box', 'button', 'image', 'video', 'icon', 'text', 'span', 'separator', 'filler'];

/** Checks a flex message's `contents` (bubble or carousel) at `path`. */
export function checkFlexContainer(out: IssueList, c: unknown, path: RulePath): void {
  if (!isObj(c)) return out.add(path, c === undefined ? ruleText.required : ruleText.notObject);
  if (c.type === 'bubble') return checkBubble(out, c, path);
  if (c.type !== 'carousel') return out.add([...path, 'type'], ruleText.oneOf(['bubble', 'carousel']));
  checkKnownKeys(out, c, path, ['type', 'contents']);
  const items = c.contents;
  if (!Array.isArray(items)) return out.add([...path, 'contents'], ruleText.notArray);
  if (items.length === 0) return out.add([...path, 'contents'], ruleText.carouselEmpty);
  if (items.length > LIMITS.carouselBubbles)
    out.add([...path, 'contents'], ruleText.carouselCount(LIMITS.carouselBubbles, items.length));
  items.forEach((b, i) => {
    if (!isObj(b) || b.type !== 'bubble') out.add([...path, 'contents', i, 'type'], ruleText.oneOf(['bubble']));
    else checkBubble(out, b, [...path, 'contents', i]);
  });
  const bytes = utf8Bytes(JSON.stringify(c));
  if (bytes > LIMITS.carouselBytes) out.add(path, ruleText.carouselTooBig(bytes));
}

function checkBubble(out: IssueList, b: Obj, path: RulePath): void {
  checkKnownKeys(out, b, path, ['type', 'size', 'direction', 'header', 'hero', 'body', 'footer', 'styles', 'action']);
  checkEnum(out, b, 'size', path, BUBBLE_SIZES);
  checkEnum(out, b, 'direction', path, ['ltr', 'rtl']);
  for (const block of ['header', 'body', 'footer'] as const) {
    if (b[block] === undefined) continue;
    const box = b[block];
    if (!isObj(box) || box.type !== 'box') out.add([...path, block, 'type'], ruleText.oneOf(['box']));
    else checkComponent(out, box, [...path, block], 'vertical');
  }
  if (b.hero !== undefined) checkComponent(out, b.hero, [...path, 'hero'], 'hero');
  if (isObj(b.hero) && b.hero.type === 'video' && !VIDEO_BUBBLE_SIZES.includes(String(b.size)))
    out.add([...path, 'size'], ruleText.videoBubbleSize);
  if (b.action !== undefined) checkAction(out, b.action, [...path, 'action'], 'flex');
  if (b.styles !== undefined) checkStyles(out, b.styles, [...path, 'styles']);
  const bytes = utf8Bytes(JSON.stringify(b));
  if (bytes > LIMITS.bubbleBytes) out.add(path, ruleText.bubbleTooBig(bytes));
}

function checkStyles(out: IssueList, s: unknown, path: RulePath): void {
  if (!isObj(s)) return out.add(path, ruleText.notObject);
  checkKnownKeys(out, s, path, ['header', 'hero', 'body', 'footer']);
  for (const [k, v] of Object.entries(s)) {
    if (!isObj(v)) {
      out.add([...path, k], ruleText.notObject);
      continue;
    }
    checkKnownKeys(out, v, [...path, k], ['backgroundColor', 'separator', 'separatorColor']);
    checkColor(out, v, 'backgroundColor', [...path, k]);
    checkColor(out, v, 'separatorColor', [...path, k]);
    checkBoolean(out, v, 'separator', [...path, k]);
  }
}

/** One component at `path`, placed in `slot` (the layout of its parent box, or the hero block). */
function checkComponent(out: IssueList, c: unknown, path: RulePath, slot: Slot): void {
  if (!isObj(c)) return out.add(path, ruleText.notObject);
  const type = c.type;
  if (typeof type !== 'string' || !COMPONENTS.includes(type))
    return out.add([...path, 'type'], ruleText.unknownComponent(String(type)));
  if (!ALLOWED_IN[slot].includes(type)) return out.add([...path, 'type'], ruleText.notAllowedIn(type, SLOT_TEXT[slot]));
  switch (type) {
    case 'box':
      return checkBox(out, c, path);
    case 'button':
      return checkButton(out, c, path);
    case 'image':
      return checkImage(out, c, path);
    case 'video':
      return checkVideo(out, c, path);
    case 'icon':
      return checkIcon(out, c, path);
    case 'text':
      return checkTextComponent(out, c, path);
    case 'separator':
      checkKnownKeys(out, c, path, ['type', 'margin', 'color']);
      checkLength(out, c, 'margin', path, SPACING);
      return checkColor(out, c, 'color', path);
    case 'filler':
      checkKnownKeys(out, c, path, ['type', 'flex']);
      return checkCount(out, c, 'flex', path);
  }
}

const BOX_KEYS = [
  'type',
  'layout',
  'contents',
  'backgroundColor',
  'borderColor',
  'borderWidth',
  'cornerRadius',
  'width',
  'maxWidth',
  'height',
  'maxHeight',
  'spacing',
  'paddingAll',
  'paddingTop',
  'paddingBottom',
  'paddingStart',
  'paddingEnd',
  'action',
  'justifyContent',
  'alignItems',
  'background',
  ...PLACEMENT,
];

function checkBox(out: IssueList, b: Obj, path: RulePath): void {
  checkKnownKeys(out, b, path, BOX_KEYS);
  const layout = b.layout;
  if (layout !== 'horizontal' && layout !== 'vertical' && layout !== 'baseline')
    out.add([...path, 'layout'], ruleText.boxNeedsLayout);
  checkPlacement(out, b, path);
  checkColor(out, b, 'backgroundColor', path);
  checkColor(out, b, 'borderColor', path);
  checkLength(out, b, 'borderWidth', path, BORDER_WIDTH);
  checkLength(out, b, 'cornerRadius', path, SPACING);
  for (const k of ['width', 'maxWidth', 'height', 'maxHeight']) checkLength(out, b, k, path, [], { percent: true });
  checkLength(out, b, 'spacing', path, SPACING);
  for (const k of ['paddingAll', 'paddingTop', 'paddingBottom', 'paddingStart', 'paddingEnd'])
    checkLength(out, b, k, path, SPACING, { px: true, percent: true });
  const flexAlign = ['flex-start', 'center', 'flex-end'];
  checkEnum(out, b, 'justifyContent', path, [...flexAlign, 'space-between', 'space-around', 'space-evenly']);
  checkEnum(out, b, 'alignItems', path, flexAlign);
  if (b.action !== undefined) checkAction(out, b.action, [...path, 'action'], 'flex');
  if (b.background !== undefined) checkBackground(out, b.background, [...path, 'background']);
  if (!Array.isArray(b.contents)) return out.add([...path, 'contents'], ruleText.notArray);
  const slot: Slot = layout === 'baseline' ? 'baseline' : layout === 'horizontal' ? 'horizontal' : 'vertical';
  b.contents.forEach((child, i) => checkComponent(out, child, [...path, 'contents', i], slot));
}

function checkBackground(out: IssueList, bg: unknown, path: RulePath): void {
  if (!isObj(bg)) return out.add(path, ruleText.notObject);
  checkKnownKeys(out, bg, path, ['type', 'angle', 'startColor', 'endColor', 'centerColor', 'centerPosition']);
  if (bg.type !== 'linearGradient') out.add([...path, 'type'], ruleText.oneOf(['linearGradient']));
  const angle = typeof bg.angle === 'string' ? /^(\d+(?:\.\d+)?)deg$/.exec(bg.angle) : null;
  if (!angle || Number(angle[1]) >= 360) out.add([...path, 'angle'], ruleText.badAngle);
  if (bg.startColor === undefined) out.add([...path, 'startColor'], ruleText.required);
  if (bg.endColor === undefined) out.add([...path, 'endColor'], ruleText.required);
  for (const k of ['startColor', 'endColor', 'centerColor']) checkColor(out, bg, k, path);
  const center = bg.centerPosition;
  if (
    center !== undefined &&
    !(typeof center === 'string' && /^\d+(\.\d+)?%$/.test(center) && parseFloat(center) <= 100)
  )
    out.add([...path, 'centerPosition'], ruleText.badPercent);
}

const SIZE_KEYS = ['adjustMode', 'scaling'];

function checkButton(out: IssueList, b: Obj, path: RulePath): void {
  checkKnownKeys(out, b, path, ['type', 'action', 'style', 'color', 'height', 'gravity', ...SIZE_KEYS, ...PLACEMENT]);
  checkPlacement(out, b, path);
  checkEnum(out, b, 'style', path, ['primary', 'secondary', 'link']);
  checkColor(out, b, 'color', path);
  checkEnum(out, b, 'height', path, ['sm', 'md']);
  checkEnum(out, b, 'gravity', path, GRAVITY);
  checkEnum(out, b, 'adjustMode', path, ['shrink-to-fit']);
  checkBoolean(out, b, 'scaling', path);
  checkAction(out, b.action, [...path, 'action'], 'flexButton');
}

/** `width:height`, each 1..100000, height at most three times the width. */
function checkAspectRatio(out: IssueList, o: Obj, path: RulePath): void {
  const v = o.aspectRatio;
  if (v === undefined) return;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(v) : null;
  const [w, h] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || w < 1 || h < 1 || w > 100000 || h > 100000 || h > 3 * w)
    out.add([...path, 'aspectRatio'], ruleText.badAspectRatio);
}

function checkImage(out: IssueList, c: Obj, path: RulePath): void {
  checkKnownKeys(out, c, path, [
    'type',
    'url',
    'size',
    'aspectRatio',
    'aspectMode',
    'backgroundColor',
    'action',
    'animated',
    'align',
    'gravity',
    ...PLACEMENT,
  ]);
  checkMediaUrl(out, c, 'url', path);
  checkPlacement(out, c, path);
  checkLength(out, c, 'size', path, IMAGE_SIZES, { px: true, percent: true });
  checkAspectRatio(out, c, path);
  checkEnum(out, c, 'aspectMode', path, ['fit', 'cover']);
  checkColor(out, c, 'backgroundColor', path);
  checkBoolean(out, c, 'animated', path);
  checkEnum(out, c, 'align', path, ALIGN);
  checkEnum(out, c, 'gravity', path, GRAVITY);
  if (c.action !== undefined) checkAction(out, c.action, [...path, 'action'], 'flex');
}

function checkVideo(out: IssueList, c: Obj, path: RulePath): void {
  checkKnownKeys(out, c, path, ['type', 'url', 'previewUrl', 'altContent', 'aspectRatio', 'action']);
  checkMediaUrl(out, c, 'url', path);
  checkMediaUrl(out, c, 'previewUrl', path);
  checkAspectRatio(out, c, path);
  if (!isObj(c.altContent)) out.add([...path, 'altContent'], ruleText.required);
  else if (c.altContent.type !== 'box' && c.altContent.type !== 'image')
    out.add([...path, 'altContent', 'type'], ruleText.oneOf(['box', 'image']));
  else checkComponent(out, c.altContent, [...path, 'altContent'], 'hero');
  if (c.action !== undefined) checkAction(out, c.action, [...path, 'action'], 'flex');
}

function checkIcon(out: IssueList, c: Obj, path: RulePath): void {
  checkKnownKeys(out, c, path, [
    'type',
    'url',
    'size',
    'aspectRatio',
    'scaling',
    ...PLACEMENT.filter((k) => k !== 'flex'),
  ]);
  checkMediaUrl(out, c, 'url', path);
  checkPlacement(out, c, path);
  checkLength(out, c, 'size', path, TEXT_SIZES);
  checkAspectRatio(out, c, path);
  checkBoolean(out, c, 'scaling', path);
}

const TEXT_STYLE = ['size', 'color', 'weight', 'style', 'decoration'];

function checkTextStyle(out: IssueList, c: Obj, path: RulePath): void {
  checkLength(out, c, 'size', path, TEXT_SIZES);
  checkColor(out, c, 'color', path);
  checkEnum(out, c, 'weight', path, ['regular', 'bold']);
  checkEnum(out, c, 'style', path, ['normal', 'italic']);
  checkEnum(out, c, 'decoration', path, ['none', 'underline', 'line-through']);
}

/** A text needs a non-empty `text`, unless it is made of spans (each with a non-empty `text`). */
function checkTextComponent(out: IssueList, c: Obj, path: RulePath): void {
  checkKnownKeys(out, c, path, [
    'type',
    'text',
    'contents',
    'align',
    'gravity',
    'wrap',
    'lineSpacing',
    'maxLines',
    'action',
    ...TEXT_STYLE,
    ...SIZE_KEYS,
    ...PLACEMENT,
  ]);
  const spans = c.contents;
  if (spans !== undefined && !Array.isArray(spans)) out.add([...path, 'contents'], ruleText.notArray);
  if (Array.isArray(spans) && spans.length > 0) {
    spans.forEach((s, i) => checkSpan(out, s, [...path, 'contents', i]));
    if (c.text !== undefined && typeof c.text !== 'string') out.add([...path, 'text'], ruleText.notString);
  } else if (typeof c.text !== 'string' || c.text.trim() === '') out.add([...path, 'text'], ruleText.textNeedsContent);
  checkPlacement(out, c, path);
  checkTextStyle(out, c, path);
  checkEnum(out, c, 'align', path, ALIGN);
  checkEnum(out, c, 'gravity', path, GRAVITY);
  checkBoolean(out, c, 'wrap', path);
  checkLength(out, c, 'lineSpacing', path, []);
  checkCount(out, c, 'maxLines', path);
  checkEnum(out, c, 'adjustMode', path, ['shrink-to-fit']);
  checkBoolean(out, c, 'scaling', path);
  if (c.action !== undefined) checkAction(out, c.action, [...path, 'action'], 'flex');
}

function checkSpan(out: IssueList, s: unknown, path: RulePath): void {
  if (!isObj(s)) return out.add(path, ruleText.notObject);
  if (s.type !== 'span') return out.add([...path, 'type'], ruleText.oneOf(['span']));
  checkKnownKeys(out, s, path, ['type', 'text', ...TEXT_STYLE]);
  checkText(out, s, 'text', path, Number.MAX_SAFE_INTEGER);
  checkTextStyle(out, s, path);
}
