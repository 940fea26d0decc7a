import { randomInt } from 'node:crypto';
import { Member } from '../../models/member.model';
import { createCouponTemplate, type CouponTemplateInput } from '../../domain/coupons';
import { createIntegrationKey } from '../../domain/integrations/api-key.service';
import type { TestEnv } from '../helpers/test-env';

/** Test-data builders for the member program: say only what matters to the test. */

let seq = 0;
const memberCode = () => `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;

/** A member who follows the LINE account (a real emulator user, so pushes to them can be read back). */
export async function createLineMember(env: TestEnv, overrides: Record<string, unknown> = {}) {
  seq++;
  const emu = env.local.emulator!;
  const user = emu.createUser({ displayName: `測試會員${seq}` });
  // Follow without a webhook: the member is built here, not by the chat's follow handler.
  emu.setWebhookUrl(null);
  try {
    await emu.follow(user.userId);
  } finally {
    emu.setWebhookUrl(`${env.url}/webhook`);
  }
  const member = await Member.create({
    lineUserId: user.userId,
    memberCode: memberCode(),
    displayName: user.displayName,
    status: 'active',
    followedAt: env.deps.clock(),
    consent: { status: 'accepted', marketing: true },
    ...overrides,
  });
  return { member, userId: user.userId, memberId: String(member._id) };
}

/** A member without LINE (e.g. imported), for pure ledger tests. */
export async function createPlainMember(overrides: Record<string, unknown> = {}) {
  seq++;
  return Member.create({ memberCode: memberCode(), displayName: `會員${seq}`, status: 'active', ...overrides });
}

export async function createTemplate(overrides: Partial<CouponTemplateInput> = {}) {
  return createCouponTemplate(
    { title: '折價券 NT$100', kind: 'amount', value: 100, validity: { mode: 'relative', days: 30 }, ...overrides },
    'test',
  );
}

export async function createApiKey(name = `POS ${++seq}`, source?: string) {
  return createIntegrationKey(name, { source });
}
