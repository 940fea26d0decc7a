import request from 'supertest';
import { IntegrationKey } from '../../../models/integration-key.model';
import { Settings } from '../../../models/settings.model';
import {
  DEFAULT_PROGRAM_SETTINGS,
  getProgramSettings,
  updateProgramSettings,
} from '../../../domain/program/settings.service';
import {
  authenticateApiKey,
  createIntegrationKey,
  hashApiKey,
  listIntegrationKeys,
  revokeIntegrationKey,
} from '../../../domain/integrations/api-key.service';
import { issueCoupon } from '../../../domain/coupons';
import { runStartupHooks } from '../../../server/startup';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createApiKey, createLineMember, createTemplate } from '../../factories/program.factory';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

describe('program settings', () => {
  it('defaults until changed; a patch merges section by section and is read back everywhere', async () => {
    expect(await getProgramSettings()).toEqual(DEFAULT_PROGRAM_SETTINGS);
    const next = await updateProgramSettings({ earn: { spendPerPoint: 50 }, survey: { delayHours: 2 } }, 'marketer-1');
    expect(next.earn.spendPerPoint).toBe(50);
    expect(next.survey).toMatchObject({ delayHours: 2, enabled: true, minDaysBetween: 30 });
    expect(await getProgramSettings()).toEqual(next);
    expect(await Settings.findOne({ key: 'program' }).lean()).toMatchObject({ updatedBy: 'marketer-1', version: 1 });
  });

  it('bad settings → 400 with field errors and nothing stored (unknown sections, bad times, unknown coupon templates)', async () => {
    const bad = await updateProgramSettings(
      { birthday: { sendTime: '25:00' }, earn: { spendPerPoint: 0 }, bogus: 1 },
      'm',
    ).catch((e) => e);
    expect(bad).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(bad.details.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['birthday.sendTime', 'earn.spendPerPoint']),
    );
    const missing = await updateProgramSettings(
      { referral: { referrerReward: { points: 0, couponTemplateId: '0123456789abcdef01234567' } } },
      'm',
    ).catch((e) => e);
    expect(missing.details.fields).toEqual([
      { path: 'referral.referrerReward.couponTemplateId', message: '找不到這個優惠券模板' },
    ]);
    expect(await Settings.countDocuments()).toBe(0);
  });

  it('a changed earn rate applies to the next purchase', async () => {
    await updateProgramSettings({ earn: { spendPerPoint: 50 } }, 'm');
    const { member } = await createLineMember(env);
    const { key } = await createApiKey();
    const res = await request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId: 'S1', member: { memberCode: member.memberCode }, amount: 1000 });
    expect(res.body.pointsEarned).toBe(20);
  });
});

describe('integration keys', () => {
  it('are stored only as a hash, shown once, listed by prefix, and revocable', async () => {
    const { id, key, source } = await createIntegrationKey('台北門市 POS');
    expect(key).toMatch(/^hgk_[\w-]{32}$/);
    expect(source).toMatch(/^integration-|^pos$/);
    const stored = await IntegrationKey.findById(id).lean();
    expect(stored!.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);
    expect((await listIntegrationKeys())[0]).toMatchObject({
      id,
      name: '台北門市 POS',
      prefix: key.slice(0, 10),
      revokedAt: null,
    });
    expect(await authenticateApiKey(key)).toMatchObject({ id, name: '台北門市 POS' });
    await revokeIntegrationKey(id, { actor: 'admin' });
    expect(await authenticateApiKey(key)).toBeNull();
    expect(await authenticateApiKey('not-a-key')).toBeNull();
  });

  it('local mode: the startup hook ensures the per-install demo key (idempotently) and prints it', async () => {
    const lines = await runStartupHooks(env);
    const again = await runStartupHooks(env);
    const demo = env.local.secrets!.demoPosKey;
    expect(lines.join('\n')).toContain(demo);
    expect(again.join('\n')).toContain(demo);
    expect(await IntegrationKey.countDocuments({ hash: hashApiKey(demo) })).toBe(1);
    expect(await authenticateApiKey(demo)).toMatchObject({ source: 'demo-pos' });
  });

  it('a POS can look up and redeem a coupon by code through the ingest API', async () => {
    const { key } = await createApiKey('門市 POS', 'pos');
    const t = await createTemplate({ storeIds: ['taipei-101'] });
    const { member } = await createLineMember(env);
    const { coupon } = await issueCoupon({
      templateId: t.id,
      memberId: member._id,
      key: 'pos-redeem',
      now: new Date(),
      timeZone: 'Asia/Taipei',
    });
    const look = await request(env.url).get(`/api/ingest/coupons/${coupon.displayCode}`).set('x-api-key', key);
    expect(look.body.coupon).toMatchObject({ id: coupon.id, state: 'active' });
    const wrong = await request(env.url)
      .post('/api/ingest/coupons/redeem')
      .set('x-api-key', key)
      .send({ code: coupon.code, storeId: 'taichung' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toMatchObject({ code: 'coupon_wrong_store', message: '這張優惠券不適用此門市。' });
    const ok = await request(env.url)
      .post('/api/ingest/coupons/redeem')
      .set('x-api-key', key)
      .send({ code: coupon.code, storeId: 'taipei-101' });
    expect(ok.status).toBe(200);
    expect(ok.body.coupon.state).toBe('used');
    const twice = await request(env.url)
      .post('/api/ingest/coupons/redeem')
      .set('x-api-key', key)
      .send({ code: coupon.code, storeId: 'taipei-101' });
    expect(twice.body.error.code).toBe('coupon_used');
  });
});
