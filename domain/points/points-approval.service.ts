import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { PointsApproval, type PointsApprovalDoc } from '../../models/points-approval.model';
import type { ConsoleRole } from '../../models/console-user.model';
import type { CounterSettings } from '../counter/counter-settings.schema';
import { conflict, notFound } from '../shared/errors';
import { isObjectId } from '../../shared/ids';
import { adjustPointsManually, ManualAdjustmentSchema, type PointsResult } from './points.service';
import { parseOrThrow } from '../shared/validation';
import { changeCredit, creditExpiry, type CreditResult } from '../credit/credit.service';
import { getProgramSettings } from '../program/settings.service';

export interface ApprovalActor {
  id: string;
  name?: string;
  role: ConsoleRole;
  storeId?: string;
}

export interface PointsApprovalView {
  id: string;
  kind: 'points' | 'credit';
  expiresAt: string | null;
  memberId: string;
  delta: number;
  reason: string;
  cap: number;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: { id: string; name: string | null; role: string | null };
  requestedAt: string;
  decidedBy: { id: string; name: string | null } | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** The largest adjustment (either way) a role may make without an admin; admins have no cap. */
export function manualPointsCap(role: ConsoleRole, caps: CounterSettings): number {
  if (role === 'admin') return Infinity;
  return role === 'staff' ? caps.staffPointsCap : caps.marketerPointsCap;
}

export type ManualRequestResult = { kind: 'applied'; result: PointsResult } | HeldApproval;

/**
 * A manual adjustment from the member page or the counter. Within the requester's cap it is applied at once;
 * above it, it is stored as a pending approval and changes nothing. Idempotent by `key` either way.
 */
export async function requestManualAdjustment(input: {
  memberId: string;
  delta: number;
  reason: string;
  key: string;
  actor: ApprovalActor;
  now: Date;
  timeZone: string;
  caps: CounterSettings;
}): Promise<ManualRequestResult> {
  const v = parseOrThrow(ManualAdjustmentSchema, {
    memberId: input.memberId,
    delta: input.delta,
    reason: input.reason,
    actor: input.actor.id,
    key: input.key,
  });
  const cap = manualPointsCap(input.actor.role, input.caps);
  if (Math.abs(v.delta) <= cap) {
    return {
      kind: 'applied',
      result: await adjustPointsManually({
        ...v,
        now: input.now,
        timeZone: input.timeZone,
        storeId: input.actor.storeId,
      }),
    };
  }
  const member = await Member.findOne({ _id: v.memberId, erasedAt: null }, { pointsBalance: 1 }).lean();
  if (!member) throw notFound('找不到這位會員。', 'member_not_found');
  const balance = member.pointsBalance ?? 0;
  return holdForApproval({
    kind: 'points',
    memberId: v.memberId,
    delta: v.delta,
    reason: v.reason,
    key: v.key,
    cap,
    actor: input.actor,
    now: input.now,
    balance,
  });
}

export type HeldApproval = { kind: 'pending'; approval: PointsApprovalView; duplicate: boolean; balance: number };

/**
 * Stores a manual change over the requester's cap as a pending approval (points or credit), changing nothing
 * else. Idempotent by `key`: a repeat, or a race lost on the unique key, answers the request already held.
 */
export async function holdForApproval(input: {
  kind: 'points' | 'credit';
  memberId: string;
  delta: number;
  reason: string;
  key: string;
  cap: number;
  expiresAt?: Date;
  actor: ApprovalActor;
  now: Date;
  balance: number;
}): Promise<HeldApproval> {
  const { key, balance } = input;
  const found = await PointsApproval.findOne({ key }).lean();
  if (found) return { kind: 'pending', approval: toApprovalView(found as PointsApprovalDoc), duplicate: true, balance };
  try {
    const doc = await PointsApproval.create({
      ...(input.kind === 'credit' ? { kind: 'credit' } : {}),
      memberId: input.memberId,
      delta: input.delta,
      reason: input.reason,
      key,
      cap: input.cap,
      ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
      ...(input.actor.storeId ? { storeId: input.actor.storeId } : {}),
      requestedBy: { id: input.actor.id, name: input.actor.name, role: input.actor.role },
      requestedAt: input.now,
    });
    return {
      kind: 'pending',
      approval: toApprovalView(doc.toObject() as PointsApprovalDoc),
      duplicate: false,
      balance,
    };
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const again = (await PointsApproval.findOne({ key }).lean()) as PointsApprovalDoc;
    return { kind: 'pending', approval: toApprovalView(again), duplicate: true, balance };
  }
}

/**
 * An admin approves a held adjustment: the claim (`pending` → `approved`) is one conditional update, then the
 * points move once through `changePoints` under `manual:approval:<id>`. A second approval (or a retry after a
 * crash between the two writes) re-runs the keyed change, which is a no-op, and reports `replayed`. A debit the
 * balance no longer covers is refused and the request goes back to pending, so nothing is half-done.
 */
export async function approveAdjustment(input: {
  approvalId: string;
  actor: ApprovalActor;
  note?: string;
  now: Date;
  timeZone: string;
}): Promise<{ approval: PointsApprovalView; balance: number; replayed: boolean }> {
  const a = await loadApproval(input.approvalId);
  if (a.status === 'rejected') throw conflict('approval_rejected', '這筆申請已被退回，無法核准。');
  // Four eyes: whoever asked over their cap cannot approve it (a replay of an approved one stays a no-op).
  if (a.status === 'pending' && a.requestedBy?.id === input.actor.id)
    throw conflict('approval_self', '不能核准自己提出的申請，請由另一位管理員核准。');
  const claimed = await PointsApproval.findOneAndUpdate(
    { _id: a._id, status: 'pending' },
    {
      $set: {
        status: 'approved',
        decidedBy: { id: input.actor.id, name: input.actor.name },
        decidedAt: input.now,
        ...(input.note ? { decisionNote: input.note } : {}),
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!claimed) {
    const fresh = (await PointsApproval.findById(a._id).lean()) as PointsApprovalDoc;
    if (fresh.status === 'rejected') throw conflict('approval_rejected', '這筆申請已被退回，無法核准。');
  }
  let result: PointsResult;
  try {
    result = await applyApproved(claimed ? (claimed as PointsApprovalDoc) : a, input);
  } catch (err) {
    if (claimed)
      await PointsApproval.updateOne(
        { _id: a._id, status: 'approved', entryId: null },
        { $set: { status: 'pending' }, $unset: { decidedBy: 1, decidedAt: 1, decisionNote: 1 } },
      );
    throw err;
  }
  const done = (await PointsApproval.findOneAndUpdate(
    { _id: a._id },
    { $set: { entryId: result.entryId } },
    { returnDocument: 'after' },
  ).lean()) as PointsApprovalDoc;
  return { approval: toApprovalView(done), balance: result.balance, replayed: !claimed || result.duplicate };
}

async function applyApproved(a: PointsApprovalDoc, input: { now: Date; timeZone: string }): Promise<PointsResult> {
  if (a.kind === 'credit') return applyApprovedCredit(a, input.now);
  return adjustPointsManually({
    memberId: a.memberId as Types.ObjectId,
    delta: a.delta,
    reason: a.reason,
    actor: a.requestedBy?.id ?? 'system',
    key: `approval:${String(a._id)}`,
    now: input.now,
    timeZone: input.timeZone,
    storeId: a.storeId ?? undefined,
  });
}

/** An admin rejects a held adjustment: nothing changes but its status. Rejecting twice is a no-op. */
export async function rejectAdjustment(input: {
  approvalId: string;
  actor: ApprovalActor;
  note?: string;
  now: Date;
}): Promise<{ approval: PointsApprovalView; replayed: boolean }> {
  const a = await loadApproval(input.approvalId);
  if (a.status === 'approved') throw conflict('approval_approved', '這筆申請已核准，無法退回。');
  const updated = await PointsApproval.findOneAndUpdate(
    { _id: a._id, status: 'pending' },
    {
      $set: {
        status: 'rejected',
        decidedBy: { id: input.actor.id, name: input.actor.name },
        decidedAt: input.now,
        ...(input.note ? { decisionNote: input.note } : {}),
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (updated) return { approval: toApprovalView(updated as PointsApprovalDoc), replayed: false };
  const fresh = (await PointsApproval.findById(a._id).lean()) as PointsApprovalDoc;
  if (fresh.status === 'approved') throw conflict('approval_approved', '這筆申請已核准，無法退回。');
  return { approval: toApprovalView(fresh), replayed: true };
}

/** The admin's queue: pending (or decided) requests, newest first. */
export async function listApprovals(status: 'pending' | 'approved' | 'rejected', limit = 100) {
  const docs = await PointsApproval.find({ status }).sort({ requestedAt: -1 }).limit(limit).lean();
  return (docs as PointsApprovalDoc[]).map(toApprovalView);
}

async function loadApproval(id: string): Promise<PointsApprovalDoc> {
  const a = isObjectId(id) ? ((await PointsApproval.findById(id).lean()) as PointsApprovalDoc | null) : null;
  if (!a) throw notFound('找不到這筆點數申請。', 'approval_not_found');
  return a;
}

export function toApprovalView(a: PointsApprovalDoc): PointsApprovalView {
  return {
    id: String(a._id),
    kind: a.kind === 'credit' ? 'credit' : 'points',
    expiresAt: a.expiresAt ? a.expiresAt.toISOString() : null,
    memberId: String(a.memberId),
    delta: a.delta,
    reason: a.reason,
    cap: a.cap,
    status: a.status as PointsApprovalView['status'],
    requestedBy: {
      id: a.requestedBy?.id ?? '',
      name: a.requestedBy?.name ?? null,
      role: a.requestedBy?.role ?? null,
    },
    requestedAt: a.requestedAt.toISOString(),
    decidedBy: a.decidedBy?.id ? { id: a.decidedBy.id, name: a.decidedBy.name ?? null } : null,
    decidedAt: a.decidedAt ? a.decidedAt.toISOString() : null,
    decisionNote: a.decisionNote ?? null,
  };
}

/** Applies an approved credit request once (key `approval:<id>`); a repeat is a no-op through the ledger key. */
async function applyApprovedCredit(a: PointsApprovalDoc, now: Date): Promise<CreditResult> {
  const settings = (await getProgramSettings()).credit;
  return changeCredit({
    memberId: a.memberId,
    delta: a.delta,
    reason: 'manual',
    key: `approval:${String(a._id)}`,
    actor: a.requestedBy?.id ?? 'system',
    note: a.reason,
    expiresAt: a.delta > 0 ? (a.expiresAt ?? creditExpiry(now, settings.manualValidDays)) : null,
    now,
    ...(a.storeId ? { refs: { storeId: a.storeId } } : {}),
  });
}
