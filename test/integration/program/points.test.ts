import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import {
  adjustPointsManually,
  changePoints,
  findPointsDrift,
  getSoonestExpiring,
  listPointsHistory,
} from '../../../domain/points/points.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createPlainMember } from '../../factories/program.factory';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

const now = new Date('2026-03-10T04:00:00Z');
/** `npm run points:verify` as a separate process against the test database. */
const script = path.resolve(__dirname, '../../../scripts/points-verify.ts');
const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
const runVerify = () =>
  promisify(execFile)(tsx, [script], {
    env: { ...process.env, MONGODB_URI: env.local.mongo!.uri, LOG_LEVEL: 'silent' },
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e) => ({ code: e.code as number, out: String(e.stdout) }),
  );
const earn = (memberId: unknown, delta: number, key: string, extra: Record<string, unknown> = {}) =>
  changePoints({ memberId: String(memberId), delta, reason: 'purchase', key, now, ...extra });

describe('points ledger', () => {
  it('100 concurrent 1-point spends on a balance of 50: exactly 50 succeed, balance 0, points:verify clean', async () => {
    const m = await createPlainMember();
    await earn(m._id, 50, 'seed:50');
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        changePoints({ memberId: m._id, delta: -1, reason: 'redeem', key: `spend:${i}`, now }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(50);
    expect(failed).toHaveLength(50);
    expect(new Set(failed.map((f) => f.reason.code))).toEqual(new Set(['insufficient_points']));
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(0);
    expect(await PointsEntry.countDocuments({ memberId: m._id, reason: 'redeem' })).toBe(50);
    expect(await findPointsDrift()).toEqual([]);
    expect(await runVerify()).toMatchObject({ code: 0 });
  });

  it('the same key applied twice (even concurrently) changes the balance once', async () => {
    const m = await createPlainMember();
    const [a, b] = await Promise.all([earn(m._id, 30, 'purchase:pos:A1'), earn(m._id, 30, 'purchase:pos:A1')]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.entryId).toBe(b.entryId);
    const again = await earn(m._id, 30, 'purchase:pos:A1');
    expect(again).toMatchObject({ duplicate: true, balance: 30 });
    expect(await PointsEntry.countDocuments({ memberId: m._id })).toBe(1);
  });

  it('a spend that would go negative fails with insufficient_points and writes nothing', async () => {
    const m = await createPlainMember();
    await earn(m._id, 10, 'seed');
    await expect(
      changePoints({ memberId: m._id, delta: -11, reason: 'redeem', key: 'too-much', now }),
    ).rejects.toMatchObject({ code: 'insufficient_points', status: 409 });
    expect(await PointsEntry.exists({ key: 'too-much' })).toBeNull();
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(10);
  });

  it('every entry records who, why, when and the balance after it; history pages newest first with zh-TW labels', async () => {
    const m = await createPlainMember();
    for (let i = 1; i <= 5; i++) await earn(m._id, i * 10, `p${i}`, { now: new Date(now.getTime() + i * 1000) });
    const page1 = await listPointsHistory(m._id, { page: 1, pageSize: 2 });
    expect(page1.total).toBe(5);
    expect(page1.balance).toBe(150);
    expect(page1.items.map((i) => i.delta)).toEqual([50, 40]);
    expect(page1.items[0]).toMatchObject({
      reason: 'purchase',
      reasonLabel: '消費累點',
      balanceAfter: 150,
      actor: 'system',
    });
    const page3 = await listPointsHistory(m._id, { page: 3, pageSize: 2 });
    expect(page3.items.map((i) => i.delta)).toEqual([10]);
  });

  it('soonest expiring: the next batch by expiry date after FIFO spends', async () => {
    const m = await createPlainMember();
    await earn(m._id, 100, 'a', { expiresAt: new Date('2026-12-31T15:59:59.999Z') });
    await earn(m._id, 40, 'b', { expiresAt: new Date('2027-12-31T15:59:59.999Z') });
    await changePoints({ memberId: m._id, delta: -30, reason: 'redeem', key: 'c', now });
    expect(await getSoonestExpiring(m._id, now)).toEqual({
      points: 70,
      expiresAt: new Date('2026-12-31T15:59:59.999Z'),
    });
  });
});

describe('manual adjustments', () => {
  it('require a reason; bad input → 400 with field errors and nothing stored', async () => {
    const m = await createPlainMember();
    const err = await adjustPointsManually({
      memberId: m._id,
      delta: 20,
      reason: ' ',
      actor: 'staff-1',
      key: 'adj-00000001',
      now,
      timeZone: 'Asia/Taipei',
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(err.details.fields.map((f: { path: string }) => f.path)).toContain('reason');
    const err2 = await adjustPointsManually({
      memberId: m._id,
      delta: 1.5,
      reason: '補點',
      actor: 'staff-1',
      key: 'adj-00000002',
      now,
      timeZone: 'Asia/Taipei',
    }).catch((e) => e);
    expect(err2.details.fields.map((f: { path: string }) => f.path)).toContain('delta');
    expect(await PointsEntry.countDocuments({})).toBe(0);
  });

  it('credit with the staff id and note; idempotent by key; a debit cannot overdraw', async () => {
    const m = await createPlainMember();
    const r = await adjustPointsManually({
      memberId: m._id,
      delta: 20,
      reason: '門市補登點數',
      actor: 'staff-1',
      key: 'adj-00000003',
      now,
      timeZone: 'Asia/Taipei',
    });
    await adjustPointsManually({
      memberId: m._id,
      delta: 20,
      reason: '門市補登點數',
      actor: 'staff-1',
      key: 'adj-00000003',
      now,
      timeZone: 'Asia/Taipei',
    });
    expect(r.balance).toBe(20);
    const entry = await PointsEntry.findOne({ memberId: m._id }).lean();
    expect(entry).toMatchObject({ reason: 'manual', actor: 'staff-1', note: '門市補登點數', delta: 20 });
    expect(entry!.expiresAt!.toISOString()).toBe('2027-12-31T15:59:59.999Z');
    await expect(
      adjustPointsManually({
        memberId: m._id,
        delta: -21,
        reason: '更正',
        actor: 'staff-1',
        key: 'adj-00000004',
        now,
        timeZone: 'Asia/Taipei',
      }),
    ).rejects.toMatchObject({ code: 'insufficient_points' });
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(20);
  });
});

describe('npm run points:verify', () => {
  it('exits 0 when clean and 1 listing the drifted member when the cached balance is off', async () => {
    const m = await createPlainMember();
    await earn(m._id, 25, 'seed');
    const clean = await runVerify();
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.out).toContain('0 drift');
    await Member.updateOne({ _id: m._id }, { $inc: { pointsBalance: 5 } });
    const drift = await runVerify();
    expect(drift.code).toBe(1);
    expect(drift.out).toContain(String(m._id));
    expect(drift.out).toMatch(/balance 30.*ledger 25/);
  });
});
