import { Router } from 'express';
import { z } from 'zod';
import { listCouponTemplates } from '../../domain/coupons';
import { getProgramSettings } from '../../domain/program/settings.service';
import { getRfmOverview, getRfmSettings, scoreRfm, updateRfmSettings } from '../../domain/segments/rfm.service';
import { AGE_BANDS, GENDERS, RFM_SEGMENT_NAMES, SegmentRuleSchema } from '../../domain/segments/rule.schema';
import { BOUGHT_KIND_LABELS, FIELD_LABELS, GENDER_LABELS } from '../../domain/segments/rule-describe';
import {
  archiveSegment,
  countAudience,
  createSegment,
  describeRule,
  getSegment,
  listMembersInSegment,
  listSegments,
  updateSegment,
} from '../../domain/segments/segment.service';
import { listRuleSuggestions } from '../../domain/segments/rule-suggestions.service';
import { listTagCounts } from '../../domain/members/member-search.service';
import { listCities } from '../../domain/members/city-backfill.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { PageQuerySchema, type AudienceCount, type RuleMeta } from '../contracts/console';
import { audit, consoleLocals, readOnlyRequest, requirePermission } from './console-context';
import { presentRfmOverview, presentRfmRun, presentSegment, presentSegments } from './presenters/program.presenter';
import { toWire } from './presenters/wire';

const ListQuerySchema = z.object({ recount: z.enum(['0', '1']).optional() });

/** /api/console/segments: the rule builder (live count), saved segments, and the RFM overview. */
export function createSegmentRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('segments'));
  const tz = () => ({ timeZone: deps.config.timeZone });
  const actorId = (res: Parameters<typeof consoleLocals>[0]) => consoleLocals(res).session.user.id;

  router.get('/', async (req, res) => {
    const { recount } = parseOrThrow(ListQuerySchema, req.query);
    res.json({
      segments: presentSegments(
        await listSegments({ now: deps.clock(), recount: recount === '1', timeZone: deps.config.timeZone }),
      ),
    });
  });

  /** What the rule builder offers: fields with zh-TW labels and the values to pick from. */
  router.get('/meta', async (_req, res) => {
    const [settings, templates, tags, cities, suggestions] = await Promise.all([
      getProgramSettings(),
      listCouponTemplates({ status: 'active' }),
      listTagCounts(100),
      listCities(),
      listRuleSuggestions(),
    ]);
    res.json({
      fields: FIELD_LABELS,
      genders: GENDERS.map((g) => ({ value: g, label: GENDER_LABELS[g] })),
      ageBands: AGE_BANDS,
      rfmSegments: RFM_SEGMENT_NAMES,
      tiers: settings.tiers.map((t) => ({ code: t.code, label: t.label })),
      couponTemplates: templates.map((t) => ({ id: t.id, title: t.title })),
      tags: tags.map((t) => t.tag),
      cities,
      boughtKinds: BOUGHT_KIND_LABELS,
      ...suggestions,
    } satisfies RuleMeta);
  });

  /** Live audience count of an unsaved rule, with the rule in words. */
  router.post('/count', async (req, res) => {
    const { rule } = parseOrThrow(z.object({ rule: z.unknown() }), req.body);
    const parsed = parseOrThrow(SegmentRuleSchema, rule);
    readOnlyRequest(res);
    res.json({
      count: await countAudience(parsed, deps.clock(), tz()),
      ruleText: await describeRule(parsed),
    } satisfies AudienceCount);
  });

  router.get('/rfm', async (_req, res) => {
    res.json({ overview: presentRfmOverview(await getRfmOverview()), settings: await getRfmSettings() });
  });

  router.post('/rfm/score', async (req, res) => {
    const summary = await scoreRfm(deps.clock());
    await audit(deps, req, res, {
      action: 'rfm.score',
      details: { scored: summary.scored, unscored: summary.unscored },
    });
    res.json({ summary: presentRfmRun(summary), overview: presentRfmOverview(await getRfmOverview()) });
  });

  router.put('/rfm/settings', async (req, res) => {
    const settings = await updateRfmSettings(req.body, actorId(res));
    await audit(deps, req, res, { action: 'rfm.settings.update', details: settings as Record<string, unknown> });
    res.json({ settings });
  });

  router.post('/', async (req, res) => {
    const segment = await createSegment(req.body, actorId(res), deps.clock(), tz());
    await audit(deps, req, res, {
      action: 'segment.create',
      target: { type: 'segment', id: segment.id, label: segment.name },
      details: { rule: segment.ruleText },
    });
    res.status(201).json({ segment: presentSegment(segment) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ segment: presentSegment(await getSegment(String(req.params.id))) });
  });

  router.get('/:id/members', async (req, res) => {
    const { page } = parseOrThrow(PageQuerySchema, req.query);
    res.json(
      toWire(
        await listMembersInSegment({ segmentId: String(req.params.id) }, { page, pageSize: 25 }, deps.clock(), tz()),
      ),
    );
  });

  router.put('/:id', async (req, res) => {
    const segment = await updateSegment(String(req.params.id), req.body, actorId(res), deps.clock(), tz());
    await audit(deps, req, res, {
      action: 'segment.update',
      target: { type: 'segment', id: segment.id, label: segment.name },
      details: { rule: segment.ruleText },
    });
    res.json({ segment: presentSegment(segment) });
  });

  router.delete('/:id', async (req, res) => {
    const id = String(req.params.id);
    const before = await getSegment(id);
    await archiveSegment(id, actorId(res), deps.clock());
    await audit(deps, req, res, { action: 'segment.archive', target: { type: 'segment', id, label: before.name } });
    res.json({ ok: true });
  });

  return router;
}
