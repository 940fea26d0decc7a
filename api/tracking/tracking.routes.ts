import { Router } from 'express';
import { recordLinkClick } from '../../domain/campaigns/tracked-links.service';
import { campaignText } from '../../domain/campaigns/campaign-text';
import type { AppDeps } from '../../server/deps';

/**
 * `/r/<linkId>`, `/r/<code>` and (older messages) `/r/<linkId>?m=<member token>`: campaign and journey link
 * redirects. Every open is counted on the link; a click is attributed to a member only through the member's short
 * code or a signed member token (per-member sends). Multicast sends
 * share one identical message among up to 500 people, so their links cannot name the member (see
 * domain/campaigns/tracked-links.ts). Only stored destinations are redirected to (no open redirect).
 */
export function createTrackingRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/:id', async (req, res) => {
    const token = typeof req.query.m === 'string' ? req.query.m : undefined;
    const url = await recordLinkClick(req.params.id, token, deps.clock(), deps.config.line.channelSecret);
    res.setHeader('Cache-Control', 'no-store');
    if (!url) {
      res
        .status(404)
        .type('html')
        .send(
          `<!doctype html><html lang="zh-Hant-TW"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>連結無效</title><p style="font-family:sans-serif;padding:2rem">${campaignText.linkNotFound}</p></html>`,
        );
      return;
    }
    res.redirect(302, url);
  });
  return router;
}
