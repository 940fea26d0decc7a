import { JSONParseError, SignatureValidationFailed } from '@line/bot-sdk';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../domain/shared/errors';
import type { Logger } from '../domain/shared/logger';

/** Unknown route → 404 in the house JSON shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: '找不到這個頁面或 API。' } });
};

/** Turns every error into `{ error: { code, message, details? } }`; never leaks a stack trace. */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof AppError) {
      res.status(err.status).json({
        error: { code: err.code, message: err.userMessage, ...(err.details ? { details: err.details } : {}) },
      });
      return;
    }
    if (isCastError(err)) {
      // A malformed id in a path (/members/not-an-id) names nothing that exists: not the server's fault.
      res.status(404).json({ error: { code: 'not_found', message: '找不到資料。' } });
      return;
    }
    if (err instanceof SignatureValidationFailed) {
      res.status(401).json({ error: { code: 'invalid_signature', message: '簽章驗證失敗。' } });
      return;
    }
    const status =
      typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (err instanceof JSONParseError || err?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'malformed_json', message: '請求內容不是有效的 JSON。' } });
      return;
    }
    if (status === 413) {
      res.status(413).json({ error: { code: 'payload_too_large', message: '上傳的資料太大。' } });
      return;
    }
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: '請求格式有誤。' } });
      return;
    }
    logger.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: '系統暫時無法處理，請稍後再試。' } });
  };
}

/** mongoose's CastError (an id or value of the wrong type reached a query). */
function isCastError(err: unknown): boolean {
  return Boolean(err) && typeof err === 'object' && (err as { name?: unknown }).name === 'CastError';
}
