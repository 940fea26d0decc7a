import { fillVariables, programVariables, unknownVariables } from '../../../domain/conversation/answer-variables';
import { isRuleOnAt, pickRule, triggerMatches, type RuleView } from '../../../domain/conversation/auto-reply-rules';
import { detectIntent, readYesNo } from '../../../domain/conversation/intents';
import { buildMatchIndex, matchText } from '../../../domain/conversation/matcher';
import { collapseRepeat, normalizeForMatch } from '../../../domain/conversation/normalize';
import { DEFAULT_PROGRAM_SETTINGS } from '../../../domain/program/program-settings.schema';

describe('#13.3 zh-TW normaliser', () => {
  it.each([
    ['營業時間?', '營業時間'],
    ['營業時間？', '營業時間'],
    ['  營業 時間 🙏🙏', '營業時間'],
    ['臺北有門市嗎', '台北有門市'],
    ['ＯＫ啦', 'ok'],
    ['好喔', '好'],
    ['生日禮呢?', '生日禮'],
    ['真的嗎吧啦', '真的'],
    ['呢', '呢'],
    ['LINE Pay', 'linepay'],
    ['3Q～', '3q'],
    ['👍😊', ''],
  ])('%s → %s', (input, want) => {
    expect(normalizeForMatch(input)).toBe(want);
  });

  it('reads doubled words as one', () => {
    expect(collapseRepeat('嗯嗯')).toBe('嗯');
    expect(collapseRepeat('okok')).toBe('ok');
    expect(collapseRepeat('哈哈哈')).toBe('哈');
    expect(collapseRepeat('門市')).toBe('門市');
  });
});

describe('#13.3 built-in intents', () => {
  it.each([
    ['取消訂閱', 'unsubscribe'],
    ['退訂', 'unsubscribe'],
    ['不要再傳了', 'unsubscribe'],
    ['我不想收到廣告了', 'unsubscribe'],
    ['取消訂閱，謝謝', 'unsubscribe'],
    ['訂閱', 'resubscribe'],
    ['重新訂閱', 'resubscribe'],
    ['真人客服', 'agent'],
    ['真人', 'agent'],
    ['客服', 'agent'],
    ['找人', 'agent'],
    ['你好', 'greeting'],
    ['哈囉～', 'greeting'],
    ['嗨', 'greeting'],
    ['謝謝', 'thanks'],
    ['感謝', 'thanks'],
    ['3Q', 'thanks'],
  ])('%s → %s', (text, intent) => {
    expect(detectIntent(text)).toBe(intent);
  });

  it('leaves ordinary text and long messages alone', () => {
    expect(detectIntent('營業時間')).toBeNull();
    expect(detectIntent('台北')).toBeNull();
    expect(detectIntent('上次打給客服等了很久，後來店員幫我處理好了，整體來說還算滿意')).toBeNull();
  });

  it.each([
    ['好', 'yes'],
    ['好喔', 'yes'],
    ['好的', 'yes'],
    ['可以', 'yes'],
    ['OK', 'yes'],
    ['ok啦', 'yes'],
    ['嗯', 'yes'],
    ['嗯嗯', 'yes'],
    ['對', 'yes'],
    ['不要', 'no'],
    ['先不用', 'no'],
    ['不用了', 'no'],
    ['不用了謝謝', null],
    ['營業時間', null],
  ])('yes/no: %s → %s', (text, want) => {
    expect(readYesNo(text)).toBe(want);
  });
});

describe('#13.2 auto-reply rules', () => {
  const rule = (over: Partial<RuleView>): RuleView => ({
    id: 'r',
    name: 'r',
    mode: 'any',
    words: ['訂單'],
    priority: 0,
    days: [],
    active: true,
    ...over,
  });

  it('matches exact, contains-all and any-of triggers on normalised text', () => {
    expect(triggerMatches({ mode: 'exact', words: ['菜單'] }, '菜單？')).toBe(true);
    expect(triggerMatches({ mode: 'exact', words: ['菜單'] }, '有菜單嗎我想看')).toBe(false);
    expect(triggerMatches({ mode: 'contains', words: ['訂單', '取消'] }, '我想取消訂單')).toBe(true);
    expect(triggerMatches({ mode: 'contains', words: ['訂單', '取消'] }, '我的訂單')).toBe(false);
    expect(triggerMatches({ mode: 'any', words: ['訂單', '包裹'] }, '包裹到哪了')).toBe(true);
  });

  it('respects active days and hours in Asia/Taipei, a window past midnight included', () => {
    const night = rule({ from: '21:00', to: '09:00', days: [1] }); // Monday night
    // 2026-12-07 is a Monday. 22:00 Taipei = 14:00Z; Tuesday 08:00 Taipei = Tuesday 00:00Z still belongs to Monday.
    expect(isRuleOnAt(night, new Date('2026-12-07T14:00:00Z'), 'Asia/Taipei')).toBe(true);
    expect(isRuleOnAt(night, new Date('2026-12-08T00:00:00Z'), 'Asia/Taipei')).toBe(true);
    expect(isRuleOnAt(night, new Date('2026-12-08T04:00:00Z'), 'Asia/Taipei')).toBe(false);
    expect(isRuleOnAt(night, new Date('2026-12-08T14:00:00Z'), 'Asia/Taipei')).toBe(false); // Tuesday night
    expect(isRuleOnAt(rule({ active: false }), new Date(), 'Asia/Taipei')).toBe(false);
  });

  it('picks the highest priority among the rules on and triggered', () => {
    const rules = [
      rule({ id: 'low', priority: 1 }),
      rule({ id: 'high', priority: 5 }),
      rule({ id: 'other', words: ['x'], priority: 9 }),
    ];
    expect(pickRule(rules, '我的訂單', new Date(), 'Asia/Taipei')?.id).toBe('high');
    expect(pickRule(rules, '你好', new Date(), 'Asia/Taipei')).toBeNull();
  });
});

describe('#13.2 FAQ answers from the program settings', () => {
  it('fills the numbers from the settings and flags unknown variables', () => {
    const values = programVariables({
      ...DEFAULT_PROGRAM_SETTINGS,
      birthday: { ...DEFAULT_PROGRAM_SETTINGS.birthday, points: 300 },
    });
    expect(fillVariables('生日送 {birthday_points} 點，每 NT${spend_per_point} 一點', values)).toBe(
      '生日送 300 點，每 NT$100 一點',
    );
    expect(values.tier_list).toContain('銀卡：累積消費滿 NT$10,000');
    expect(unknownVariables('您好 {nmae}，{birthday_points}')).toEqual(['nmae']);
  });
});

describe('#13.3 n-gram matcher', () => {
  const index = buildMatchIndex([
    { id: 'points', phrases: ['點數怎麼用', '點數可以折抵嗎'] },
    { id: 'hours', phrases: ['營業時間', '幾點開門'] },
  ]);

  it('finds an entry through particles, punctuation and extra words, and says no match honestly', () => {
    expect(matchText(index, '我的點數怎麼用?')?.id).toBe('points');
    expect(matchText(index, '請問一下你們幾點開門呢')?.id).toBe('hours');
    expect(matchText(index, '今天天氣很好')).toBeNull();
    expect(matchText(index, '')).toBeNull();
  });
});
