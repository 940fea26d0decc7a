import { createBrandAssetRoutes } from '../api/public/brand-assets.routes';
import path from 'node:path';
import fs from 'node:fs';
import express, { type Express } from 'express';
import type { EventProcessor } from '../bot/event-processor';
import { createWebhookRouter } from '../bot/webhook.routes';
import { createMemberApi } from '../api/member/member.routes';
import { createConsoleApi } from '../api/console/console.routes';
import { createIngestApi } from '../api/ingest/ingest.routes';
import { createTrackingRouter } from '../api/tracking/tracking.routes';
import type { AppDeps } from './deps';
import { createErrorHandler, notFoundHandler } from './http-errors';
import { healthzHandler } from './healthz';
import { securityHeaders } from './security-headers';
import { compressSent, sendCompressedFile } from './compression';

/** Runs the rest of the request with this instance's reply texts current (domain/replies), refreshed if stale. */
function replyTextsScope(deps: AppDeps): express.RequestHandler {
  return (_req, _res, next) => deps.replies.enter(next);
}

/** Composition root: the whole product's HTTP surface, built from its dependencies. */
export function createApp(deps: AppDeps, extra: { devChat?: express.Router; events?: EventProcessor } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // Off unless TRUST_PROXY names the proxies in front of us: else any client could pick the IP that throttling sees.
  app.set('trust proxy', deps.config.trustProxy);
  // The webhook verifies the signature on the raw body, so it is mounted before any JSON parser. Only LINE's
  // servers call it and its answer is always `{}`: nothing for a browser to load, frame or compress, so it is
  // mounted ahead of the security headers and compression, and its ack is the few bytes LINE needs.
  app.use('/webhook', createWebhookRouter(deps, extra.events));
  app.use(
    securityHeaders({
      production: deps.config.mode === 'production',
      emulatorOrigin: deps.emulatorBaseURL && new URL(deps.emulatorBaseURL).origin,
    }),
  );

  app.use(compressSent());

  app.get('/healthz', healthzHandler(deps.config));

  app.use('/api/ingest', express.json({ limit: '1mb' }), replyTextsScope(deps), createIngestApi(deps));
  app.use('/api/member', express.json({ limit: '256kb' }), replyTextsScope(deps), createMemberApi(deps));
  app.use('/api/console', createConsoleApi(deps));
  app.use('/r', createTrackingRouter(deps));
  app.use('/brand', createBrandAssetRoutes());

  serveFrontEnd(app, '/liff', frontEndDist('liff-app'));
  serveFrontEnd(app, '/console', frontEndDist('console'));
  if (extra.devChat) app.use('/dev/chat', extra.devChat);
  app.get('/', (_req, res) => res.redirect(deps.config.mode === 'local' ? '/dev/chat' : '/console/'));

  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger));
  return app;
}

/** `<repo>/<app>/dist`, whether this file runs from source (tsx) or from the compiled `dist/server/`. */
function frontEndDist(appDir: string): string {
  const fromSource = path.resolve(__dirname, '..', appDir, 'dist');
  const fromCompiled = path.resolve(__dirname, '../..', appDir, 'dist');
  return fs.existsSync(fromSource) || !fs.existsSync(fromCompiled) ? fromSource : fromCompiled;
}

/** Vite names what it builds into `assets/` by content hash: a changed file is a new URL, so it may be kept forever. */
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';

function cacheControlFor(relPath: string): string {
  if (relPath.startsWith('/assets/')) return HASHED_ASSET_CACHE;
  // The card's service worker (scope /liff/, its own folder): revalidated on every visit, so a new build's worker
  // (which replaces the cached app shell) is found at once.
  if (relPath === '/sw.js') return 'no-cache';
  return relPath.endsWith('.html') || relPath.endsWith('/') ? 'no-cache' : 'public, max-age=3600';
}

/**
 * A built Vite app with SPA fallback; a friendly page when it has not been built yet. Files go out brotli- or
 * gzip-compressed when the client takes it (compressed once, kept in memory); hashed assets are cached for a year,
 * index.html is revalidated every time (so a new build is picked up at once).
 */
function serveFrontEnd(app: Express, mount: string, dist: string): void {
  app.use(mount, (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let rel: string;
    try {
      rel = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    // `/liff` (no slash) is redirected to `/liff/` by the static handler below, as before.
    if (rel === '/' && !req.originalUrl.split('?')[0].endsWith('/')) return next();
    const file = path.join(dist, rel === '/' ? 'index.html' : rel);
    if (!file.startsWith(dist + path.sep)) return next();
    if (sendCompressedFile(req, res, file, cacheControlFor(rel === '/' ? '/index.html' : rel))) return;
    next();
  });
  app.use(mount, express.static(dist, { index: 'index.html', maxAge: '1h', setHeaders: cacheHeaders(dist) }));
  app.get(`${mount}/{*splat}`, (req, res, next) => {
    if (req.path.startsWith(`${mount}/assets/`)) return next();
    const index = path.join(dist, 'index.html');
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('html')
        .send('<!doctype html><meta charset="utf-8"><p>前端尚未建置，請執行 <code>npm run build</code>。</p>');
      return;
    }
    if (sendCompressedFile(req, res, index, 'no-cache')) return;
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function cacheHeaders(dist: string) {
  return (res: express.Response, file: string): void => {
    res.setHeader('Cache-Control', cacheControlFor(`/${path.relative(dist, file).split(path.sep).join('/')}`));
  };
}
