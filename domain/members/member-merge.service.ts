import type { Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import { Interaction } from '../../models/interaction.model';
import { inheritPriorRewards } from './erasure-registry.service';
import { maskPhone } from '../shared/phone';
import { settlePhoneProposal } from './member-phone-proposals.service';
import { Member } from '../../models/member.model';
import { syncMemberCounters } from '../reports/member-counters.service';
import { MemberNote } from '../../models/member-note.model';
import { PointsEntry } from '../../models/points-entry.model';
import { Purchase } from '../../models/purchase.model';
import { SurveyResponse } from '../../models/survey.model';
import { buildMemberFilter } from './member-search.service';
import { recordInteraction } from '../interactions/interaction.service';
import { moveLinkCodes } from '../campaigns/tracked-links.service';
import { changePoints, loadLots } from '../points/points.service';
import { AppError, badRequest, conflict, notFound } from '../shared/errors';
import { compareMergeFields, MERGE_FIELD_KEYS, mergeFieldSet, type MergeFieldRow } from './member-merge-fields';
import { isObjectId } from '../../shared/ids';

/**
 * 合併會員: an imported member (from a POS/CRM CSV, no LINE userId) is folded into the LINE member the same customer
 * became. MongoDB has no transactions here, so the merge is a sequence of idempotent steps recorded on the source
 * (`merge.stepsDone`): the first step claims the source (`mergedInto`, status `merged`, so new activity and lists
 * already see only the target), and calling `mergeMembers` again after a crash resumes where it stopped.
 */
export const MERGE_STEPS = ['fields', 'phone', 'tags', 'documents', 'points', 'stats'] as const;
export type MergeStep = (typeof MERGE_STEPS)[number];

export interface MergeInput {
  targetId: string;
  sourceId: string;
  /** Conflicting fields for which the source's value wins (see MERGE_FIELDS). */
  fieldChoices?: string[];
  actor: string;
  now: Date;
  /** The erasure registry's HMAC key: a phone that moves to the LINE member may belong to an erased membership. */
  erasureSecret: string;
  /** Test seam: called after each finished step (throwing here simulates a crash midway). */
  afterStep?: (step: MergeStep) => void | Promise<void>;
}

export interface MergePreview {
  target: MergeMemberSummary;
  source: MergeMemberSummary;
  fields: MergeFieldRow[];
  tagsToAdd: string[];
  moves: { purchases: number; coupons: number; interactions: number; notes: number; surveys: number; points: number };
  /** The source's phone moves to the target (which has none); otherwise it stays on the merged record. */
  phoneMoves: boolean;
}
export interface MergeMemberSummary {
  id: string;
  memberCode: string;
  displayName: string;
  name: string | null;
  /** `0912***678`: staff never see a full number. */
  phoneMasked: string | null;
  status: string;
  pointsBalance: number;
  purchaseCount: number;
}
export interface MergeResult {
  targetId: string;
  sourceId: string;
  alreadyMerged: boolean;
  pointsMoved: number;
  moved: MergePreview['moves'];
  tagsAdded: string[];
  fieldsSet: string[];
}

type MemberLean = NonNullable<Awaited<ReturnType<typeof loadMember>>>;
const loadMember = (id: string) => Member.findById(id).lean();

/** Imported members (no LINE userId, not merged) matching a phone, name or member code: who can be merged. */
export async function searchMergeCandidates(q: string, limit = 20): Promise<MergeMemberSummary[]> {
  const filter = { $and: [buildMemberFilter({ q, status: 'imported' }), { lineUserId: null }] };
  const docs = await Member.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
  return docs.map(summary);
}

/** What a merge would move, and where the two records disagree. Refuses what `mergeMembers` would refuse. */
export async function previewMemberMerge(input: { targetId: string; sourceId: string }): Promise<MergePreview> {
  const { target, source } = await loadPair(input.targetId, input.sourceId);
  if (source.mergedInto) throw conflict('merge_source_merged', '這筆匯入資料已經合併過了。');
  const have = new Set((target.tags ?? []).map((t) => t.tag));
  return {
    target: summary(target),
    source: summary(source),
    fields: compareMergeFields(source, target),
    tagsToAdd: (source.tags ?? []).map((t) => t.tag).filter((t) => !have.has(t)),
    moves: { ...(await countDocuments(source._id)), points: source.pointsBalance ?? 0 },
    phoneMoves: Boolean(source.phone) && !target.phone,
  };
}

/**
 * Merges the imported member `sourceId` into the LINE member `targetId`. Idempotent: a repeat after success returns
 * `alreadyMerged: true` and changes nothing; a repeat after an interruption finishes the remaining steps with the
 * field choices made the first time.
 */
export async function mergeMembers(input: MergeInput): Promise<MergeResult> {
  const choices = [...new Set(input.fieldChoices ?? [])];
  const unknown = choices.filter((c) => !MERGE_FIELD_KEYS.includes(c));
  if (unknown.length) throw badRequest('merge_unknown_field', `不認得的欄位：${unknown.join('、')}`);
  const { target, source: loaded } = await loadPair(input.targetId, input.sourceId);
  if (loaded.merge?.completedAt) {
    if (String(loaded.mergedInto) !== String(target._id))
      throw conflict('merge_source_merged', '這筆匯入資料已經合併到另一位會員。');
    await syncMemberCounters(loaded._id);
    await syncMemberCounters(target._id);
    return {
      targetId: String(target._id),
      sourceId: String(loaded._id),
      alreadyMerged: true,
      pointsMoved: loaded.merge.points ?? 0,
      moved: emptyMoves(),
      tagsAdded: [],
      fieldsSet: [],
    };
  }
  const source = await claim(loaded, target, choices, input);
  const done = new Set(source.merge?.stepsDone ?? []);
  const result: MergeResult = {
    targetId: String(target._id),
    sourceId: String(source._id),
    alreadyMerged: false,
    pointsMoved: 0,
    moved: emptyMoves(),
    tagsAdded: [],
    fieldsSet: [],
  };
  const chosen = source.merge?.fieldChoices ?? [];
  const steps: Record<MergeStep, () => Promise<void>> = {
    fields: async () => {
      result.fieldsSet = await mergeFields(source, target._id, chosen);
    },
    phone: async () => {
      await movePhone(source, target._id, input.erasureSecret);
      // Staff merged the pair a phone proposal named (「可能是同一人」, member-phone-proposals.service.ts).
      await settlePhoneProposal(target._id, source._id);
    },
    tags: async () => {
      result.tagsAdded = await mergeTags(source, target._id);
    },
    documents: async () => {
      result.moved = { ...(await repointDocuments(source._id, target._id)), points: 0 };
    },
    points: async () => {
      result.pointsMoved = await movePoints(source, target._id, input);
    },
    stats: () => recomputeStats(target._id),
  };
  for (const step of MERGE_STEPS) {
    if (done.has(step)) continue;
    await steps[step]();
    await Member.updateOne({ _id: source._id }, { $addToSet: { 'merge.stepsDone': step } });
    await input.afterStep?.(step);
  }
  result.moved.points = result.pointsMoved;
  await Member.updateOne(
    { _id: source._id, 'merge.completedAt': null },
    {
      $set: {
        'merge.completedAt': input.now,
        'stats.purchaseCount': 0,
        'stats.totalSpend': 0,
        'stats.averageOrder': 0,
      },
    },
  );
  await syncMemberCounters(source._id);
  await syncMemberCounters(target._id);
  await recordInteraction({
    memberId: target._id,
    type: 'event',
    channel: 'console',
    at: input.now,
    key: `merge:${source._id}`,
    summary: `合併匯入的會員資料（會員編號 ${source.memberCode}）`,
    refs: { sourceId: String(source._id), actor: input.actor },
  });
  return result;
}

async function loadPair(targetId: string, sourceId: string): Promise<{ target: MemberLean; source: MemberLean }> {
  if (!isObjectId(targetId) || !isObjectId(sourceId)) throw notFound('找不到這位會員。', 'member_not_found');
  if (targetId === sourceId) throw badRequest('merge_same_member', '不能把會員合併到自己。');
  const [target, source] = await Promise.all([loadMember(targetId), loadMember(sourceId)]);
  if (!target || !source) throw notFound('找不到這位會員。', 'member_not_found');
  if (target.erasedAt || source.erasedAt) throw conflict('merge_member_erased', '已刪除個人資料的會員不能合併。');
  if (!target.lineUserId) throw conflict('merge_target_not_line', '只能合併到已加入 LINE 好友的會員。');
  if (target.mergedInto || target.status === 'merged')
    throw conflict('merge_target_merged', '這位會員的資料已合併到另一位會員，不能再作為合併對象。');
  if (target.status === 'blocked')
    throw conflict('merge_target_blocked', '這位會員已封鎖官方帳號，請在對方重新加入好友後再合併。');
  if (source.lineUserId)
    throw conflict('merge_source_has_line', '這位會員已有 LINE 帳號，只能合併尚未加入好友的匯入會員。');
  if (source.status === 'blocked') throw conflict('merge_source_blocked', '這位會員狀態為已封鎖，不能合併。');
  if (source.mergedInto && String(source.mergedInto) !== String(target._id))
    throw conflict('merge_source_merged', '這筆匯入資料已經合併到另一位會員。');
  return { target, source };
}

/** Step 0: marks the source as being merged into the target (atomically, so two marketers cannot race). */
async function claim(
  source: MemberLean,
  target: MemberLean,
  choices: string[],
  input: MergeInput,
): Promise<MemberLean> {
  if (!source.mergedInto) {
    const claimed = await Member.findOneAndUpdate(
      { _id: source._id, mergedInto: null, lineUserId: null, erasedAt: null },
      {
        $set: {
          mergedInto: target._id,
          status: 'merged',
          merge: {
            targetId: target._id,
            startedAt: input.now,
            actor: input.actor,
            fieldChoices: choices,
            stepsDone: [],
            phone: source.phone ?? undefined,
          },
        },
      },
      { returnDocument: 'after' },
    ).lean();
    if (claimed) return claimed;
    const again = await loadMember(String(source._id));
    if (!again || String(again.mergedInto) !== String(target._id))
      throw conflict('merge_source_merged', '這筆匯入資料剛剛被合併或修改了，請重新整理。');
    return again;
  }
  return source;
}

async function mergeFields(source: MemberLean, targetId: Types.ObjectId, chosen: readonly string[]): Promise<string[]> {
  const target = await loadMember(String(targetId));
  const set = mergeFieldSet(source, target!, chosen);
  if (Object.keys(set).length) await Member.updateOne({ _id: targetId }, { $set: set });
  return Object.keys(set).filter((k) => k !== 'birthMonth');
}

/**
 * The phone index is unique: clear it on the source first, then give it to the target (only if it has none). A
 * phone of an erased membership brings its one-time rewards along (erasure registry), so a new LINE account plus
 * the old phone number is not a way around it either.
 */
async function movePhone(source: MemberLean, targetId: Types.ObjectId, erasureSecret: string): Promise<void> {
  const phone = source.merge?.phone;
  if (!phone) return;
  const target = await Member.findById(targetId, { phone: 1 }).lean();
  if (target?.phone && target.phone !== phone) return;
  await Member.updateOne({ _id: source._id, phone }, { $unset: { phone: 1 } });
  await Member.updateOne({ _id: targetId, phone: null }, { $set: { phone } });
  await inheritPriorRewards(erasureSecret, targetId, { phone });
}

async function mergeTags(source: MemberLean, targetId: Types.ObjectId): Promise<string[]> {
  const added: string[] = [];
  for (const t of source.tags ?? []) {
    const res = await Member.updateOne({ _id: targetId, 'tags.tag': { $ne: t.tag } }, { $push: { tags: t } });
    if (res.modifiedCount) added.push(t.tag);
  }
  return added;
}

async function countDocuments(memberId: Types.ObjectId) {
  const [purchases, coupons, interactions, notes, surveys] = await Promise.all([
    Purchase.countDocuments({ memberId }),
    Coupon.countDocuments({ memberId }),
    Interaction.countDocuments({ memberId }),
    MemberNote.countDocuments({ memberId }),
    SurveyResponse.countDocuments({ memberId }),
  ]);
  return { purchases, coupons, interactions, notes, surveys };
}

/** Re-points the source's history at the target. The points ledger stays per member (see movePoints). */
async function repointDocuments(sourceId: Types.ObjectId, targetId: Types.ObjectId) {
  const moved = { purchases: 0, coupons: 0, interactions: 0, notes: 0, surveys: 0 };
  moved.purchases = (await Purchase.updateMany({ memberId: sourceId }, { $set: { memberId: targetId } })).modifiedCount;
  moved.interactions = (
    await Interaction.updateMany({ memberId: sourceId }, { $set: { memberId: targetId } })
  ).modifiedCount;
  moved.notes = (await MemberNote.updateMany({ memberId: sourceId }, { $set: { memberId: targetId } })).modifiedCount;
  moved.surveys = (
    await SurveyResponse.updateMany({ memberId: sourceId }, { $set: { memberId: targetId } })
  ).modifiedCount;
  for (const c of await Coupon.find({ memberId: sourceId }, { templateId: 1, slot: 1 }).lean()) {
    if (await moveCoupon(c, sourceId, targetId)) moved.coupons += 1;
  }
  // Link codes in messages already sent keep working, for the kept member.
  await moveLinkCodes(sourceId, targetId);
  return moved;
}

/**
 * A coupon keeps its code and offer. (template, member, slot) is unique: when the target already holds the same
 * slot of that template, the moved coupon takes the next free slot (the customer really holds both).
 */
async function moveCoupon(
  c: { _id: Types.ObjectId; templateId?: Types.ObjectId | null; slot?: number | null },
  sourceId: Types.ObjectId,
  targetId: Types.ObjectId,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = await Coupon.updateOne({ _id: c._id, memberId: sourceId }, { $set: { memberId: targetId } });
      return res.modifiedCount === 1;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const top = await Coupon.findOne({ templateId: c.templateId, memberId: targetId }, { slot: 1 })
        .sort({ slot: -1 })
        .lean();
      await Coupon.updateOne({ _id: c._id, memberId: sourceId }, { $set: { slot: (top?.slot ?? 0) + 1 } });
    }
  }
  throw new AppError('merge_coupon_conflict', 409, '搬移優惠券時發生衝突，請再試一次。');
}

/**
 * The source's balance leaves its ledger (`merge:<sourceId>:out`) and enters the target's (`merge:<sourceId>:in`)
 * through changePoints, so both ledgers keep matching their balances. The amount is planned (and saved) before the
 * out entry, so a resumed merge moves exactly what left. The moved points expire with the source's latest lot.
 */
async function movePoints(source: MemberLean, targetId: Types.ObjectId, input: MergeInput): Promise<number> {
  const outKey = `merge:${source._id}:out`;
  const outApplied =
    (await PointsEntry.exists({ key: outKey })) || (await Member.exists({ _id: source._id, pointKeys: outKey }));
  let points: number;
  let expiresAt: Date | null;
  if (outApplied) {
    const m = await Member.findById(source._id, { merge: 1 }).lean();
    points = m?.merge?.points ?? 0;
    expiresAt = m?.merge?.pointsExpiresAt ?? null;
  } else {
    const fresh = await Member.findById(source._id, { pointsBalance: 1 }).lean();
    points = Math.max(0, fresh?.pointsBalance ?? 0);
    const lots = await loadLots(source._id);
    expiresAt = lots.some((l) => !l.expiresAt)
      ? null
      : lots.reduce<Date | null>((max, l) => (!max || l.expiresAt! > max ? l.expiresAt : max), null);
    await Member.updateOne(
      { _id: source._id },
      { $set: { 'merge.points': points, 'merge.pointsExpiresAt': expiresAt ?? undefined } },
    );
  }
  if (points <= 0) return 0;
  const common = {
    reason: 'merge' as const,
    actor: input.actor,
    now: input.now,
    refs: { sourceId: String(source._id), targetId: String(targetId) },
  };
  await changePoints({ ...common, memberId: source._id, delta: -points, key: outKey, note: '合併到 LINE 會員' });
  await changePoints({
    ...common,
    memberId: targetId,
    delta: points,
    key: `merge:${source._id}:in`,
    note: `來自匯入會員 ${source.memberCode}`,
    expiresAt,
  });
  return points;
}

/** Purchase count, net spend and first/last purchase of the target, from its purchases (now including the source's). */
async function recomputeStats(targetId: Types.ObjectId): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await Member.findById(targetId, { stats: 1 }).lean();
    const purchases = await Purchase.find(
      { memberId: targetId },
      { amount: 1, refundedAmount: 1, status: 1, at: 1 },
    ).lean();
    const counted = purchases.filter((p) => p.status !== 'refunded');
    const count = counted.length;
    const total = purchases.reduce((s, p) => s + p.amount - (p.refundedAmount ?? 0), 0);
    const times = counted.map((p) => p.at.getTime());
    const stats = {
      purchaseCount: count,
      totalSpend: total,
      averageOrder: count > 0 ? Math.round(total / count) : 0,
      firstPurchaseAt: times.length ? new Date(Math.min(...times)) : undefined,
      lastPurchaseAt: times.length ? new Date(Math.max(...times)) : undefined,
    };
    // Conditional on the totals read, so a purchase recorded meanwhile is not overwritten: re-read and retry.
    const res = await Member.updateOne(
      {
        _id: targetId,
        'stats.purchaseCount': before?.stats?.purchaseCount ?? 0,
        'stats.totalSpend': before?.stats?.totalSpend ?? 0,
      },
      { $set: { stats } },
    );
    if (res.matchedCount) return;
  }
  throw conflict('merge_stats_busy', '會員消費統計正在更新，請稍後再試一次合併。');
}

function summary(m: MemberLean): MergeMemberSummary {
  return {
    id: String(m._id),
    memberCode: m.memberCode,
    displayName: m.displayName ?? '',
    name: m.name ?? null,
    phoneMasked: m.phone ? maskPhone(m.phone) : null,
    status: m.status ?? 'active',
    pointsBalance: m.pointsBalance ?? 0,
    purchaseCount: m.stats?.purchaseCount ?? 0,
  };
}

const emptyMoves = (): MergePreview['moves'] => ({
  purchases: 0,
  coupons: 0,
  interactions: 0,
  notes: 0,
  surveys: 0,
  points: 0,
});
