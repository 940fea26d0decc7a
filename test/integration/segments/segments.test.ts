import type { Types } from 'mongoose';
import { Member } from '../../../models/member.model';
import { Purchase } from '../../../models/purchase.model';
import { Segment } from '../../../models/segment.model';
import { createCouponTemplate, issueCoupon } from '../../../domain/coupons';
import { getRfmOverview, scoreRfm } from '../../../domain/segments/rfm.service';
import {
  countAudience,
  createSegment,
  getSegment,
  listMembersInSegment,
  listSegments,
  updateSegment,
  archiveSegment,
} from '../../../domain/segments/segment.service';
import { runJobOnce } from '../../../jobs/runner';
import { AppError } from '../../../domain/shared/errors';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { taipei, withClock } from '../campaigns/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

const NOW = taipei('2025-06-15T12:00:00');
const DAY = 86_400_000;
let codeSeq = 0;

async function member(fields: Record<string, unknown> = {}) {
  codeSeq += 1;
  return Member.create({
    lineUserId: `U${String(codeSeq).padStart(32, '0')}`,
    memberCode: `S${String(codeSeq).padStart(7, '0')}`,
    status: 'active',
    consent: { status: 'accepted', marketing: true },
    ...fields,
  });
}

describe('RFM scoring', () => {
  it('scores a constructed population as computed by hand and says why', async () => {
    // Member i (1..10): last purchase i×10 days ago, i purchases in the window, i×1000 spent in total.
    const ids: Types.ObjectId[] = [];
    for (let i = 1; i <= 10; i++) {
      const m = await member();
      ids.push(m._id);
      const purchases = Array.from({ length: i }, (_, k) => ({
        source: 'pos',
        orderId: `o-${i}-${k}`,
        memberId: m._id,
        amount: 1000,
        at: new Date(NOW.getTime() - (i * 10 + k) * DAY),
        receivedAt: NOW,
      }));
      await Purchase.insertMany(purchases);
    }
    // Outside the window (400 days ago): counts for recency only; a refunded order counts for nothing.
    const old = await member();
    await Purchase.create({
      source: 'pos',
      orderId: 'old',
      memberId: old._id,
      amount: 5000,
      at: new Date(NOW.getTime() - 400 * DAY),
      receivedAt: NOW,
    });
    await Purchase.create({
      source: 'pos',
      orderId: 'refunded',
      memberId: old._id,
      amount: 9000,
      at: new Date(NOW.getTime() - DAY),
      receivedAt: NOW,
      status: 'refunded',
      refundedAmount: 9000,
    });
    const none = await member();

    const out = await runJobOnce(withClock(env.deps, NOW).deps, 'rfm', NOW);
    expect(out.status).toBe('ran');
    const scored = await Member.find({ _id: { $in: ids } })
      .sort({ _id: 1 })
      .lean();
    // 11 scored members: recency days 10..100 and 400; frequency 1..10 and 0; monetary 1000..10000 and 0.
    // Cut points (nearest rank, n = 11: ranks 3, 5, 7, 9): recency [30, 50, 70, 90], frequency [2, 4, 6, 8], monetary [2000, 4000, 6000, 8000].
    expect(scored.map((m) => m.rfm!.r)).toEqual([5, 5, 5, 4, 4, 3, 3, 2, 2, 1]);
    expect(scored.map((m) => m.rfm!.f)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(scored.map((m) => m.rfm!.m)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(scored[0].rfm!.segment).toBe('新顧客');
    expect(scored[3].rfm!.segment).toBe('潛力顧客');
    expect(scored[9].rfm!.segment).toBe('流失風險');
    expect(scored[9].rfm!.rule).toContain('R≤2 且 F≥3');
    expect(scored[9].rfm!.rule).toContain('最近消費 100 天前');
    const oldScore = (await Member.findById(old._id).lean())!.rfm!;
    expect([oldScore.r, oldScore.f, oldScore.m, oldScore.segment]).toEqual([1, 1, 1, '沉睡顧客']);
    expect((await Member.findById(none._id).lean())!.rfm!.segment).toBe('尚未消費');

    const overview = await getRfmOverview();
    expect(overview.lastRun).toMatchObject({
      scored: 11,
      unscored: 1,
      windowDays: 365,
      cuts: { r: [30, 50, 70, 90], f: [2, 4, 6, 8] },
    });
    expect(overview.segments.find((s) => s.name === '尚未消費')!.count).toBe(1);
    expect(overview.lastRun!.grid.flat().reduce((a, b) => a + b, 0)).toBe(11);
    // A rule can target the stored segments.
    expect(
      await countAudience(
        { op: 'and', conditions: [{ field: 'rfmSegment', op: 'in', values: ['流失風險', '沉睡顧客'] }] },
        NOW,
        { timeZone: 'Asia/Taipei' },
      ),
    ).toBe(await Member.countDocuments({ 'rfm.segment': { $in: ['流失風險', '沉睡顧客'] } }));
  });

  it('re-scoring overwrites (safe to run twice)', async () => {
    const m = await member();
    await Purchase.create({
      source: 'pos',
      orderId: 'a',
      memberId: m._id,
      amount: 100,
      at: new Date(NOW.getTime() - DAY),
      receivedAt: NOW,
    });
    await scoreRfm(NOW);
    await scoreRfm(new Date(NOW.getTime() + DAY));
    expect((await Member.findById(m._id).lean())!.rfm!.rule).toContain('最近消費 2 天前');
  });
});

describe('rule segments', () => {
  it('counts an audience, always excluding blocked, erased and non-consenting members', async () => {
    await member({
      gender: 'female',
      birthday: '1995-03-10',
      city: '台北市',
      tags: [{ tag: '咖啡', source: 'persona', addedAt: NOW }],
    });
    await member({ gender: 'female', birthday: '1970-01-01', city: '台北市' });
    await member({ gender: 'female', status: 'blocked' });
    await member({ gender: 'female', erasedAt: NOW });
    await member({ gender: 'female', consent: { status: 'accepted', marketing: false } });
    await member({ gender: 'female', lineUserId: undefined, memberCode: 'NOLINE1' });
    await member({
      gender: 'male',
      city: '台中市',
      stats: { purchaseCount: 3, totalSpend: 4500, lastPurchaseAt: new Date(NOW.getTime() - 5 * DAY) },
    });

    expect(await countAudience({ op: 'and', conditions: [] }, NOW, { timeZone: 'Asia/Taipei' })).toBe(3);
    expect(
      await countAudience({ op: 'and', conditions: [{ field: 'gender', op: 'in', values: ['female'] }] }, NOW, {
        timeZone: 'Asia/Taipei',
      }),
    ).toBe(2);
    expect(
      await countAudience({ op: 'and', conditions: [{ field: 'ageBand', op: 'in', values: ['25-34'] }] }, NOW, {
        timeZone: 'Asia/Taipei',
      }),
    ).toBe(1);
    expect(
      await countAudience({ op: 'and', conditions: [{ field: 'tags', op: 'hasAny', values: ['咖啡'] }] }, NOW, {
        timeZone: 'Asia/Taipei',
      }),
    ).toBe(1);
    expect(
      await countAudience({ op: 'and', conditions: [{ field: 'tags', op: 'hasNone', values: ['咖啡'] }] }, NOW, {
        timeZone: 'Asia/Taipei',
      }),
    ).toBe(2);
    expect(
      await countAudience(
        {
          op: 'or',
          conditions: [
            { field: 'lastPurchase', op: 'withinDays', days: 30 },
            {
              op: 'and',
              conditions: [
                { field: 'city', op: 'in', values: ['台北市'] },
                { field: 'age', op: 'gte', value: 50 },
              ],
            },
          ],
        },
        NOW,
        { timeZone: 'Asia/Taipei' },
      ),
    ).toBe(2);
    expect(
      await countAudience(
        {
          op: 'and',
          conditions: [
            { field: 'totalSpend', op: 'between', min: 4000, max: 5000 },
            { field: 'purchaseCount', op: 'gte', value: 3 },
          ],
        },
        NOW,
        { timeZone: 'Asia/Taipei' },
      ),
    ).toBe(1);
  });

  it('targets coupon holders', async () => {
    const [a, b] = [await member(), await member()];
    const tpl = await createCouponTemplate(
      { title: '滿千折百', kind: 'amount', value: 100, validity: { mode: 'relative', days: 10 } },
      'tester',
    );
    await issueCoupon({ templateId: tpl.id, memberId: a._id, key: 'seg-test-a', now: NOW, timeZone: 'Asia/Taipei' });
    const has = { op: 'and', conditions: [{ field: 'coupon', op: 'hasActive', templateId: tpl.id }] };
    expect(await countAudience(has, NOW, { timeZone: 'Asia/Taipei' })).toBe(1);
    expect(
      await countAudience({ op: 'and', conditions: [{ field: 'coupon', op: 'hasNone' }] }, NOW, {
        timeZone: 'Asia/Taipei',
      }),
    ).toBe(1);
    expect(
      await countAudience(
        { op: 'and', conditions: [{ field: 'coupon', op: 'hasExpired' }] },
        new Date(NOW.getTime() + 30 * DAY),
        { timeZone: 'Asia/Taipei' },
      ),
    ).toBe(1);
    expect(b).toBeTruthy();
  });

  it('saves, edits, lists, pages and archives segments; bad input stores nothing', async () => {
    for (let i = 0; i < 5; i++) await member({ city: i < 3 ? '台南市' : '新竹市' });
    const rule = { op: 'and', conditions: [{ field: 'city', op: 'in', values: ['台南市'] }] };
    const seg = await createSegment({ name: '台南會員', rule }, 'marketer', NOW, { timeZone: 'Asia/Taipei' });
    expect(seg).toMatchObject({ name: '台南會員', lastCount: 3, ruleText: '居住城市為 台南市' });
    const updated = await updateSegment(
      seg.id,
      { rule: { op: 'and', conditions: [{ field: 'city', op: 'in', values: ['台南市', '新竹市'] }] } },
      'marketer',
      NOW,
      { timeZone: 'Asia/Taipei' },
    );
    expect(updated.lastCount).toBe(5);
    expect((await listSegments({ timeZone: 'Asia/Taipei' })).map((s) => s.name)).toEqual(['台南會員']);
    const page = await listMembersInSegment({ segmentId: seg.id }, { page: 2, pageSize: 2 }, NOW, {
      timeZone: 'Asia/Taipei',
    });
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(2);
    const preview = await listMembersInSegment({ rule }, {}, NOW, { timeZone: 'Asia/Taipei' });
    expect(preview.total).toBe(3);

    for (const bad of [
      { name: '', rule },
      { name: 'x', rule: { $where: 'true' } },
      { name: 'x', rule: { op: 'and', conditions: [{ field: 'phone', op: 'in', values: ['0912'] }] } },
      { name: 'x', rule, extra: 1 },
    ]) {
      await expect(createSegment(bad, 'marketer', NOW, { timeZone: 'Asia/Taipei' })).rejects.toMatchObject({
        code: 'validation_failed',
        status: 400,
      });
    }
    expect(await Segment.countDocuments()).toBe(1);
    await archiveSegment(seg.id, 'marketer', NOW);
    await expect(getSegment(seg.id)).rejects.toBeInstanceOf(AppError);
    expect(await listSegments({ timeZone: 'Asia/Taipei' })).toEqual([]);
  });
});
