import { z } from 'zod';
import { Member } from '../../models/member.model';
import type { ConsoleRole } from '../../models/console-user.model';
import { getProgramSettings } from '../program/settings.service';
import { zonedTimeToUtc } from '../shared/clock';
import { notFound, validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { objectIdSchema } from '../../shared/ids';
import { holdForApproval, type ApprovalActor, type HeldApproval } from '../points/points-approval.service';
import type { CreditSettings } from './credit-settings.schema';
import { CreditEntry } from '../../models/credit-entry.model';
import { changeCredit, creditExpiry, getCreditSummary, type CreditResult } from './credit.service';

export const ManualCreditSchema = z.object({
  memberId: objectIdSchema(),
  delta: z
    .number()
    .int('購物金必須是整數（新台幣元）')
    .refine((d) => d !== 0, '購物金不可為 0')
    .refine((d) => Math.abs(d) <= 1_000_000, '單次調整不可超過 NT$1,000,000'),
  reason: z.string().trim().min(2, '請填寫調整原因').max(200, '原因請在 200 字以內'),
  key: z.string().trim().min(8, '需要一個唯一的請求識別碼').max(200),
  /** Optional last valid day (YYYY-MM-DD, the program's time zone) of a grant; default: settings' manual days. */
  expiresOn: z.iso.date('到期日格式應為 YYYY-MM-DD').optional(),
});

/** The largest manual credit change (either way, NT$) a role may make without an admin's approval. */
export function manualCreditCap(role: ConsoleRole, caps: CreditSettings['manualGrantCap']): number {
  return caps[role];
}

export type ManualCreditOutcome = { kind: 'applied'; result: CreditResult } | HeldApproval;

/**
 * A manual 購物金 grant or deduction with a required reason. Within the requester's cap (settings `credit.
 * manualGrantCap`) it is applied at once through `changeCredit` (key `manual-credit:<key>`); above it, it is held
 * in the same approval queue as points (kind `credit`) and changes nothing until an admin approves. Idempotent.
 */
export async function requestManualCredit(input: {
  memberId: string;
  body: unknown;
  actor: ApprovalActor;
  now: Date;
  timeZone: string;
}): Promise<ManualCreditOutcome> {
  const v = parseOrThrow(ManualCreditSchema, { ...(input.body as object), memberId: input.memberId });
  let expiresAt: Date | undefined;
  if (v.expiresOn) {
    if (v.delta < 0) throw validationError([{ path: 'expiresOn', message: '扣除購物金不需要到期日' }]);
    expiresAt = zonedTimeToUtc(v.expiresOn, '23:59', input.timeZone);
    if (expiresAt <= input.now) throw validationError([{ path: 'expiresOn', message: '到期日必須在今天之後' }]);
  }
  const settings = (await getProgramSettings()).credit;
  const cap = manualCreditCap(input.actor.role, settings.manualGrantCap);
  const member = await Member.findOne({ _id: v.memberId, erasedAt: null }, { creditBalance: 1 }).lean();
  if (!member) throw notFound('找不到這位會員。', 'member_not_found');
  if (Math.abs(v.delta) <= cap) {
    const result = await changeCredit({
      memberId: v.memberId,
      delta: v.delta,
      reason: 'manual',
      key: `manual-credit:${v.key}`,
      actor: input.actor.id,
      note: v.reason,
      expiresAt: v.delta > 0 ? (expiresAt ?? creditExpiry(input.now, settings.manualValidDays)) : null,
      now: input.now,
      ...(input.actor.storeId ? { refs: { storeId: input.actor.storeId } } : {}),
    });
    return { kind: 'applied', result };
  }
  return holdForApproval({
    kind: 'credit',
    memberId: v.memberId,
    delta: v.delta,
    reason: v.reason,
    key: `credit:${v.key}`,
    cap,
    ...(expiresAt ? { expiresAt } : {}),
    actor: input.actor,
    now: input.now,
    balance: member.creditBalance ?? 0,
  });
}

/** The member page's 購物金 card: balance, the soonest expiry and the ledger newest first, paged. */
export async function listCreditHistory(memberId: string, opts: { page: number; pageSize: number; now: Date }) {
  const member = await Member.findById(memberId, { creditBalance: 1 }).lean();
  if (!member) throw notFound('找不到這位會員。', 'member_not_found');
  const [items, total, summary] = await Promise.all([
    CreditEntry.find({ memberId })
      .sort({ at: -1 })
      .skip((opts.page - 1) * opts.pageSize)
      .limit(opts.pageSize)
      .lean(),
    CreditEntry.countDocuments({ memberId }),
    getCreditSummary(memberId, opts.now, member.creditBalance ?? 0),
  ]);
  return {
    balance: summary.balance,
    soonestExpiring: summary.expiring
      ? { amount: summary.expiring.amount, expiresAt: summary.expiring.expiresAt.toISOString() }
      : null,
    items: items.map((e) => ({
      id: String(e._id),
      delta: e.delta,
      reason: e.reason,
      note: e.note ?? null,
      at: e.at.toISOString(),
      expiresAt: e.delta > 0 && e.expiresAt ? e.expiresAt.toISOString() : null,
    })),
    total,
    page: opts.page,
    pageSize: opts.pageSize,
  };
}
