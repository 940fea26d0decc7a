/**
 * Request-body validation that mirrors what LINE rejects, so mistakes surface locally instead of in production.
 * Errors are collected as `{message, property}` details, the shape LINE returns in a 400. The rules themselves live
 * in `rules/` (one module per part of the Messaging API reference); the README lists each with its source.
 */
import { validateAction as validateActionAt } from './rules/actions';
import { type ErrorDetail, type Obj, Rules, isObj } from './rules/core';
import { KNOWN_MESSAGE_TYPES, validateMessage } from './rules/messages';

export type { ErrorDetail } from './rules/core';
export { KNOWN_MESSAGE_TYPES };

export function errorBody(details: ErrorDetail[]): { message: string; details: ErrorDetail[] } {
  return { message: `The request body has ${details.length} error(s)`, details };
}

function requireString(o: Obj, key: string, prop: string, out: ErrorDetail[], max?: number): void {
  const v = o[key];
  if (typeof v !== 'string' || !v.length) out.push({ message: 'May not be empty', property: `${prop}.${key}` });
  else if (max !== undefined && [...v].length > max) {
    out.push({ message: `Length must be between 0 and ${max}`, property: `${prop}.${key}` });
  }
}

/** Validates an action used in a rich menu area (the only place richmenuswitch is allowed). */
export function validateAction(action: unknown, prop: string, out: ErrorDetail[]): void {
  validateActionAt(new Rules(out), action, prop, 'richmenu');
}

/** Validates the `messages` array of a send or validate request (1..5 message objects). */
export function validateMessages(messages: unknown, out: ErrorDetail[] = []): ErrorDetail[] {
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > 5) {
    out.push({ message: 'Size must be between 1 and 5', property: 'messages' });
    return out;
  }
  const r = new Rules(out);
  messages.forEach((m, i) => validateMessage(r, m, `messages[${i}]`));
  return out;
}

/** A user id as LINE issues them: 'U' and 32 lowercase hex digits (group 'C…', room 'R…'). */
export const USER_ID = /^U[0-9a-f]{32}$/;
export const CHAT_ID = /^[UCR][0-9a-f]{32}$/;

/**
 * The request-level fields of each send API besides `messages` (OpenAPI `ReplyMessageRequest`,
 * `PushMessageRequest`, `MulticastRequest`, `NarrowcastRequest`, `BroadcastRequest`).
 */
export function validateSendFields(api: string, body: Obj, out: ErrorDetail[] = []): ErrorDetail[] {
  const r = new Rules(out);
  r.bool(body, 'notificationDisabled', '');
  if (api === 'push') {
    if (typeof body.to !== 'string' || !CHAT_ID.test(body.to))
      r.fail('to', "must be a user, group or room id ('U', 'C' or 'R' and 32 hex digits)");
  }
  if (api === 'multicast') {
    const to = body.to;
    if (!Array.isArray(to) || to.length < 1 || to.length > 500) r.fail('to', 'Size must be between 1 and 500');
    else
      to.forEach((id, i) => {
        if (typeof id !== 'string' || !USER_ID.test(id))
          r.fail(`to[${i}]`, "must be a user id ('U' and 32 hex digits); multicast cannot send to groups or rooms");
      });
  }
  if (api === 'push' || api === 'multicast' || api === 'narrowcast') {
    const units = body.customAggregationUnits;
    if (units !== undefined) {
      if (!Array.isArray(units) || units.length > 1) r.fail('customAggregationUnits', 'Size must be between 0 and 1');
      else
        units.forEach((u, i) => {
          if (typeof u !== 'string' || !/^[a-zA-Z0-9_]{1,30}$/.test(u))
            r.fail(`customAggregationUnits[${i}]`, 'must match ^[a-zA-Z0-9_]{1,30}$');
        });
    }
  }
  for (const d of out) d.property = d.property.replace(/^\./, '');
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
