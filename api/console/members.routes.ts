import { pipeline } from 'node:stream';
import { Router, type Response } from 'express';
import { getMemberDetail } from '../../domain/members/member-detail.service';
import { addMemberNote, deleteMemberNote, listMemberNotes } from '../../domain/members/member-note.service';
import {
  buildMemberFilter,
  listTagCounts,
  searchMembers,
  withSearchTags,
  type MemberSearchFilters,
} from '../../domain/members/member-search.service';
import {
  DEFAULT_EXPORT_FIELDS,
  EXPORT_FIELDS,
  EXPORT_FIELD_KEYS,
  exportMembersCsv,
} from '../../domain/imports/member-export.service';
import { listCities } from '../../domain/members/city-backfill.service';
import { tagMember, untagMember } from '../../domain/members/member-tags.service';
import { syncMemberRichMenu } from '../../domain/richmenus/richmenu-assign.service';
import { changeBirthdayByStaff } from '../../domain/members/profile-edit.service';
import {
  INTERACTION_TYPES,
  listInteractions,
  type InteractionType,
} from '../../domain/interactions/interaction.service';
import { listPointsHistory } from '../../domain/points/points.service';
import { requestManualAdjustment } from '../../domain/points/points-approval.service';
import { listCreditHistory, requestManualCredit } from '../../domain/credit/credit-manual.service';
import { listMemberPurchasesForRefund } from '../../domain/purchases/purchase-view.service';
import { presentMemberPurchases } from './presenters/purchases.presenter';
import { getProgramSettings } from '../../domain/program/settings.service';
import { buildAudienceFilter, getSegmentRule } from '../../domain/segments/segment.service';
import { badRequest, notFound } from '../../domain/shared/errors';
import { zonedDate } from '../../domain/shared/clock';
import { parseOrThrow } from '../../domain/shared/validation';
import { programContext } from '../../domain/shared/context';
import type { AppDeps } from '../../server/deps';
import {
  AddNoteRequestSchema,
  AddTagsRequestSchema,
  AdjustPointsRequestSchema,
  BirthdayUpdateRequestSchema,
  MemberExportQuerySchema,
  MemberSearchQuerySchema,
  PageQuerySchema,
  TimelineQuerySchema,
  type BirthdayUpdateResponse,
  type ExportFields,
} from '../contracts/console';
import type { PointsAdjustResult } from '../contracts/console';
import { audit, consoleLocals, requirePermission } from './console-context';
import { isObjectId } from '../../shared/ids';
import {
  presentMemberDetail,
  presentMemberPage,
  presentNote,
  presentNotes,
  presentPointsAdjustment,
  presentPointsHistory,
  presentTimeline,
} from './presenters/members.presenter';

type SearchInput = Omit<MemberSearchFilters, 'segmentFilter'> & { segmentId?: string };

/** Resolves a segment id into its live audience filter, so "filter by segment" means who is in it now. */
async function toFilters(deps: AppDeps, q: SearchInput): Promise<MemberSearchFilters> {
  const { segmentId, ...typed } = q;
  const rest = await withSearchTags(typed);
  if (!segmentId) return rest;
  const segmentFilter = await buildAudienceFilter(await getSegmentRule(segmentId), deps.clock(), {
    timeZone: deps.config.timeZone,
  });
  return { ...rest, segmentFilter };
}

/** /api/console/members: search, export, the member page, tags, notes, timeline, points. */
export function createMemberRoutes(deps: AppDeps): Router {
  const router = Router();
  // A malformed id names no member (404), rather than reaching a query as a cast error.
  router.param('id', (_req, _res, next, id) =>
    next(isObjectId(String(id)) ? undefined : notFound('找不到這位會員。', 'member_not_found')),
  );
  router.param('noteId', (_req, _res, next, id) =>
    next(isObjectId(String(id)) ? undefined : notFound('找不到這則備註。', 'note_not_found')),
  );

  router.get('/', requirePermission('members.read'), async (req, res) => {
    const { page, pageSize, sort, ...q } = parseOrThrow(MemberSearchQuerySchema, req.query);
    res.json(presentMemberPage(await searchMembers(await toFilters(deps, q), { page, pageSize, sort })));
  });

  router.get('/tags', requirePermission('members.read'), async (_req, res) => {
    res.json({ tags: await listTagCounts() });
  });

  router.get('/cities', requirePermission('members.read'), async (_req, res) => {
    res.json({ cities: await listCities() });
  });

  router.get('/export-fields', requirePermission('members.export'), (_req, res) => {
    res.json({
      fields: EXPORT_FIELDS.map((f) => ({ key: f.key, label: f.label, importable: f.importable })),
      defaults: DEFAULT_EXPORT_FIELDS,
    } satisfies ExportFields);
  });

  router.get('/export.csv', requirePermission('members.export'), async (req, res) => {
    const { fields, ...q } = parseOrThrow(MemberExportQuerySchema, req.query);
    const chosen = fields?.length ? fields : DEFAULT_EXPORT_FIELDS;
    const unknown = chosen.filter((f) => !EXPORT_FIELD_KEYS.includes(f));
    if (unknown.length) throw badRequest('unknown_export_field', `不認得的匯出欄位：${unknown.join('、')}`);
    const filter = buildMemberFilter(await toFilters(deps, q));
    // Exports carry personal data out of the system: audited before the first byte leaves.
    await audit(deps, req, res, { action: 'member.export', details: { filters: q, fields: chosen } });
    const name = `members-${zonedDate(deps.clock(), deps.config.timeZone)}.csv`;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    // pipeline: a failure mid-way destroys the response (the download ends in error, never silently short).
    pipeline(exportMembersCsv({ filter, fields: chosen, timeZone: deps.config.timeZone }), res, (err) => {
      if (err) deps.logger.warn({ err: err.message }, 'member export ended early');
    });
  });

  router.get('/:id', requirePermission('members.read'), async (req, res) => {
    res.json(presentMemberDetail(await getMemberDetail(String(req.params.id), programContext(deps))));
  });

  router.get('/:id/timeline', requirePermission('members.read'), async (req, res) => {
    const q = parseOrThrow(TimelineQuerySchema, req.query);
    const types = q.types?.filter((t): t is InteractionType => (INTERACTION_TYPES as readonly string[]).includes(t));
    const page = await listInteractions(String(req.params.id), { cursor: q.cursor, limit: q.limit, types });
    res.json(presentTimeline(page));
  });

  router.get('/:id/points', requirePermission('members.read'), async (req, res) => {
    const { page } = parseOrThrow(PageQuerySchema, req.query);
    res.json(presentPointsHistory(await listPointsHistory(String(req.params.id), { page, pageSize: 20 })));
  });

  router.post('/:id/points', requirePermission('points.adjust'), async (req, res) => {
    const out = await adjustPoints(deps, req.body, String(req.params.id), res, req);
    res.status(out.status).json(out.body);
  });

  // The member's orders, newest first, with what is still refundable (the refund itself: POST /purchases/:id/refund).
  router.get('/:id/purchases', requirePermission('members.read'), async (req, res) => {
    const { page } = parseOrThrow(PageQuerySchema, req.query);
    res.json(presentMemberPurchases(await listMemberPurchasesForRefund(String(req.params.id), { page, pageSize: 10 })));
  });

  // 購物金 (#16.2): the ledger card and manual grants/deductions (capped per role; over the cap held for an admin).
  router.get('/:id/credit', requirePermission('members.read'), async (req, res) => {
    const { page } = parseOrThrow(PageQuerySchema, req.query);
    res.json(await listCreditHistory(String(req.params.id), { page, pageSize: 20, now: deps.clock() }));
  });

  router.post('/:id/credit', requirePermission('points.adjust'), async (req, res) => {
    const out = await adjustCredit(deps, req.body, String(req.params.id), res, req);
    res.status(out.status).json(out.body);
  });

  router.post('/:id/tags', requirePermission('members.write'), async (req, res) => {
    const body = parseOrThrow(AddTagsRequestSchema, req.body);
    const id = String(req.params.id);
    const user = consoleLocals(res).session.user;
    const added = await tagMember(
      { now: deps.clock(), timeZone: deps.config.timeZone, logger: deps.logger },
      id,
      body.tags,
      'staff',
      user.displayName,
    );
    if (added.length) await syncMemberRichMenu(deps.messenger.richMenus, id, deps.clock(), 'tag');
    await audit(deps, req, res, {
      action: 'member.tag.add',
      target: { type: 'member', id },
      details: { tags: body.tags, added },
    });
    res.json({ added });
  });

  router.delete('/:id/tags/:tag', requirePermission('members.write'), async (req, res) => {
    const id = String(req.params.id);
    const tag = String(req.params.tag);
    const removed = await untagMember(
      { now: deps.clock(), timeZone: deps.config.timeZone, logger: deps.logger },
      id,
      tag,
    );
    if (removed) await syncMemberRichMenu(deps.messenger.richMenus, id, deps.clock(), 'tag');
    await audit(deps, req, res, {
      action: 'member.tag.remove',
      target: { type: 'member', id },
      details: { tag, removed },
    });
    res.json({ removed });
  });

  // The member sets the birthday once; after that only staff change it, here, audited (without the dates).
  router.put('/:id/birthday', requirePermission('members.write'), async (req, res) => {
    const id = String(req.params.id);
    const user = consoleLocals(res).session.user;
    const body = parseOrThrow(BirthdayUpdateRequestSchema, req.body);
    const result = await changeBirthdayByStaff({
      memberId: id,
      body,
      now: deps.clock(),
      timeZone: deps.config.timeZone,
      actor: user.id,
    });
    await audit(deps, req, res, {
      action: 'member.birthday.update',
      target: { type: 'member', id },
      details: { hadBirthday: result.hadBirthday, cleared: result.birthday === null },
    });
    res.json({ birthday: result.birthday } satisfies BirthdayUpdateResponse);
  });

  router.get('/:id/notes', requirePermission('members.read'), async (req, res) => {
    res.json({ notes: presentNotes(await listMemberNotes(String(req.params.id))) });
  });

  router.post('/:id/notes', requirePermission('members.write'), async (req, res) => {
    const body = parseOrThrow(AddNoteRequestSchema, req.body);
    const user = consoleLocals(res).session.user;
    const note = await addMemberNote(
      String(req.params.id),
      body.body,
      { id: user.id, name: user.displayName },
      deps.clock(),
    );
    await audit(deps, req, res, {
      action: 'member.note.add',
      target: { type: 'member', id: String(req.params.id) },
      details: { noteId: note.id, length: note.body.length },
    });
    res.status(201).json({ note: presentNote(note) });
  });

  router.delete('/:id/notes/:noteId', requirePermission('members.write'), async (req, res) => {
    const user = consoleLocals(res).session.user;
    const note = await deleteMemberNote(
      String(req.params.id),
      String(req.params.noteId),
      { id: user.id, isAdmin: user.role === 'admin' },
      deps.clock(),
    );
    await audit(deps, req, res, {
      action: 'member.note.delete',
      target: { type: 'member', id: String(req.params.id) },
      details: { noteId: note.id },
    });
    res.json({ ok: true });
  });

  return router;
}

/**
 * Manual points with a required reason; shared by the member page and the counter. Over the requester's cap
 * (counter settings) the adjustment is held for an admin's approval and nothing changes (202).
 */
export async function adjustPoints(
  deps: AppDeps,
  rawBody: unknown,
  memberId: string,
  res: Response,
  req: Parameters<typeof audit>[1],
): Promise<{ status: 200 | 202; body: PointsAdjustResult }> {
  const body = parseOrThrow(AdjustPointsRequestSchema, rawBody);
  const user = consoleLocals(res).session.user;
  const outcome = await requestManualAdjustment({
    memberId,
    delta: body.delta,
    reason: body.reason,
    actor: { id: user.id, name: user.displayName, role: user.role, storeId: user.storeId },
    key: body.key,
    now: deps.clock(),
    timeZone: deps.config.timeZone,
    caps: (await getProgramSettings()).counter,
  });
  if (outcome.kind === 'pending') {
    await audit(deps, req, res, {
      action: 'points.approval.request',
      target: { type: 'member', id: memberId },
      details: {
        approvalId: outcome.approval.id,
        delta: body.delta,
        reason: body.reason,
        cap: outcome.approval.cap,
        duplicate: outcome.duplicate,
      },
    });
    return {
      status: 202,
      body: {
        balance: outcome.balance,
        duplicate: outcome.duplicate,
        entryId: '',
        pendingApproval: outcome.approval,
      },
    };
  }
  const result = outcome.result;
  await audit(deps, req, res, {
    action: 'member.points.adjust',
    target: { type: 'member', id: memberId },
    details: { delta: body.delta, reason: body.reason, duplicate: result.duplicate, balance: result.balance },
  });
  return { status: 200, body: presentPointsAdjustment(result) };
}

/**
 * Manual 購物金 with a required reason; shared by the member page and the counter (as `adjustPoints`). Over the
 * requester's cap (settings `credit.manualGrantCap`) it is held for an admin's approval and nothing changes (202).
 */
export async function adjustCredit(
  deps: AppDeps,
  rawBody: unknown,
  memberId: string,
  res: Response,
  req: Parameters<typeof audit>[1],
): Promise<{ status: 200 | 202; body: object }> {
  const user = consoleLocals(res).session.user;
  const out = await requestManualCredit({
    memberId,
    body: rawBody,
    actor: { id: user.id, name: user.displayName, role: user.role, storeId: user.storeId },
    now: deps.clock(),
    timeZone: deps.config.timeZone,
  });
  const body = rawBody as { delta?: unknown; reason?: unknown } | undefined;
  if (out.kind === 'pending') {
    await audit(deps, req, res, {
      action: 'credit.approval.request',
      target: { type: 'member', id: memberId },
      details: {
        approvalId: out.approval.id,
        delta: out.approval.delta,
        reason: out.approval.reason,
        cap: out.approval.cap,
        duplicate: out.duplicate,
      },
    });
    return {
      status: 202,
      body: { balance: out.balance, duplicate: out.duplicate, entryId: '', pendingApproval: out.approval },
    };
  }
  await audit(deps, req, res, {
    action: 'member.credit.adjust',
    target: { type: 'member', id: memberId },
    details: {
      delta: body?.delta,
      reason: body?.reason,
      duplicate: out.result.duplicate,
      balance: out.result.balance,
    },
  });
  return { status: 200, body: out.result };
}
