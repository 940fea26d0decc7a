import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { syncMemberCounters } from '../reports/member-counters.service';
import { normalizeTaiwanMobile } from '../shared/phone';
import { badRequest, notFound } from '../shared/errors';
import type { ParsedPurchase } from './purchase-input';

export interface PurchaseMember {
  _id: Types.ObjectId;
  memberCode: string;
  tier?: { code?: string | null } | null;
  erasedAt?: Date | null;
  /** Read for the pre-check of paying with them (the take re-checks atomically). */
  creditBalance?: number | null;
  pointsBalance?: number | null;
}
export type MatchedBy = 'lineUserId' | 'memberCode' | 'phone' | 'memberId';

/** Finds the member a purchase belongs to; unknown → 404 `member_not_found` (nothing is stored). */
export async function resolvePurchaseMember(
  ref: ParsedPurchase['member'],
): Promise<{ member: PurchaseMember; matchedBy: MatchedBy }> {
  let filter: Record<string, unknown>;
  let matchedBy: MatchedBy;
  if (ref.lineUserId) [filter, matchedBy] = [{ lineUserId: ref.lineUserId }, 'lineUserId'];
  else if (ref.memberCode) [filter, matchedBy] = [{ memberCode: ref.memberCode }, 'memberCode'];
  else if (ref.memberId) [filter, matchedBy] = [{ _id: ref.memberId }, 'memberId'];
  else {
    const phone = normalizeTaiwanMobile(ref.phone ?? '');
    if (!phone)
      throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', {
        fields: [{ path: 'member.phone', message: '手機號碼格式不正確（應為 09 開頭的 10 碼）' }],
      });
    [filter, matchedBy] = [{ phone }, 'phone'];
  }
  const found = await Member.findOne(
    { ...filter, erasedAt: null },
    { memberCode: 1, tier: 1, erasedAt: 1, mergedInto: 1, creditBalance: 1, pointsBalance: 1 },
  ).lean();
  // An order for a merged imported member (its old code or phone) belongs to the LINE member it was merged into.
  const member = found?.mergedInto
    ? await Member.findOne(
        { _id: found.mergedInto, erasedAt: null },
        { memberCode: 1, tier: 1, erasedAt: 1, creditBalance: 1, pointsBalance: 1 },
      ).lean()
    : found;
  if (!member) throw notFound('找不到這位會員，請確認會員資料。', 'member_not_found');
  return { member, matchedBy };
}

/**
 * Purchase count, net spend, first/last purchase date: one atomic update per purchase or refund, guarded by a
 * key kept on the member (like the points ledger), so a replay never counts twice. The average is then set
 * only if the totals it was computed from are still current. When this call applied the change (not a replay): the
 * member's first purchase date after it (for the new vs returning revenue counters); false for a replay.
 */
export async function applyStatsChange(
  memberId: Types.ObjectId,
  key: string,
  change: { count: number; spend: number; at?: Date },
): Promise<false | { firstPurchaseAt: Date | null }> {
  const update: Record<string, unknown> = {
    $inc: { 'stats.purchaseCount': change.count, 'stats.totalSpend': change.spend },
    $push: { statsKeys: { $each: [key], $slice: -200 } },
  };
  if (change.at) {
    update.$min = { 'stats.firstPurchaseAt': change.at };
    update.$max = { 'stats.lastPurchaseAt': change.at };
  }
  const after = await Member.findOneAndUpdate({ _id: memberId, statsKeys: { $ne: key } }, update, {
    returnDocument: 'after',
    projection: { stats: 1 },
  }).lean();
  if (!after?.stats) return false;
  const count = after.stats.purchaseCount ?? 0;
  const total = after.stats.totalSpend ?? 0;
  await Member.updateOne(
    { _id: memberId, 'stats.purchaseCount': count, 'stats.totalSpend': total },
    { $set: { 'stats.averageOrder': count > 0 ? Math.round(total / count) : 0 } },
  );
  if (change.count) await syncMemberCounters(memberId);
  return { firstPurchaseAt: after.stats.firstPurchaseAt ?? null };
}
