import { Router } from 'express';
import { dismissPhoneProposal, listPhoneProposals } from '../../domain/members/member-phone-proposals.service';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';
import { presentPhoneProposals } from './presenters/members.presenter';

/**
 * /api/console/phone-proposals: 「可能是同一人」 (#16.6), LINE members whose phone is on an imported record. 合併 is
 * the member page's merge (`POST /members/:id/merge`); 不是同一人 is `POST /:memberId/dismiss`. Phones are masked.
 */
export function createPhoneProposalRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/', requirePermission('members.read'), async (_req, res) => {
    res.json(presentPhoneProposals(await listPhoneProposals()));
  });

  router.post('/:memberId/dismiss', requirePermission('members.write'), async (req, res) => {
    const memberId = String(req.params.memberId);
    await dismissPhoneProposal({ memberId, actor: consoleLocals(res).session.user.id, now: deps.clock() });
    await audit(deps, req, res, { action: 'member.phone_proposal.dismiss', target: { type: 'member', id: memberId } });
    res.json({ ok: true });
  });
  return router;
}
