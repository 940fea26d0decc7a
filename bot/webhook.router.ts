import { middleware } from '@line/bot-sdk';
import express, { Router } from 'express';
import { badRequest } from '../domain/shared/errors';
import type { AppDeps } from '../server/deps';
import { processEvents } from './event-processor';
import { storeEvents, type IncomingEvent } from './event-store';

/**
 * POST /webhook: signature on the raw body → store every event under its webhookEventId → 200 → process.
 * Storing before acknowledging means a crash after the 200 loses nothing (the sweeper resumes it), and
 * a redelivery is recognised by its id.
 */
export function createWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  const inFlight = new Set<Promise<void>>();
  router.post(
    '/',
    express.raw({ type: () => true, limit: '1mb' }),
    middleware({ channelSecret: deps.config.line.channelSecret }),
    async (req, res) => {
      const body = req.body as { events?: unknown };
      if (!body || typeof body !== 'object' || !Array.isArray(body.events)) throw badRequest('invalid_webhook_body', '請求內容缺少 events。');
      const events = body.events.filter((e): e is IncomingEvent => Boolean(e) && typeof e === 'object' && !Array.isArray(e));
      const fresh = await storeEvents(events, deps.clock());
      res.status(200).json({});
      if (!fresh.length) return;
      const work = processEvents(deps, fresh).catch((err) => deps.logger.error({ err }, 'webhook processing failed'));
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
  );
  return router;
}
