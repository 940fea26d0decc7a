import {
  compileSegmentRule,
  REACHABLE_FILTER,
  SegmentRuleSchema,
  type SegmentRule,
} from '../../../domain/segments/rule';
import { describeSegmentRule } from '../../../domain/segments/rule-describe';
import { AppError } from '../../../domain/shared/errors';

const NOW = new Date('2025-06-15T04:00:00Z'); // 12:00 in Taipei

function refused(rule: unknown): AppError {
  try {
    compileSegmentRule(rule, NOW, { timeZone: 'Asia/Taipei' });
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return err as AppError;
  }
  throw new Error('rule was accepted');
}

describe('segment rule compilation', () => {
  it('always restricts to reachable, consenting, non-blocked members', () => {
    expect(compileSegmentRule({ op: 'and', conditions: [] }, NOW, { timeZone: 'Asia/Taipei' })).toEqual(
      REACHABLE_FILTER,
    );
    const f = compileSegmentRule({ op: 'or', conditions: [{ field: 'gender', op: 'in', values: ['female'] }] }, NOW, {
      timeZone: 'Asia/Taipei',
    });
    expect(f).toEqual({ $and: [REACHABLE_FILTER, { gender: { $in: ['female'] } }] });
  });

  it('compiles AND/OR groups with fixed paths', () => {
    const rule: SegmentRule = {
      op: 'and',
      conditions: [
        { field: 'tags', op: 'hasAll', values: ['咖啡', '甜點'] },
        {
          op: 'or',
          conditions: [
            { field: 'city', op: 'in', values: ['台北市'] },
            { field: 'rfmSegment', op: 'in', values: ['冠軍顧客'] },
          ],
        },
        { field: 'purchaseCount', op: 'between', min: 2, max: 5 },
      ],
    };
    expect(compileSegmentRule(rule, NOW, { timeZone: 'Asia/Taipei' })).toEqual({
      $and: [
        REACHABLE_FILTER,
        {
          $and: [
            { $and: [{ 'tags.tag': '咖啡' }, { 'tags.tag': '甜點' }] },
            { $or: [{ city: { $in: ['台北市', '臺北市'] } }, { 'rfm.segment': { $in: ['冠軍顧客'] } }] },
            { 'stats.purchaseCount': { $gte: 2, $lte: 5 } },
          ],
        },
      ],
    });
  });

  it('a city matches whether members wrote 臺 or 台', () => {
    const f = compileSegmentRule(
      { op: 'and', conditions: [{ field: 'city', op: 'notIn', values: ['臺中市', '宜蘭縣'] }] },
      NOW,
      { timeZone: 'Asia/Taipei' },
    );
    expect(f).toEqual({ $and: [REACHABLE_FILTER, { city: { $nin: ['臺中市', '台中市', '宜蘭縣'] } }] });
  });

  it('turns age bands into birthday string ranges as of today in Taipei', () => {
    const f = compileSegmentRule({ op: 'and', conditions: [{ field: 'ageBand', op: 'in', values: ['25-34'] }] }, NOW, {
      timeZone: 'Asia/Taipei',
    }) as any;
    // Age 25..34 on 2025-06-15: born after 1990-06-15 and on or before 2000-06-15.
    expect(f.$and[1]).toEqual({ birthday: { $lte: '2000-06-15', $gt: '1990-06-15' } });
    const older = compileSegmentRule(
      { op: 'and', conditions: [{ field: 'ageBand', op: 'in', values: ['65+'] }] },
      NOW,
      { timeZone: 'Asia/Taipei' },
    ) as any;
    expect(older.$and[1]).toEqual({ birthday: { $gte: '1900-01-01', $lte: '1960-06-15' } });
  });

  it('resolves relative dates against now', () => {
    const f = compileSegmentRule(
      { op: 'and', conditions: [{ field: 'lastInteraction', op: 'notWithinDays', days: 30 }] },
      NOW,
      { timeZone: 'Asia/Taipei' },
    ) as any;
    const cutoff = new Date(NOW.getTime() - 30 * 86_400_000);
    expect(f.$and[1]).toEqual({ $or: [{ lastInteractionAt: { $lt: cutoff } }, { lastInteractionAt: null }] });
  });

  it('refuses injection attempts and unknown fields', () => {
    refused({ $where: 'sleep(1000)' });
    refused({ op: 'and', conditions: [{ $where: 'this.points > 0' }] });
    refused({
      op: 'and',
      conditions: [{ field: 'gender', op: 'in', values: ['female'], $function: { body: 'return true' } }],
    });
    refused({ op: 'and', conditions: [{ field: 'password', op: 'in', values: ['x'] }] });
    refused({ op: 'and', conditions: [{ field: 'city', op: '$regex', values: ['.*'] }] });
    refused({ op: 'and', conditions: [{ field: 'city', op: 'in', values: [{ $gt: '' }] }] });
    refused({ op: 'and', conditions: [{ field: 'city', op: 'in', values: ['$where'] }] });
    refused({ op: '$or', conditions: [] });
    refused({ op: 'and', conditions: [], $expr: { $eq: [1, 1] } });
    refused({ op: 'and', conditions: [{ field: 'purchaseCount', op: 'gte', value: { $gt: 0 } }] });
    const err = refused({ op: 'and', conditions: [{ field: 'age', op: 'between', min: 40, max: 20 }] });
    expect(JSON.stringify(err.details)).toContain('最小值不可大於最大值');
  });

  it('limits depth and size', () => {
    let deep: SegmentRule = { op: 'and', conditions: [{ field: 'gender', op: 'in', values: ['male'] }] };
    for (let i = 0; i < 4; i++) deep = { op: 'or', conditions: [deep] };
    expect(SegmentRuleSchema.safeParse(deep).success).toBe(false);
    const wide = {
      op: 'and',
      conditions: Array.from({ length: 51 }, () => ({ field: 'gender', op: 'in', values: ['male'] })),
    };
    expect(SegmentRuleSchema.safeParse(wide).success).toBe(false);
  });

  it('describes a rule in words', () => {
    const text = describeSegmentRule({
      op: 'and',
      conditions: [
        { field: 'gender', op: 'in', values: ['female'] },
        {
          op: 'or',
          conditions: [
            { field: 'ageBand', op: 'in', values: ['25-34'] },
            { field: 'tags', op: 'hasAny', values: ['咖啡'] },
          ],
        },
      ],
    });
    expect(text).toBe('性別為 女性 且 (年齡層為 25-34 歲 或 標籤含任一 咖啡)');
  });
});
