import type { Types } from 'mongoose';
import type { CreditReason } from '../../models/credit-entry.model';
import { changeCredit, creditExpiry, type CreditResult } from './credit.service';

export interface CreditGrant {
  memberId: Types.ObjectId | string;
  /** NT$ integer ≥ 0; 0 grants nothing (a program whose credit part is switched off). */
  amount: number;
  validDays: number;
  reason: CreditReason;
  /** Idempotency key: one grant per key, whoever retries. */
  key: string;
  now: Date;
  note: string;
  actor?: string;
  refs?: Record<string, unknown>;
}

/**
 * Grants earned credit (referral, birthday, journey, refund, tier gift) as one lot that expires `validDays` after
 * `now`, exactly once per key. Returns null when the amount is 0, else the ledger result and the lot's expiry.
 */
export async function grantEarnedCredit(
  g: CreditGrant,
): Promise<(CreditResult & { amount: number; expiresAt: Date }) | null> {
  if (g.amount <= 0) return null;
  const expiresAt = creditExpiry(g.now, g.validDays);
  const r = await changeCredit({
    memberId: g.memberId,
    delta: g.amount,
    reason: g.reason,
    key: g.key,
    now: g.now,
    note: g.note,
    actor: g.actor,
    refs: g.refs,
    expiresAt,
  });
  return { ...r, amount: g.amount, expiresAt };
}
