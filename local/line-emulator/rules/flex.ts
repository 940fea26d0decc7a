/**
 * Flex Message containers and components (Messaging API reference § Flex Message, § Container, § Component;
 * OpenAPI schemas `FlexBubble`, `FlexCarousel`, `FlexBox`, `FlexText`, `FlexSpan`, `FlexImage`, `FlexIcon`,
 * `FlexButton`, `FlexSeparator`, `FlexFiller`, `FlexVideo`, `FlexBoxLinearGradient` and the size keyword enums).
 */
import { validateAction } from './actions';
import type { Rules } from './core';
import { type Obj, PERCENT, isObj, jsonBytes } from './core';

const SPACE = ['none', 'xs', 'sm', 'md', 'lg', 'xl', 'xxl'] as const;
const FONT = ['xxs', 'xs', 'sm', 'md', 'lg', 'xl', 'xxl', '3xl', '4xl', '5xl'] as const;
const IMAGE_SIZE = [...FONT, 'full'] as const;
const BORDER_WIDTH = ['none', 'light', 'normal', 'medium', 'semi-bold', 'bold'] as const;
const POSITION = ['relative', 'absolute'] as const;
const ALIGN = ['start', 'end', 'center'] as const;
const GRAVITY = ['top', 'bottom', 'center'] as const;
const BUBBLE_SIZE = ['nano', 'micro', 'deca', 'hecto', 'kilo', 'mega', 'giga'] as const;

/** "The maximum size of JSON data that defines a bubble is 30 KB" / "a carousel is 50 KB". */
export const BUBBLE_MAX_BYTES = 30 * 1024;
export const CAROUSEL_MAX_BYTES = 50 * 1024;

/** Which components a box of each layout may contain (reference § Box: "Available components"). */
const CHILDREN: Record<string, string[]> = {
  horizontal: ['box', 'button', 'image', 'text', 'separator', 'filler', 'spacer'],
  vertical: ['box', 'button', 'image', 'text', 'separator', 'filler', 'spacer'],
  baseline: ['icon', 'text', 'filler', 'spacer'],
};

function offsets(r: Rules, c: Obj, p: string) {
  r.oneOf(c, 'position', p, POSITION);
  for (const k of ['offsetTop', 'offsetBottom', 'offsetStart', 'offsetEnd'])
    r.measure(c, k, p, { keywords: SPACE, px: true, percent: true });
}

const common = (r: Rules, c: Obj, p: string) => {
  r.integer(c, 'flex', p, { min: 0 });
  r.measure(c, 'margin', p, { keywords: SPACE, px: true });
};

function aspectRatio(r: Rules, c: Obj, p: string) {
  const v = c.aspectRatio;
  if (v === undefined) return;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(v) : null;
  const [w, h] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || w < 1 || w > 100000 || h < 1 || h > 100000) {
    r.fail(`${p}.aspectRatio`, 'must be {width}:{height} with each between 1 and 100000');
  } else if (h > 3 * w) r.fail(`${p}.aspectRatio`, 'height must not be more than three times the width');
}

function background(r: Rules, b: Obj, p: string) {
  if (b.type !== 'linearGradient') {
    r.fail(`${p}.type`, "must be 'linearGradient'");
    return;
  }
  const angle = b.angle;
  const deg = typeof angle === 'string' ? /^(\d+(?:\.\d+)?)deg$/.exec(angle) : null;
  if (!deg || Number(deg[1]) >= 360) r.fail(`${p}.angle`, 'must be an angle like 90deg in [0deg, 360deg)');
  r.color(b, 'startColor', p, true);
  r.color(b, 'endColor', p, true);
  r.color(b, 'centerColor', p);
  const cp = b.centerPosition;
  if (cp !== undefined && (typeof cp !== 'string' || !PERCENT.test(cp) || parseFloat(cp) > 100)) {
    r.fail(`${p}.centerPosition`, 'must be a percentage between 0% and 100%');
  }
}

function box(r: Rules, c: Obj, p: string) {
  r.oneOf(c, 'layout', p, ['horizontal', 'vertical', 'baseline'], true);
  common(r, c, p);
  offsets(r, c, p);
  r.measure(c, 'spacing', p, { keywords: SPACE, px: true });
  r.color(c, 'backgroundColor', p);
  r.color(c, 'borderColor', p);
  r.measure(c, 'borderWidth', p, { keywords: BORDER_WIDTH, px: true });
  r.measure(c, 'cornerRadius', p, { keywords: SPACE, px: true });
  for (const k of ['width', 'maxWidth', 'height', 'maxHeight']) r.measure(c, k, p, { px: true, percent: true });
  for (const k of ['paddingAll', 'paddingTop', 'paddingBottom', 'paddingStart', 'paddingEnd'])
    r.measure(c, k, p, { keywords: SPACE, px: true, percent: true });
  r.oneOf(c, 'justifyContent', p, [
    'center',
    'flex-start',
    'flex-end',
    'space-between',
    'space-around',
    'space-evenly',
  ]);
  r.oneOf(c, 'alignItems', p, ['center', 'flex-start', 'flex-end']);
  const bg = r.object(c, 'background', p, false);
  if (bg) background(r, bg, `${p}.background`);
  if (c.action !== undefined) validateAction(r, c.action, `${p}.action`, 'flex');
  const contents = r.array(c, 'contents', p, 0, Number.MAX_SAFE_INTEGER);
  const allowed = CHILDREN[String(c.layout)];
  contents?.forEach((child, i) => {
    const cp = `${p}.contents[${i}]`;
    if (
      allowed &&
      isObj(child) &&
      typeof child.type === 'string' &&
      child.type in COMPONENTS &&
      !allowed.includes(child.type)
    ) {
      r.fail(`${cp}.type`, `a ${String(c.layout)} box cannot contain a ${child.type} component`);
      return;
    }
    component(r, child, cp);
  });
}

function span(r: Rules, c: Obj, p: string) {
  if (c.type !== 'span') {
    r.fail(`${p}.type`, "must be 'span'");
    return;
  }
  r.text(c, 'text', p, Number.MAX_SAFE_INTEGER);
  r.measure(c, 'size', p, { keywords: FONT, px: true });
  r.color(c, 'color', p);
  r.oneOf(c, 'weight', p, ['regular', 'bold']);
  r.oneOf(c, 'style', p, ['normal', 'italic']);
  r.oneOf(c, 'decoration', p, ['none', 'underline', 'line-through']);
}

function text(r: Rules, c: Obj, p: string) {
  const spans = c.contents;
  // "Be sure to set either one of the text property or contents property"; an empty text renders nothing and LINE refuses it.
  if (Array.isArray(spans) && spans.length > 0) {
    spans.forEach((s, i) =>
      isObj(s) ? span(r, s, `${p}.contents[${i}]`) : r.fail(`${p}.contents[${i}]`, 'must be a span'),
    );
    if (c.text !== undefined && typeof c.text !== 'string') r.fail(`${p}.text`, 'must be a string');
  } else {
    if (spans !== undefined && !Array.isArray(spans)) r.fail(`${p}.contents`, 'must be an array');
    r.text(c, 'text', p, Number.MAX_SAFE_INTEGER);
  }
  common(r, c, p);
  offsets(r, c, p);
  r.measure(c, 'size', p, { keywords: FONT, px: true });
  r.oneOf(c, 'align', p, ALIGN);
  r.oneOf(c, 'gravity', p, GRAVITY);
  r.color(c, 'color', p);
  r.oneOf(c, 'weight', p, ['regular', 'bold']);
  r.oneOf(c, 'style', p, ['normal', 'italic']);
  r.oneOf(c, 'decoration', p, ['none', 'underline', 'line-through']);
  r.bool(c, 'wrap', p);
  r.measure(c, 'lineSpacing', p, { px: true });
  r.integer(c, 'maxLines', p, { min: 0 });
  r.oneOf(c, 'adjustMode', p, ['shrink-to-fit']);
  r.bool(c, 'scaling', p);
  if (c.action !== undefined) validateAction(r, c.action, `${p}.action`, 'flex');
}

function image(r: Rules, c: Obj, p: string) {
  r.httpsUrl(c, 'url', p);
  common(r, c, p);
  offsets(r, c, p);
  r.measure(c, 'size', p, { keywords: IMAGE_SIZE, px: true, percent: true });
  aspectRatio(r, c, p);
  r.oneOf(c, 'aspectMode', p, ['fit', 'cover']);
  r.oneOf(c, 'align', p, ALIGN);
  r.oneOf(c, 'gravity', p, GRAVITY);
  r.color(c, 'backgroundColor', p);
  r.bool(c, 'animated', p);
  if (c.action !== undefined) validateAction(r, c.action, `${p}.action`, 'flex');
}

function icon(r: Rules, c: Obj, p: string) {
  r.httpsUrl(c, 'url', p);
  r.measure(c, 'margin', p, { keywords: SPACE, px: true });
  offsets(r, c, p);
  r.measure(c, 'size', p, { keywords: FONT, px: true, percent: true });
  aspectRatio(r, c, p);
  r.bool(c, 'scaling', p);
}

function button(r: Rules, c: Obj, p: string) {
  validateAction(r, c.action, `${p}.action`, 'flexButton');
  common(r, c, p);
  offsets(r, c, p);
  r.oneOf(c, 'style', p, ['primary', 'secondary', 'link']);
  r.color(c, 'color', p);
  r.oneOf(c, 'height', p, ['md', 'sm']);
  r.oneOf(c, 'gravity', p, GRAVITY);
  r.oneOf(c, 'adjustMode', p, ['shrink-to-fit']);
  r.bool(c, 'scaling', p);
}

function separator(r: Rules, c: Obj, p: string) {
  r.measure(c, 'margin', p, { keywords: SPACE, px: true });
  r.color(c, 'color', p);
}

function filler(r: Rules, c: Obj, p: string) {
  r.integer(c, 'flex', p, { min: 0 });
}

function spacer(r: Rules, c: Obj, p: string) {
  r.oneOf(c, 'size', p, SPACE.slice(1));
}

function video(r: Rules, c: Obj, p: string) {
  r.httpsUrl(c, 'url', p);
  r.httpsUrl(c, 'previewUrl', p);
  aspectRatio(r, c, p);
  const alt = r.object(c, 'altContent', p);
  if (alt) {
    if (alt.type !== 'box' && alt.type !== 'image') r.fail(`${p}.altContent.type`, "must be 'box' or 'image'");
    else component(r, alt, `${p}.altContent`);
  }
  if (c.action !== undefined) validateAction(r, c.action, `${p}.action`, 'flex');
}

const COMPONENTS: Record<string, (r: Rules, c: Obj, p: string) => void> = {
  box,
  text,
  image,
  icon,
  button,
  separator,
  filler,
  spacer,
  video,
};

function component(r: Rules, c: unknown, p: string) {
  if (!isObj(c)) {
    r.fail(p, 'must be a component object');
    return;
  }
  const check = typeof c.type === 'string' ? COMPONENTS[c.type] : undefined;
  if (!check || c.type === 'video') {
    r.fail(
      `${p}.type`,
      c.type === 'video'
        ? 'the video component can be used only as the hero of a bubble'
        : `invalid component type '${String(c.type)}'`,
    );
    return;
  }
  check(r, c, p);
}

function block(r: Rules, b: Obj, key: 'header' | 'body' | 'footer', p: string) {
  const c = r.object(b, key, p, false);
  if (!c) return;
  if (c.type !== 'box') r.fail(`${p}.${key}.type`, "must be 'box'");
  else box(r, c, `${p}.${key}`);
}

function bubble(r: Rules, b: Obj, p: string) {
  if (b.type !== 'bubble') {
    r.fail(`${p}.type`, "must be 'bubble'");
    return;
  }
  r.oneOf(b, 'size', p, BUBBLE_SIZE);
  r.oneOf(b, 'direction', p, ['ltr', 'rtl']);
  block(r, b, 'header', p);
  const hero = r.object(b, 'hero', p, false);
  if (hero) {
    if (hero.type === 'video') {
      // "To use the video component, specify kilo, mega or giga for the size of the bubble".
      if (!['kilo', 'mega', 'giga', undefined].includes(b.size as string | undefined)) {
        r.fail(`${p}.size`, 'a bubble with a video hero must be kilo, mega or giga');
      }
      video(r, hero, `${p}.hero`);
    } else if (hero.type !== 'box' && hero.type !== 'image')
      r.fail(`${p}.hero.type`, "must be 'box', 'image' or 'video'");
    else component(r, hero, `${p}.hero`);
  }
  block(r, b, 'body', p);
  block(r, b, 'footer', p);
  const styles = r.object(b, 'styles', p, false);
  if (styles) {
    for (const k of ['header', 'hero', 'body', 'footer']) {
      const s = r.object(styles, k, `${p}.styles`, false);
      if (!s) continue;
      r.color(s, 'backgroundColor', `${p}.styles.${k}`);
      r.bool(s, 'separator', `${p}.styles.${k}`);
      r.color(s, 'separatorColor', `${p}.styles.${k}`);
    }
  }
  if (b.action !== undefined) validateAction(r, b.action, `${p}.action`, 'flex');
  const bytes = jsonBytes(b);
  if (bytes > BUBBLE_MAX_BYTES)
    r.fail(p, `the bubble JSON is ${bytes} bytes; the maximum is 30 KB (${BUBBLE_MAX_BYTES})`);
}

/** Validates a flex container (`messages[i].contents`). */
export function validateFlexContainer(r: Rules, c: unknown, p: string): void {
  if (!isObj(c)) {
    r.fail(p, 'must be specified');
    return;
  }
  if (c.type === 'bubble') return bubble(r, c, p);
  if (c.type !== 'carousel') {
    r.fail(`${p}.type`, "must be one of 'bubble', 'carousel'");
    return;
  }
  const items = r.array(c, 'contents', p, 1, 12);
  items?.forEach((b, i) =>
    isObj(b) ? bubble(r, b, `${p}.contents[${i}]`) : r.fail(`${p}.contents[${i}]`, 'must be a bubble'),
  );
  const bytes = jsonBytes(c);
  if (bytes > CAROUSEL_MAX_BYTES)
    r.fail(p, `the carousel JSON is ${bytes} bytes; the maximum is 50 KB (${CAROUSEL_MAX_BYTES})`);
}
