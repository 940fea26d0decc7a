import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import mongoose from 'mongoose';
import type { AppConfig } from './config';

const DB_STATES = ['disconnected', 'connected', 'connecting', 'disconnecting'] as const;

/**
 * GET /healthz. `status` is public (a load balancer needs nothing more); the mode, the database state and the LINE
 * origin describe the deployment, so they are shown only in local mode or to a caller presenting OPERATOR_TOKEN.
 */
export function healthzHandler(config: AppConfig): RequestHandler {
  return (req, res) => {
    const db = DB_STATES[mongoose.connection.readyState as 0 | 1 | 2 | 3] ?? 'unknown';
    const status = db === 'connected' ? 'ok' : 'degraded';
    res.setHeader('Cache-Control', 'no-store');
    res.status(db === 'connected' ? 200 : 503);
    if (config.mode !== 'local' && !presentsOperatorToken(req, config.operatorToken)) {
      res.json({ status });
      return;
    }
    res.json({
      status,
      mode: config.mode,
      db,
      line: { mode: config.line.mode, baseURL: config.line.apiBaseURL ?? 'https://api.line.me' },
    });
  };
}

function presentsOperatorToken(req: Request, token: string | null): boolean {
  const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (!token || !given) return false;
  // Equal-length digests, so the comparison takes the same time whatever was sent.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
