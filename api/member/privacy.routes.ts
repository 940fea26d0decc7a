import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { DeleteMyDataRequestSchema, type DataExportLink } from '../contracts/member';
import { dataLinkKey } from '../../domain/members/member-data-link';
import {
  buildMemberDataDocument,
  createMemberDataLink,
  exportMemberData,
  exportMemberDataByLink,
} from '../../domain/members/member-data-export.service';
import { eraseMemberData } from '../../domain/members/privacy.service';
import { AppError } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';
import { renderLinkProblemPage, renderMemberDataPage } from './member-data-page';

const DOCUMENT_PATH = '/api/member/privacy/document';

/** The privacy area (behind the LIFF ID token): a link to my data, my data as JSON, and deleting personal data. */
export function createPrivacyRouter(deps: AppDeps): Router {
  const router = Router();
  const key = dataLinkKey(deps.config.console.sessionSecret);

  router.post('/export-link', async (_req, res) => {
    const link = await createMemberDataLink(memberOf(res)._id, deps.clock(), key);
    const body: DataExportLink = {
      url: `${DOCUMENT_PATH}?t=${encodeURIComponent(link.token)}`,
      expiresAt: link.expiresAt.toISOString(),
    };
    res.json(body);
  });

  router.get('/export', async (_req, res) => {
    const now = deps.clock();
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(now)}"`);
    res.json(await exportMemberData(memberOf(res)._id, now));
  });

  router.post('/erase', async (req, res) => {
    parseOrThrow(DeleteMyDataRequestSchema, req.body);
    const result = await eraseMemberData(memberOf(res)._id, deps.clock(), {
      erasureSecret: deps.config.privacy.erasureHmacSecret,
    });
    res.json({ erased: true, erasedAt: result.erasedAt.toISOString() });
  });
  return router;
}

/**
 * What a data link opens, with no ID token (a link in LINE's in-app browser carries none): the readable page, or
 * with `format=json` the JSON beside it. The token travels in the query, never in the path, so error logs (which
 * name the path) never hold it; `Referrer-Policy: no-referrer` keeps it from leaving with a click.
 */
export function createPrivacyDocumentRouter(deps: AppDeps): Router {
  const router = Router();
  const key = dataLinkKey(deps.config.console.sessionSecret);
  router.get('/document', async (req, res) => {
    const now = deps.clock();
    const asJson = req.query.format === 'json';
    let data;
    try {
      data = await exportMemberDataByLink(req.query.t, now, key);
    } catch (err) {
      if (asJson || !(err instanceof AppError)) throw err;
      res.status(err.status).type('html').send(renderLinkProblemPage(err.userMessage));
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (asJson) {
      res.setHeader('Content-Disposition', `inline; filename="${exportFileName(now)}"`);
      res.json(data);
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    const doc = await buildMemberDataDocument(data, deps.config.timeZone);
    res
      .type('html')
      .send(
        renderMemberDataPage(doc, `${DOCUMENT_PATH}?t=${encodeURIComponent(String(req.query.t))}&format=json`, nonce),
      );
  });
  return router;
}

const exportFileName = (now: Date) => `huigo-my-data-${now.toISOString().slice(0, 10)}.json`;
