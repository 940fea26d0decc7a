import type { Request, Response } from 'express';
import { type EmuContext, nowIso, requestIdOf } from './context';
import { MONTHLY_LIMIT } from './faults';
import { recordUnitSend, unitLimitProblem } from './insight';
import { isUuid, newMessageId, newQuoteToken } from './ids';
import type { PushLogEntry, SendApi } from './store';
import { type ErrorDetail, errorBody, validateMessages, validateSendFields } from './validate';

type Obj = Record<string, unknown>;

/** What each send API resolves before the shared pipeline runs. */
interface Target {
  /** Recipients as the caller named them (logged verbatim). */
  to: string[];
  /** Known users that will actually get the message (following). */
  deliverTo: string[];
  /** Whether this API consumes monthly quota (reply does not). */
  countsQuota: boolean;
  onAccepted?: () => void;
}

type Rejection = { status: number; body: Obj };
type Resolver = (body: Obj) => Target | Rejection;

const isRejection = (t: Target | Rejection): t is Rejection => 'status' in t;
const RETRY_KEY_APIS: SendApi[] = ['push', 'multicast', 'narrowcast', 'broadcast'];

function followers(ctx: EmuContext): string[] {
  return [...ctx.store.users.values()].filter((u) => u.status === 'following').map((u) => u.userId);
}

function deliverable(ctx: EmuContext, ids: string[]): string[] {
  return ids.filter((id) => ctx.store.users.get(id)?.status === 'following');
}

const resolvers: Record<SendApi, (ctx: EmuContext) => Resolver> = {
  reply: (ctx) => (body) => {
    const token = typeof body.replyToken === 'string' ? body.replyToken : '';
    const info = ctx.store.replyTokens.get(token);
    if (!info || info.used || Date.now() > info.expiresAt)
      return { status: 400, body: { message: 'Invalid reply token' } };
    const to = info.userId ? [info.userId] : [];
    return {
      to,
      // A reply reaches the user even in an edge state; LINE only issues tokens to users who can receive.
      deliverTo: to.filter((id) => ctx.store.users.get(id)?.status !== 'unfollowed'),
      countsQuota: false,
      onAccepted: () => {
        info.used = true;
      },
    };
  },
  push: (ctx) => (body) => {
    const to = body.to;
    if (typeof to !== 'string' || !ctx.store.users.has(to)) {
      return { status: 400, body: { message: "The property, 'to', in the request body is invalid" } };
    }
    return { to: [to], deliverTo: deliverable(ctx, [to]), countsQuota: true };
  },
  multicast: (ctx) => (body) => {
    const to = body.to;
    if (!Array.isArray(to) || to.length < 1 || to.length > 500 || to.some((t) => typeof t !== 'string')) {
      return { status: 400, body: errorBody([{ message: 'Size must be between 1 and 500', property: 'to' }]) };
    }
    // LINE silently skips ids it cannot deliver to, including ids it has never seen.
    const ids = [...new Set(to as string[])];
    return { to: to as string[], deliverTo: deliverable(ctx, ids), countsQuota: true };
  },
  narrowcast: (ctx) => (body) => {
    const unsupported = ['recipient', 'filter'].filter((k) => body[k] !== undefined && body[k] !== null);
    if (unsupported.length) {
      return {
        status: 400,
        body: {
          message: `narrowcast '${unsupported.join("' and '")}' is not supported by the Huigo LINE emulator; omit it to send to all followers`,
        },
      };
    }
    const all = followers(ctx);
    return { to: all, deliverTo: all, countsQuota: true };
  },
  broadcast: (ctx) => () => {
    const all = followers(ctx);
    return { to: all, deliverTo: all, countsQuota: true };
  },
};

/**
 * The shared pipeline for every send API: validate → resolve recipients → (latency) → retry-key dedupe →
 * injected faults → monthly quota → deliver. Every call lands in the push log with its final status.
 */
export function sendHandler(ctx: EmuContext, api: SendApi) {
  const resolve = resolvers[api](ctx);
  return async (req: Request, res: Response): Promise<void> => {
    const body: Obj = req.body && typeof req.body === 'object' ? req.body : {};
    const retryKeyHeader = req.get('x-line-retry-key');
    const retryKey = retryKeyHeader ?? null;
    const entry: PushLogEntry = {
      id: requestIdOf(res),
      api,
      to: [],
      retryKey,
      status: 0,
      messages: Array.isArray(body.messages) ? body.messages : [],
      at: nowIso(),
      delivered: false,
      deliveredTo: [],
    };
    const finish = (status: number, payload: Obj): void => {
      entry.status = status;
      if (status >= 400 && typeof payload.message === 'string') entry.error = payload.message;
      ctx.store.pushLog.push(entry);
      res.status(status).json(payload);
    };

    if (retryKey !== null && (!RETRY_KEY_APIS.includes(api) || !isUuid(retryKey))) {
      return finish(400, {
        message:
          'The value of the X-Line-Retry-Key header is invalid (must be a UUID; only push, multicast, narrowcast and broadcast accept it)',
      });
    }
    const details: ErrorDetail[] = validateSendFields(api, body);
    validateMessages(body.messages, details);
    if (details.length) return finish(400, errorBody(details));
    const target = resolve(body);
    if (isRejection(target)) return finish(target.status, target.body);
    entry.to = target.to;

    await ctx.faults.delay();

    const accepted = retryKey ? ctx.store.acceptedRetryKeys.get(retryKey.toLowerCase()) : undefined;
    if (accepted) {
      res.setHeader('x-line-accepted-request-id', accepted.requestId);
      const payload: Obj = { message: 'The retry key is already accepted' };
      if (accepted.sentMessages) payload.sentMessages = accepted.sentMessages;
      return finish(409, payload);
    }

    const fault = ctx.faults.check();
    if (fault) {
      ctx.log(`fault injected (${fault.reason}) on ${api}`);
      return finish(fault.status, fault.body);
    }

    const unitProblem = unitLimitProblem(ctx.store, body.customAggregationUnits);
    if (unitProblem) return finish(400, { message: unitProblem });

    const cost = target.countsQuota ? target.deliverTo.length : 0;
    if (cost > 0 && ctx.store.quotaUsage + cost > ctx.store.monthlyQuota) return finish(429, MONTHLY_LIMIT);

    // Accepted: from here on nothing can fail, so state changes are all-or-nothing.
    ctx.store.quotaUsage += cost;
    target.onAccepted?.();
    const at = nowIso();
    const messages = body.messages as Obj[];
    const sentMessages = messages.map(() => ({ id: newMessageId(), quoteToken: newQuoteToken() }));
    for (const userId of target.deliverTo) {
      messages.forEach((message, i) => {
        const id = target.deliverTo.length === 1 ? sentMessages[i].id : newMessageId();
        ctx.store.addInbox(userId, { id, via: api, message, at });
      });
    }
    entry.deliveredTo = target.deliverTo;
    if (api === 'push' || api === 'multicast')
      recordUnitSend(
        ctx.store,
        { requestId: requestIdOf(res), at, messages, deliveredTo: target.deliverTo },
        body.customAggregationUnits,
      );
    entry.delivered = target.deliverTo.length > 0;
    const requestId = requestIdOf(res);
    if (retryKey) {
      ctx.store.acceptedRetryKeys.set(retryKey.toLowerCase(), {
        requestId,
        ...(api === 'push' ? { sentMessages } : {}),
      });
    }
    if (api === 'narrowcast') {
      ctx.store.narrowcasts.set(requestId, {
        phase: 'succeeded',
        successCount: target.deliverTo.length,
        failureCount: 0,
        targetCount: target.deliverTo.length,
        acceptedTime: at,
        completedTime: nowIso(),
      });
      return finish(202, {});
    }
    if (api === 'push' || api === 'reply') return finish(200, { sentMessages });
    return finish(200, {});
  };
}
