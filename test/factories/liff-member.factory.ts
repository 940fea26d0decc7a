import { createCouponTemplate, issueCoupon } from '../../domain/coupons';
import { registerFollow } from '../../domain/members/member-lifecycle.service';
import { ingestPurchase } from '../../domain/purchases/purchase.service';
import type { TestEnv } from '../helpers/test-env';

/**
 * A LINE user of the emulator who followed the account and became a member, optionally with purchases (points,
 * tier spend) and coupons — what the LIFF card tests start from. Built only through the product's own domain
 * functions, so the data is what real use would produce.
 */
export interface LiffMemberSpec {
  displayName?: string;
  /** NT$ purchases (each earns points at the program's rate). */
  purchases?: number[];
  /** Coupon titles to issue to the member (NT$100 off, valid 30 days). */
  coupons?: string[];
}

export interface LiffMember {
  userId: string;
  memberId: string;
  memberCode: string;
  displayName: string;
  couponIds: string[];
}

let seq = 0;

export async function createLiffMember(env: TestEnv, spec: LiffMemberSpec = {}): Promise<LiffMember> {
  const n = ++seq;
  const user = await env.emulator.createUser(spec.displayName ?? `會員${n}`);
  await env.emulator.follow(user.userId);
  const now = env.deps.clock();
  const { member } = await registerFollow({
    lineUserId: user.userId,
    profile: { userId: user.userId, displayName: user.displayName },
    now,
    erasureSecret: env.config.privacy.erasureHmacSecret,
  });
  for (const [i, amount] of (spec.purchases ?? []).entries()) {
    await ingestPurchase(
      { orderId: `T${n}-${i}`, member: { lineUserId: user.userId }, amount },
      { source: 'test', now, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
    );
  }
  const couponIds: string[] = [];
  for (const [i, title] of (spec.coupons ?? []).entries()) {
    const template = await createCouponTemplate(
      {
        title,
        terms: '每次消費限用一張，不得與其他優惠併用。',
        kind: 'amount',
        value: 100,
        validity: { mode: 'relative', days: 30 },
      },
      'test',
    );
    const issued = await issueCoupon({
      templateId: template.id,
      memberId: member._id,
      key: `test:${n}:${i}`,
      now,
      timeZone: 'Asia/Taipei',
    });
    couponIds.push(issued.coupon.id);
  }
  return {
    userId: user.userId,
    memberId: String(member._id),
    memberCode: member.memberCode,
    displayName: user.displayName,
    couponIds,
  };
}

/** A coupon offered for points on the card's exchange page. */
export async function createExchangeOffer(title: string, pointsCost: number): Promise<string> {
  const template = await createCouponTemplate(
    {
      title,
      terms: '兌換後 14 天內使用。',
      kind: 'amount',
      value: 50,
      validity: { mode: 'relative', days: 14 },
      pointsCost,
      perMemberLimit: 5,
    },
    'test',
  );
  return template.id;
}

/** A real emulator ID token for the user, as liff.getIDToken() would return it. */
export async function idTokenFor(
  env: TestEnv,
  userId: string,
  opts: { channelId?: string; ttlSeconds?: number } = {},
): Promise<string> {
  return (await env.emulator.idToken(userId, opts)).idToken;
}
