import { Router } from 'express';
import { DeleteMyDataRequestSchema } from '../contracts/member';
import { eraseMemberData, exportMemberData } from '../../domain/members/privacy.service';
import { recordInteraction } from '../../domain/interactions/interaction.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';

/** The privacy area: download everything we hold (JSON) and delete personal data. */
export function createPrivacyRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/export', async (_req, res) => {
    const member = memberOf(res);
    const now = deps.clock();
    const data = await exportMemberData(member._id, now);
    await recordInteraction({ memberId: member._id, type: 'event', channel: 'liff', summary: '會員下載了個人資料', at: now });
    res.setHeader('Content-Disposition', `attachment; filename="huigo-my-data-${now.toISOString().slice(0, 10)}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(data);
  });

  router.post('/erase', async (req, res) => {
    parseOrThrow(DeleteMyDataRequestSchema, req.body);
    const result = await eraseMemberData(memberOf(res)._id, deps.clock(), { erasureSecret: deps.config.privacy.erasureHmacSecret });
    res.json({ erased: true, erasedAt: result.erasedAt.toISOString() });
  });
  return router;
}
