import { Router } from 'express';
import { mergeMembers, previewMemberMerge, searchMergeCandidates } from '../../domain/members/member-merge.service';
import { notFound } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { MergeCandidatesQuerySchema, MergePreviewQuerySchema, MergeRequestSchema } from '../contracts/console';
import { audit, consoleLocals, requirePermission } from './console-context';
import { isObjectId } from '../../shared/ids';
import { presentMergeCandidates, presentMergePreview, presentMergeResult } from './presenters/members.presenter';

/**
 * /api/console/members/:id/merge…: fold an imported member (CSV, no LINE userId) into this LINE member.
 * Marketers and admins (`members.write`); staff at the counter cannot.
 */
export function createMemberMergeRoutes(deps: AppDeps): Router {
  const router = Router();
  router.param('id', (_req, _res, next, id) =>
    next(isObjectId(String(id)) ? undefined : notFound('找不到這位會員。', 'member_not_found')),
  );

  router.get('/:id/merge-candidates', requirePermission('members.write'), async (req, res) => {
    const { q } = parseOrThrow(MergeCandidatesQuerySchema, req.query);
    res.json({ items: presentMergeCandidates(await searchMergeCandidates(q)) });
  });

  router.get('/:id/merge-preview', requirePermission('members.write'), async (req, res) => {
    const { sourceId } = parseOrThrow(MergePreviewQuerySchema, req.query);
    res.json(presentMergePreview(await previewMemberMerge({ targetId: String(req.params.id), sourceId })));
  });

  router.post('/:id/merge', requirePermission('members.write'), async (req, res) => {
    const body = parseOrThrow(MergeRequestSchema, req.body);
    const { session } = consoleLocals(res);
    const result = await mergeMembers({
      targetId: String(req.params.id),
      sourceId: body.sourceId,
      fieldChoices: body.fieldChoices,
      actor: session.user.id,
      now: deps.clock(),
      erasureSecret: deps.config.privacy.erasureHmacSecret,
    });
    await audit(deps, req, res, {
      action: result.alreadyMerged ? 'member.merge.repeat' : 'member.merge',
      target: { type: 'member', id: result.targetId },
      details: {
        sourceId: result.sourceId,
        fieldChoices: body.fieldChoices,
        pointsMoved: result.pointsMoved,
        moved: result.moved,
        tagsAdded: result.tagsAdded,
        fieldsSet: result.fieldsSet,
      },
    });
    res.json(presentMergeResult(result));
  });
  return router;
}
