import { zhTW } from '../../../bot/messages/catalogue';
import { campaignText } from '../../../domain/campaigns/campaign-text';
import { inboxText } from '../../../domain/inbox/inbox-text';
import { programText } from '../../../domain/program/program-messages';
import { editableTexts, entriesOf, withReplyTexts, type ReplyTextSource } from '../../../domain/replies/reply-registry';
import { fillTemplate, placeholdersOf, unknownPlaceholders } from '../../../domain/replies/reply-template';

const source = (templates: Record<string, string>, vars: Record<string, string | number> = {}): ReplyTextSource => ({
  template: (k) => templates[k] ?? null,
  contextVars: () => vars,
});

describe('#13.1 template filling', () => {
  it('fills placeholders, formats numbers and lists, and leaves other braces alone', () => {
    expect(fillTemplate('{name} 您好，您有 {points} 點', { name: '小美', points: 12800 })).toBe(
      '小美 您好，您有 12,800 點',
    );
    expect(fillTemplate('已選：{labels}', { labels: ['咖啡', '甜點'] })).toBe('已選：咖啡、甜點');
    expect(fillTemplate('JSON 長這樣 {"a":1} 與 {Name}', {})).toBe('JSON 長這樣 {"a":1} 與 {Name}');
    expect(fillTemplate('NT${spend_needed}', { spend_needed: 1500 })).toBe('NT$1,500');
  });

  it('an empty value drops the one separator after it, as the built-in texts do for a missing name', () => {
    expect(fillTemplate('{name} 您好！', { name: '' })).toBe('您好！');
    expect(fillTemplate('{name}，歡迎回來！', { name: undefined })).toBe('歡迎回來！');
    expect(fillTemplate('{name}  兩個空白', { name: '' })).toBe(' 兩個空白');
  });

  it('lists placeholders and the unknown ones', () => {
    expect(placeholdersOf('{a} {b} {a} {B} {1x}')).toEqual(['a', 'b']);
    expect(unknownPlaceholders('{name} {coupon} {points}', ['name', 'points'])).toEqual(['coupon']);
  });
});

describe('#13.1 reply registry', () => {
  it('a wrapped catalogue keeps its built-in texts exactly when nothing is stored', () => {
    expect(zhTW.welcome.title).toBe('歡迎加入會員 🎉');
    expect(zhTW.welcome.back('')).toBe('歡迎回來！您的點數與優惠券都還在，隨時可以打開會員卡查看。');
    expect(zhTW.welcome.body('', 0, '')).toBe(
      '您好！謝謝您加入我們的 LINE 好友。\n會員卡可以查看點數、優惠券和推薦好友，消費時出示條碼就能累積點數。',
    );
    expect(programText.tierDown('銀卡', 2000, '金卡')).toContain('再消費 NT$2,000 即可回到「金卡」');
  });

  it('reads the stored template of the current source, with positional args and context variables', () => {
    const src = source(
      { 'welcome.body': '{name}：送 {completion_points} 點 {card_url}', 'welcome.title': '嗨 {card_url}' },
      {
        card_url: 'https://x.test/card',
        completion_points: 99,
      },
    );
    withReplyTexts(src, () => {
      expect(zhTW.welcome.body('小美', 50, '')).toBe('小美：送 50 點 https://x.test/card');
      expect(zhTW.welcome.title).toBe('嗨 https://x.test/card');
      expect(zhTW.welcome.openCard).toBe('開啟會員卡');
    });
    expect(zhTW.welcome.title).toBe('歡迎加入會員 🎉');
  });

  it('every entry has a zh-TW label and group, and a default that only uses its declared variables', () => {
    const entries = [zhTW, programText, campaignText, inboxText].flatMap((c) => entriesOf(c));
    expect(entries.length).toBeGreaterThan(40);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    for (const e of entries) {
      expect(e.label).toMatch(/[\u4e00-\u9fff]/);
      expect(e.group).toMatch(/[\u4e00-\u9fff]/);
      expect(unknownPlaceholders(e.defaultTemplate, e.vars)).toEqual([]);
    }
    expect(entries.find((e) => e.key === 'program.tierUp')!.defaultTemplate).toBe(
      '恭喜升級為「{tier}」會員！🎉 您的會員權益：\n{benefits}',
    );
  });

  it('one spec line makes a leaf editable; a function whose default cannot be a template must say it', () => {
    const texts = editableTexts(
      'demo',
      { hi: '你好', n: (count: number) => `共 ${count.toFixed(0)} 件` },
      {
        hi: { label: '打招呼', group: '示範' },
      },
    );
    expect(entriesOf(texts).map((e) => e.key)).toEqual(['demo.hi']);
    expect(() =>
      editableTexts(
        'demo',
        { n: (count: number) => `共 ${count.toFixed(0)} 件` },
        { n: { label: '件數', group: '示範', args: ['count'] } },
      ),
    ).toThrow(/explicit template/);
    expect(() => editableTexts('demo', { a: { b: 1 } }, { 'a.b': { label: '數字', group: '示範' } })).toThrow(
      /not a text/,
    );
  });
});
