import type { RequestHandler, Response } from 'express';
import { authenticateApiKey, type AuthenticatedIntegration } from '../../domain/integrations/api-key.service';
import { unauthorized } from '../../domain/shared/errors';
import type { AppDeps } from '../../server/deps';

/**
 * API-key authentication for POS / e-commerce integrations: `Authorization: Bearer <key>` or `x-api-key: <key>`.
 * Missing → 401 `api_key_missing`; unknown or revoked → 401 `api_key_invalid`. The key is never logged.
 */
export function requireApiKey(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    const bearer = header && /^Bearer\s+(.+)$/i.exec(header.trim())?.[1];
    const key = (bearer || req.get('x-api-key') || '').trim();
    res.setHeader('WWW-Authenticate', 'Bearer realm="huigo-ingest"');
    if (!key)
      return next(unauthorized('缺少 API 金鑰：請在 Authorization: Bearer 或 x-api-key 標頭提供。', 'api_key_missing'));
    const integration = await authenticateApiKey(key, deps.clock());
    if (!integration) return next(unauthorized('API 金鑰無效或已停用。', 'api_key_invalid'));
    res.removeHeader('WWW-Authenticate');
    res.locals.integration = integration;
    next();
  };
}

export function integrationOf(res: Response): AuthenticatedIntegration {
  return res.locals.integration as AuthenticatedIntegration;
}
