import { Router, type Response } from 'express';
import {
  archiveCouponTemplate,
  createCouponTemplate,
  getCouponTemplate,
  issueCoupon,
  issueCouponBatch,
  listCouponTemplates,
  updateCouponTemplate,
} from '../../domain/coupons';
import { listMembersInSegment } from '../../domain/segments/segment.service';
import { badRequest } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';
import { CouponTemplatesQuerySchema, IssueCouponRequestSchema } from '../contracts/console';
import { presentCoupon } from './presenters/members.presenter';
import { presentIssueResult, presentTemplate, presentTemplates } from './presenters/program.presenter';

const MAX_BATCH = 20_000;

/** /api/console/coupons: coupon templates and issuing them by hand (one member or a segment). */
export function createCouponRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('coupons.manage'));
  const actorId = (res: Response) => consoleLocals(res).session.user.id;

  router.get('/templates', async (req, res) => {
    const { status } = parseOrThrow(CouponTemplatesQuerySchema, req.query);
    res.json({
      templates: presentTemplates(await listCouponTemplates({ status: status === 'all' ? undefined : status })),
    });
  });

  router.post('/templates', async (req, res) => {
    const template = await createCouponTemplate(req.body, actorId(res));
    await audit(deps, req, res, {
      action: 'coupon_template.create',
      target: { type: 'coupon_template', id: template.id, label: template.title },
      details: { valueLabel: template.valueLabel, validity: template.validity },
    });
    res.status(201).json({ template: presentTemplate(template) });
  });

  router.get('/templates/:id', async (req, res) => {
    res.json({ template: presentTemplate(await getCouponTemplate(String(req.params.id))) });
  });

  router.put('/templates/:id', async (req, res) => {
    const template = await updateCouponTemplate(String(req.params.id), req.body, actorId(res));
    await audit(deps, req, res, {
      action: 'coupon_template.update',
      target: { type: 'coupon_template', id: template.id, label: template.title },
      details: { patch: req.body },
    });
    res.json({ template: presentTemplate(template) });
  });

  router.delete('/templates/:id', async (req, res) => {
    const template = await archiveCouponTemplate(String(req.params.id), actorId(res));
    await audit(deps, req, res, {
      action: 'coupon_template.archive',
      target: { type: 'coupon_template', id: template.id, label: template.title },
    });
    res.json({ template: presentTemplate(template) });
  });

  router.post('/templates/:id/issue', async (req, res) => {
    const body = parseOrThrow(IssueCouponRequestSchema, req.body);
    const templateId = String(req.params.id);
    const now = deps.clock();
    const notify = body.notify ? { messenger: deps.messenger } : undefined;
    if (body.memberId) {
      const result = await issueCoupon({
        templateId,
        memberId: body.memberId,
        key: `console:${body.key}`,
        now,
        actor: actorId(res),
        source: 'manual',
        timeZone: deps.config.timeZone,
        notify,
      });
      await audit(deps, req, res, {
        action: 'coupon.issue',
        target: { type: 'member', id: body.memberId },
        details: { templateId, couponId: result.coupon.id, duplicate: result.duplicate },
      });
      res.json({
        ...presentIssueResult({ issued: result.duplicate ? 0 : 1, duplicates: result.duplicate ? 1 : 0, failed: [] }),
        coupon: presentCoupon(result.coupon),
      });
      return;
    }
    const memberIds = await segmentMemberIds(body.segmentId!, now, deps.config.timeZone);
    const result = await issueCouponBatch({
      templateId,
      memberIds,
      batchKey: `console:${body.key}`,
      now,
      actor: actorId(res),
      source: 'batch',
      timeZone: deps.config.timeZone,
      notify,
    });
    await audit(deps, req, res, {
      action: 'coupon.issue_batch',
      target: { type: 'segment', id: body.segmentId },
      details: { templateId, audience: memberIds.length, issued: result.issued, failed: result.failed.length },
    });
    res.json(presentIssueResult(result));
  });

  return router;
}

/** Every member id of a segment, page by page (a batch issue is bounded so one click cannot run for hours). */
async function segmentMemberIds(segmentId: string, now: Date, timeZone: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await listMembersInSegment({ segmentId }, { page, pageSize: 200 }, now, { timeZone });
    if (total > MAX_BATCH)
      throw badRequest(
        'batch_too_large',
        `分群有 ${total.toLocaleString()} 位會員，單次發放上限 ${MAX_BATCH.toLocaleString()} 位；請改用活動附加優惠券。`,
      );
    ids.push(...items.map((m) => m.id));
    if (items.length < 200) return ids;
  }
}
