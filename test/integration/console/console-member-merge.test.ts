import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { AuditLog } from '../../../models/audit-log.model';
import { Coupon } from '../../../models/coupon.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Purchase } from '../../../models/purchase.model';
import { MemberNote } from '../../../models/member-note.model';
import { createCouponTemplate, issueCoupon } from '../../../domain/coupons';
import { addMemberNote } from '../../../domain/members/member-note.service';
import { lookupCounterCode } from '../../../domain/members/counter-lookup.service';
import { getMemberKpis } from '../../../domain/reports/funnel';
import { loadExisting, planRow, applyPlan } from '../../../domain/imports/member-upsert.service';
import { mergeMembers } from '../../../domain/members/member-merge.service';
import { MERGE_FIELD_KEYS } from '../../../domain/members/member-merge-fields';
import { MERGE_FIELD_CHOICES } from '../../../api/contracts/console';
import { findPointsDrift } from '../../../domain/points/points.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { countAudience } from '../../../domain/segments/segment.service';
import { runBirthdayProgram } from '../../../domain/campaigns/birthday.service';
import { zonedParts } from '../../../domain/shared/clock';
import { programContext } from '../../../domain/shared/context';

let env: TestEnv;
let marketer: ConsoleLogin;
let seq = 0;
beforeAll(async () => {
  env = await startTestEnv();
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());

const now = () => env.deps.clock();
const buy = (memberCode: string, amount: number) =>
  ingestPurchase(
    {
      orderId: `MG${++seq}-${process.pid}`,
      member: { memberCode },
      amount,
      time: new Date(now().getTime() - 3_600_000).toISOString(),
    },
    { source: 'pos', now: now(), messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
  );

/** A LINE member and the imported record of the same customer, each with some history. */
async function buildPair() {
  seq += 1;
  const at = new Date('2025-01-10T02:00:00Z');
  const target = await buildMember({
    lineUserId: `Umerge${seq}x${process.pid}`,
    city: '台北市',
    tags: [{ tag: '茶', source: 'persona', addedAt: at }],
  });
  const source = await buildMember({
    lineUserId: undefined,
    status: 'imported',
    followedAt: undefined,
    name: '王小美',
    city: '高雄市',
    email: `amy${seq}@example.com`,
    phone: `09${String(10_000_000 + seq * 37 + (process.pid % 1000)).padStart(8, '0')}`,
    consent: { status: 'pending', marketing: false },
    tags: [
      { tag: 'VIP', source: 'import', addedAt: at },
      { tag: '茶', source: 'import', addedAt: at },
    ],
  });
  await buy(source.memberCode, 1000);
  await buy(source.memberCode, 2500);
  await buy(target.memberCode, 500);
  const tpl = await createCouponTemplate(
    { title: `合併測試券${seq}`, kind: 'amount', value: 100, validity: { mode: 'relative', days: 30 } },
    'tester',
  );
  await issueCoupon({
    templateId: tpl.id,
    memberId: source._id,
    key: `merge-test-s-${seq}`,
    now: now(),
    timeZone: 'Asia/Taipei',
  });
  await issueCoupon({
    templateId: tpl.id,
    memberId: target._id,
    key: `merge-test-t-${seq}`,
    now: now(),
    timeZone: 'Asia/Taipei',
  });
  await addMemberNote(String(source._id), '門市老客人，喜歡烏龍茶', { id: 'tester' }, now());
  return { target, source, templateId: tpl.id };
}

const post = (login: ConsoleLogin, targetId: string, body: unknown) =>
  login.agent
    .post(`/api/console/members/${targetId}/merge`)
    .set('X-CSRF-Token', login.csrf)
    .send(body as object);

describe('合併會員: an imported member into a LINE member', () => {
  it('accepts as field choices exactly the fields the merge knows', () => {
    expect([...MERGE_FIELD_CHOICES]).toEqual([...MERGE_FIELD_KEYS]);
  });

  it('previews, then moves points, coupons, purchases, tags, notes and fills blanks; the ledger stays consistent', async () => {
    const { target, source, templateId } = await buildPair();
    const candidates = await marketer.agent
      .get(`/api/console/members/${target.id}/merge-candidates`)
      .query({ q: source.phone })
      .expect(200);
    expect(candidates.body.items.map((m: { id: string }) => m.id)).toEqual([source.id]);

    const preview = await marketer.agent
      .get(`/api/console/members/${target.id}/merge-preview`)
      .query({ sourceId: source.id })
      .expect(200);
    expect(preview.body.moves).toMatchObject({ purchases: 2, coupons: 1, notes: 1, points: 35 });
    expect(preview.body.tagsToAdd).toEqual(['VIP']);
    expect(preview.body.phoneMoves).toBe(true);
    const city = preview.body.fields.find((f: { key: string }) => f.key === 'city');
    expect(city).toMatchObject({ source: '高雄市', target: '台北市', conflict: true, action: 'keep' });
    expect(preview.body.fields.find((f: { key: string }) => f.key === 'name')).toMatchObject({ action: 'fill' });

    const res = await post(marketer, target.id, { sourceId: source.id, fieldChoices: ['city'] }).expect(200);
    expect(res.body).toMatchObject({ alreadyMerged: false, pointsMoved: 35, tagsAdded: ['VIP'] });

    const t = await Member.findById(target._id).lean();
    const s = await Member.findById(source._id).lean();
    expect(t).toMatchObject({
      name: '王小美',
      city: '高雄市',
      email: source.email,
      phone: source.phone,
      pointsBalance: 40,
    });
    expect(t!.tags.map((x) => x.tag).sort()).toEqual(['VIP', '茶']);
    expect(t!.stats).toMatchObject({ purchaseCount: 3, totalSpend: 4000 });
    expect(s).toMatchObject({ status: 'merged', pointsBalance: 0 });
    expect(String(s!.mergedInto)).toBe(target.id);
    expect(s!.phone).toBeUndefined();
    expect(s!.merge?.completedAt).toBeTruthy();

    expect(await Purchase.countDocuments({ memberId: target._id })).toBe(3);
    expect(await Purchase.countDocuments({ memberId: source._id })).toBe(0);
    const coupons = await Coupon.find({ templateId, memberId: target._id }).lean();
    expect(coupons.map((c) => c.slot).sort()).toEqual([1, 2]);
    expect(await MemberNote.countDocuments({ memberId: target._id })).toBe(1);
    expect(await PointsEntry.findOne({ key: `merge:${source.id}:out` }).lean()).toMatchObject({
      delta: -35,
      reason: 'merge',
    });
    expect(await PointsEntry.findOne({ key: `merge:${source.id}:in` }).lean()).toMatchObject({
      delta: 35,
      reason: 'merge',
    });
    expect(await findPointsDrift()).toEqual([]);
    expect(await AuditLog.countDocuments({ action: 'member.merge', targetId: target.id })).toBe(1);

    // Running it again changes nothing.
    const again = await post(marketer, target.id, { sourceId: source.id, fieldChoices: ['city'] }).expect(200);
    expect(again.body.alreadyMerged).toBe(true);
    expect((await Member.findById(target._id).lean())!.pointsBalance).toBe(40);
    expect(await PointsEntry.countDocuments({ key: { $regex: `^merge:${source.id}` } })).toBe(2);
    expect(await findPointsDrift()).toEqual([]);
  });

  it('merged records leave lists, exports, counts and segments; their old code and phone lead to the LINE member', async () => {
    const { target, source } = await buildPair();
    const before = await getMemberKpis(now());
    await post(marketer, target.id, { sourceId: source.id }).expect(200);

    const search = await marketer.agent.get('/api/console/members').query({ q: source.memberCode }).expect(200);
    expect(search.body.rows).toEqual([]);
    const imported = await marketer.agent
      .get('/api/console/members')
      .query({ status: 'imported', pageSize: 200 })
      .expect(200);
    expect(imported.body.rows.map((r: { id: string }) => r.id)).not.toContain(source.id);
    const csv = await marketer.agent.get('/api/console/members/export.csv').query({ fields: 'memberCode' }).expect(200);
    expect(csv.text).not.toContain(source.memberCode);
    expect(csv.text).toContain(target.memberCode);
    expect((await getMemberKpis(now())).members).toBe(before.members - 1);
    await Member.updateOne({ _id: source._id }, { $set: { 'consent.marketing': true } });
    const everyone = await countAudience({ op: 'and', conditions: [] }, now(), { timeZone: 'Asia/Taipei' });
    expect(everyone).toBe(
      await Member.countDocuments({
        lineUserId: { $ne: null },
        'consent.marketing': true,
        status: { $ne: 'blocked' },
        erasedAt: null,
      }),
    );

    const lookup = await lookupCounterCode(source.memberCode, now());
    expect(lookup.kind === 'member' && lookup.member.id).toBe(target.id);

    // A re-import of the POS row updates the LINE member instead of resurrecting the imported one.
    const row = { line: 2, values: { memberCode: source.memberCode, city: '台中市' } };
    const plan = planRow(row as never, await loadExisting([row as never]));
    expect(plan.action).toBe('update');
    expect(plan.action === 'update' && String(plan.member._id)).toBe(target.id);
    await applyPlan(plan, { actor: 'tester', now: now() });
    expect((await Member.findById(target._id).lean())!).toMatchObject({
      city: '台中市',
      memberCode: target.memberCode,
    });
    expect((await Member.findById(source._id).lean())!.status).toBe('merged');

    // No birthday gift lands on the merged record (the LINE member has its own).
    const today = zonedParts(now(), env.config.timeZone);
    const birthday = `1990-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
    await Member.updateOne(
      { _id: source._id },
      { $set: { birthday, birthMonth: today.month, 'consent.status': 'accepted' } },
    );
    await runBirthdayProgram(programContext(env.deps), now());
    expect(await PointsEntry.countDocuments({ memberId: source._id, reason: 'birthday' })).toBe(0);

    // A purchase sent with the old member code lands on the LINE member.
    await buy(source.memberCode, 300);
    expect((await Member.findById(target._id).lean())!.stats?.purchaseCount).toBe(4);
    expect(await findPointsDrift()).toEqual([]);
  });

  it('an interrupted merge is finished by running it again', async () => {
    const { target, source } = await buildPair();
    const crash = (at: string) => (step: string) => {
      if (step === at) throw new Error(`crash after ${step}`);
    };
    await expect(
      mergeMembers({
        targetId: target.id,
        sourceId: source.id,
        fieldChoices: ['city'],
        actor: 'tester',
        now: now(),
        erasureSecret: env.config.privacy.erasureHmacSecret,
        afterStep: crash('documents'),
      }),
    ).rejects.toThrow('crash after documents');
    const half = await Member.findById(source._id).lean();
    expect(half).toMatchObject({ status: 'merged', pointsBalance: 35 });
    expect(half!.merge?.completedAt).toBeUndefined();
    expect(await Purchase.countDocuments({ memberId: source._id })).toBe(0);

    // A second attempt resumes with the first choices (the city from the source) and finishes.
    const res = await mergeMembers({
      targetId: target.id,
      sourceId: source.id,
      actor: 'tester',
      now: now(),
      erasureSecret: env.config.privacy.erasureHmacSecret,
    });
    expect(res).toMatchObject({ alreadyMerged: false, pointsMoved: 35 });
    const t = await Member.findById(target._id).lean();
    expect(t).toMatchObject({ city: '高雄市', pointsBalance: 40 });
    expect(t!.stats).toMatchObject({ purchaseCount: 3, totalSpend: 4000 });
    expect(await findPointsDrift()).toEqual([]);
    expect(
      (
        await mergeMembers({
          targetId: target.id,
          sourceId: source.id,
          actor: 'tester',
          now: now(),
          erasureSecret: env.config.privacy.erasureHmacSecret,
        })
      ).alreadyMerged,
    ).toBe(true);
  });

  it('refuses what it cannot merge, and stores nothing', async () => {
    const { target, source } = await buildPair();
    const other = await buildMember({ lineUserId: `Uother${seq}x${process.pid}` });

    const hasLine = await post(marketer, target.id, { sourceId: other.id }).expect(409);
    expect(hasLine.body.error.code).toBe('merge_source_has_line');
    const self = await post(marketer, target.id, { sourceId: target.id }).expect(400);
    expect(self.body.error.message).toBe('不能把會員合併到自己。');
    const intoImported = await post(marketer, source.id, {
      sourceId: source.id.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
    });
    expect([404, 409]).toContain(intoImported.status);
    const bad = await post(marketer, target.id, { sourceId: source.id, fieldChoices: ['lineUserId'] }).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.message).toMatch(/輸入資料有誤/);
    await post(marketer, target.id, { sourceId: 'nope' }).expect(400);

    const staff = await loginAs(env, 'staff');
    await post(staff, target.id, { sourceId: source.id }).expect(403);
    await staff.agent.get(`/api/console/members/${target.id}/merge-preview`).query({ sourceId: source.id }).expect(403);
    await marketer.agent.post(`/api/console/members/${target.id}/merge`).send({ sourceId: source.id }).expect(403);

    const s = await Member.findById(source._id).lean();
    expect(s).toMatchObject({ status: 'imported', pointsBalance: 35 });
    expect(s!.mergedInto).toBeUndefined();
    expect(await PointsEntry.countDocuments({ key: { $regex: '^merge:' + source.id } })).toBe(0);
  });
});
