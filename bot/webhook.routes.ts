import { middleware } from '@line/bot-sdk';
import express, { Router } from 'express';
import { badRequest } from '../domain/shared/errors';
import type { AppDeps } from '../server/deps';
import { createEventProcessor, type EventProcessor } from './event-processor';
import { storeEvents, type IncomingEvent } from './event-store';

/** LINE batches a handful of events per request; a body with thousands is not LINE. */
export const MAX_EVENTS_PER_REQUEST = 500;

const ACK_BODY = '{}';
const ACK_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '2' };

/** A `source` that is not an object (only a forged body has one) is dropped, so handlers can trust its shape. */
function withSafeSource(event: IncomingEvent): IncomingEvent {
  if (event.source === undefined || (event.source && typeof event.source === 'object' && !Array.isArray(event.source)))
    return event;
  const { source: _dropped, ...rest } = event;
  return rest;
}

/**
 * POST /webhook: signature on the raw body → store every event under its webhookEventId → 200 → offer the new
 * events to the processor (bot/event-processor.ts), which handles them from the store with bounded concurrency.
 * Storing before acknowledging means a crash after the 200 loses nothing (the processor's poll resumes it), and
 * a redelivery is recognised by its id. The ack waits for the insert only, never for processing.
 */
export function createWebhookRouter(deps: AppDeps, processor: EventProcessor = createEventProcessor(deps)): Router {
  const router = Router();
  router.post(
    '/',
    (_req, res, next) => {
      // From the first byte to the answer: the processor adapts how much it takes at once to this latency.
      processor.ackStarted();
      const started = performance.now();
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        processor.ackFinished(performance.now() - started);
      };
      res.once('finish', finished);
      res.once('close', finished);
      next();
    },
    express.raw({ type: () => true, limit: '1mb' }),
    middleware({ channelSecret: deps.config.line.channelSecret }),
    async (req, res) => {
      const body = req.body as { events?: unknown };
      if (!body || typeof body !== 'object' || !Array.isArray(body.events))
        throw badRequest('invalid_webhook_body', '請求內容缺少 events。');
      if (body.events.length > MAX_EVENTS_PER_REQUEST)
        throw badRequest('too_many_events', `一次最多 ${MAX_EVENTS_PER_REQUEST} 個事件。`);
      const events = body.events
        .filter((e): e is IncomingEvent => Boolean(e) && typeof e === 'object' && !Array.isArray(e))
        .map(withSafeSource);
      const fresh = await storeEvents(events, deps.clock());
      // The body is always `{}`: written as is (no serialisation, no ETag, nothing to compress).
      res.writeHead(200, ACK_HEADERS).end(ACK_BODY);
      if (fresh.length) processor.offer(fresh);
    },
  );
  return router;
}
