import { Router } from 'express';
import type { EmuContext } from './context';
import { EmulatorError } from './core';
import type { Store } from './store';

type Obj = Record<string, unknown>;

/** LINE's unit-name rule (`customAggregationUnits` items, `customAggregationUnit` query). */
export const UNIT_NAME = /^[a-zA-Z0-9_]{1,30}$/;
/** "You can assign up to 1,000 types of unit names per month" (Get statistics of sent messages). */
export const MAX_UNITS_PER_MONTH = 1000;
/** LINE nulls interaction figures below 20 to protect privacy; the emulator does the same by default. */
export const DEFAULT_INSIGHT_MIN_COUNT = 20;
const MAX_RANGE_DAYS = 30;
const JST_MS = 9 * 3600_000;

/** One accepted push/multicast that named a unit. */
export interface UnitSend {
  unit: string;
  requestId: string;
  at: string;
  messages: Obj[];
  deliveredTo: string[];
}

/** A user's open or URL tap on a unit's message, recorded through the control API. */
export interface UnitInteraction {
  unit: string;
  userId: string;
  kind: 'open' | 'click';
  /** Index into the unit's sends (the message the user interacted with). */
  send: number;
  url?: string;
}

/** yyyyMM of an instant in UTC+9, the month LINE counts units in. */
export const jstMonth = (d: Date): string => new Date(d.getTime() + JST_MS).toISOString().slice(0, 7).replace('-', '');
/** yyyyMMdd of an instant in UTC+9. */
export const jstDay = (d: Date): string => new Date(d.getTime() + JST_MS).toISOString().slice(0, 10).replace(/-/g, '');

/**
 * Refuses a send whose unit would be the 1,001st new unit name of the month (UTC+9); null when allowed.
 * Called before the send is accepted, so a refused send changes nothing.
 */
export function unitLimitProblem(store: Store, units: unknown, now = new Date()): string | null {
  if (!Array.isArray(units) || units.length !== 1 || typeof units[0] !== 'string') return null;
  const month = jstMonth(now);
  const used = store.unitMonths.get(month) ?? new Set<string>();
  if (used.has(units[0]) || used.size < MAX_UNITS_PER_MONTH) return null;
  return `The number of custom aggregation units used this month has reached the limit (${MAX_UNITS_PER_MONTH})`;
}

/** Records an accepted send against its unit (no-op without a unit). */
export function recordUnitSend(store: Store, send: Omit<UnitSend, 'unit'>, units: unknown): void {
  if (!Array.isArray(units) || units.length !== 1 || typeof units[0] !== 'string') return;
  const unit = units[0];
  const month = jstMonth(new Date(send.at));
  const used = store.unitMonths.get(month) ?? new Set<string>();
  used.add(unit);
  store.unitMonths.set(month, used);
  store.unitSends.push({ unit, ...send });
}

/** Every URL a message carries (uri/linkUri actions, flex/imagemap links, URLs in text), in order, once each. */
export function urlsOf(message: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') {
      if ((key === 'uri' || key === 'linkUri') && /^https?:\/\//.test(v)) out.push(v);
      else if (key === 'text') for (const m of v.match(/https?:\/\/[^\s」）)]+/g) ?? []) out.push(m);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(message);
  return [...new Set(out)];
}

/** The user's latest send in `unit` (optionally the latest carrying `url`), as an index into store.unitSends. */
function latestSendFor(store: Store, userId: string, unit: string | undefined, url?: string): number {
  for (let i = store.unitSends.length - 1; i >= 0; i--) {
    const s = store.unitSends[i];
    if (unit !== undefined && s.unit !== unit) continue;
    if (!s.deliveredTo.includes(userId)) continue;
    if (url !== undefined && !s.messages.some((m) => urlsOf(m).includes(url))) continue;
    return i;
  }
  return -1;
}

/** Control API: the user opens the unit's message they got last (an impression). */
export function openUnitMessage(store: Store, userId: string, unit?: string): UnitInteraction {
  if (unit !== undefined && (typeof unit !== 'string' || !UNIT_NAME.test(unit)))
    throw new EmulatorError(400, 'unit must match ^[a-zA-Z0-9_]{1,30}$');
  const i = latestSendFor(store, userId, unit);
  if (i < 0) throw new EmulatorError(404, `user ${userId} got no message${unit ? ` in unit ${unit}` : ' with a unit'}`);
  const it: UnitInteraction = { unit: store.unitSends[i].unit, userId, kind: 'open', send: i };
  store.unitInteractions.push(it);
  return it;
}

/** Control API: the user taps `url` in the latest unit message that carries it (also counts as opening it). */
export function clickUnitUrl(store: Store, userId: string, url: unknown, unit?: string): UnitInteraction {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url))
    throw new EmulatorError(400, 'url (http or https) is required');
  const i = latestSendFor(store, userId, unit, url);
  if (i < 0) throw new EmulatorError(404, `user ${userId} got no unit message with ${url}`);
  const s = store.unitSends[i];
  store.unitInteractions.push({ unit: s.unit, userId, kind: 'open', send: i });
  const it: UnitInteraction = { unit: s.unit, userId, kind: 'click', send: i, url };
  store.unitInteractions.push(it);
  return it;
}

function parseDay(s: unknown): number | null {
  if (typeof s !== 'string' || !/^\d{8}$/.test(s)) return null;
  const t = Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)));
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '') === s ? t : null;
}

const invalid = (property: string, message: string) => ({
  message: 'The request parameter is invalid',
  details: [{ message, property }],
});

/** Insight and unit-usage endpoints; mounted behind the bearer-token check. */
export function insightRouter(ctx: EmuContext): Router {
  const r = Router();
  const { store } = ctx;

  r.get('/v2/bot/insight/message/event/aggregation', (req, res) => {
    const unit = req.query.customAggregationUnit;
    if (typeof unit !== 'string' || !UNIT_NAME.test(unit)) {
      res.status(400).json(invalid('customAggregationUnit', 'must match ^[a-zA-Z0-9_]{1,30}$'));
      return;
    }
    const from = parseDay(req.query.from);
    const to = parseDay(req.query.to);
    if (from === null) {
      res.status(400).json(invalid('from', 'must be a date in the format yyyyMMdd'));
      return;
    }
    if (to === null) {
      res.status(400).json(invalid('to', 'must be a date in the format yyyyMMdd'));
      return;
    }
    if (to < from) {
      res.status(400).json(invalid('to', 'must not be earlier than from'));
      return;
    }
    if ((to - from) / 86_400_000 > MAX_RANGE_DAYS) {
      res.status(400).json(invalid('to', `must be at most ${MAX_RANGE_DAYS} days after from`));
      return;
    }
    const fromDay = String(req.query.from);
    const toDay = String(req.query.to);
    const sendIdx = new Set<number>();
    store.unitSends.forEach((s, i) => {
      const d = jstDay(new Date(s.at));
      if (s.unit === unit && d >= fromDay && d <= toDay) sendIdx.add(i);
    });
    const acts = store.unitInteractions.filter((a) => a.unit === unit && sendIdx.has(a.send));
    const min = store.insightMinCount;
    const gate = (n: number): number | null => (n < min ? null : n);
    const uniq = (xs: UnitInteraction[]) => new Set(xs.map((a) => a.userId)).size;
    const opens = acts.filter((a) => a.kind === 'open');
    const clicks = acts.filter((a) => a.kind === 'click');
    const bubbles = Math.max(0, ...[...sendIdx].map((i) => store.unitSends[i].messages.length));
    const urls: string[] = [];
    for (const i of sendIdx)
      for (const m of store.unitSends[i].messages) for (const u of urlsOf(m)) if (!urls.includes(u)) urls.push(u);
    res.json({
      overview: {
        uniqueImpression: gate(uniq(opens)),
        uniqueClick: gate(uniq(clicks)),
        uniqueMediaPlayed: null,
        uniqueMediaPlayed100Percent: null,
      },
      messages: Array.from({ length: bubbles }, (_, k) => ({
        seq: k + 1,
        impression: gate(opens.length),
        mediaPlayed: null,
        mediaPlayed25Percent: null,
        mediaPlayed50Percent: null,
        mediaPlayed75Percent: null,
        mediaPlayed100Percent: null,
        uniqueMediaPlayed: null,
        uniqueMediaPlayed25Percent: null,
        uniqueMediaPlayed50Percent: null,
        uniqueMediaPlayed75Percent: null,
        uniqueMediaPlayed100Percent: null,
      })),
      clicks: urls.map((url, k) => {
        const on = clicks.filter((c) => c.url === url);
        return {
          seq: k + 1,
          url,
          click: gate(on.length),
          uniqueClick: gate(uniq(on)),
          uniqueClickOfRequest: gate(uniq(on)),
        };
      }),
    });
  });

  r.get('/v2/bot/message/aggregation/info', (_req, res) => {
    res.json({ numOfCustomAggregationUnits: store.unitMonths.get(jstMonth(new Date()))?.size ?? 0 });
  });

  r.get('/v2/bot/message/aggregation/list', (req, res) => {
    let limit = 100;
    if (req.query.limit !== undefined) {
      const n = Number(req.query.limit);
      if (!Number.isInteger(n) || n < 1 || n > 100) {
        res.status(400).json(invalid('limit', 'must be an integer between 1 and 100'));
        return;
      }
      limit = n;
    }
    let start = 0;
    if (req.query.start !== undefined) {
      const n = Number(req.query.start);
      if (typeof req.query.start !== 'string' || !/^\d+$/.test(req.query.start) || !Number.isSafeInteger(n)) {
        res.status(400).json(invalid('start', 'is not a continuation token this API returned'));
        return;
      }
      start = n;
    }
    const all = [...(store.unitMonths.get(jstMonth(new Date())) ?? [])];
    const page = all.slice(start, start + limit);
    res.json({ customAggregationUnits: page, ...(start + limit < all.length ? { next: String(start + limit) } : {}) });
  });

  return r;
}

/** Control-API view of one unit: what the emulator recorded (no privacy nulls). */
export function unitOverview(store: Store): Obj[] {
  const units = [...new Set(store.unitSends.map((s) => s.unit))];
  return units.map((unit) => {
    const sends = store.unitSends.filter((s) => s.unit === unit);
    const acts = store.unitInteractions.filter((a) => a.unit === unit);
    return {
      unit,
      sends: sends.length,
      delivered: sends.reduce((n, s) => n + s.deliveredTo.length, 0),
      opens: acts.filter((a) => a.kind === 'open').length,
      clicks: acts.filter((a) => a.kind === 'click').length,
    };
  });
}
