import express, { type NextFunction, type Request, type Response } from 'express';
import { controlCors, controlRouter } from './control';
import { type EmulatorCore, EmulatorError } from './core';
import { newRequestId } from './ids';
import { oauthRouter } from './idtoken';
import { insightRouter } from './insight';
import { messagingRouter } from './messaging';
import { richMenuRouter } from './richmenu';

const AUTH_FAILED = {
  message: 'Authentication failed. Confirm that the access token in the authorization header is valid.',
};

/** One express app serves api.line.me, api-data.line.me, the LINE Login verify endpoint and the control API. */
export function createEmulatorApp(core: EmulatorCore, hooks: { reset: () => void }): express.Express {
  const { ctx } = core;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    res.setHeader('x-line-request-id', newRequestId());
    const started = Date.now();
    res.on('finish', () => ctx.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${Date.now() - started}ms`));
    next();
  });

  app.use('/_emulator', controlCors(ctx), express.json({ limit: '5mb' }), controlRouter(core, hooks));
  app.use(oauthRouter(ctx));

  app.use('/v2', (req: Request, res: Response, next: NextFunction) => {
    if (req.get('authorization') !== `Bearer ${ctx.channelAccessToken}`) {
      res.status(401).json(AUTH_FAILED);
      return;
    }
    next();
  });
  app.use('/v2', express.json({ limit: '2mb' }));
  app.use(messagingRouter(ctx));
  app.use(richMenuRouter(ctx));
  app.use(insightRouter(ctx));

  // Fail loudly: an endpoint the product starts using must be added here, not silently answered.
  app.use((req: Request, res: Response) => {
    res
      .status(404)
      .json({ message: `Not found: ${req.method} ${req.path} is not implemented by the Huigo LINE emulator` });
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof EmulatorError) {
      res.status(err.status).json({ message: err.message });
    } else if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ message: 'The request body could not be parsed as JSON' });
    } else if (e?.type === 'entity.too.large') {
      res.status(413).json({ message: 'The request body is too large' });
    } else {
      ctx.log(`error on ${req.method} ${req.originalUrl}: ${e?.message ?? String(err)}`);
      res.status(500).json({ message: `Huigo LINE emulator internal error: ${e?.message ?? String(err)}` });
    }
  });
  return app;
}
