import { detectInterestMentions } from '../../../bot/commands/interest-tags';
import { detectCommand } from '../../../bot/commands/keywords';
import { commandFromPostback } from '../../../bot/commands/router';
import { defaultPersonaScript } from '../../../domain/persona/persona-script.service';

describe('keyword commands', () => {
  it.each([
    ['點數', 'points'],
    ['積分', 'points'],
    ['查詢點數', 'points'],
    ['我還有多少點數？', 'points'],
    ['Points', 'points'],
    ['優惠券', 'coupons'],
    ['優惠卷', 'coupons'],
    ['我的優惠券呢', 'coupons'],
    ['會員卡', 'card'],
    ['條碼', 'card'],
    ['推薦', 'referral'],
    ['推薦碼', 'referral'],
    ['邀請好友', 'referral'],
    ['資料', 'profile'],
    ['個人資料', 'profile'],
    ['說明', 'help'],
    ['help', 'help'],
    ['HELP', 'help'],
    ['選單', 'help'],
    ['怎麼用', 'help'],
    ['重新填寫', 'restart'],
    ['繼續填寫', 'continue'],
    ['同意', 'consent_accept'],
    ['不同意', 'consent_decline'],
  ])('%s → %s', (text, name) => {
    expect(detectCommand(text)).toEqual({ name });
  });

  it('reads 推薦碼 XXXX in its usual spellings', () => {
    for (const text of ['推薦碼 ab12cd', '推薦碼：AB12CD', '推薦碼AB12CD', '推薦碼 AB12-CD', '邀請碼 ab12cd']) {
      expect(detectCommand(text)).toMatchObject({ name: 'apply_referral', code: expect.stringMatching(/^AB12-?CD$/) });
    }
  });

  it('leaves ordinary sentences alone', () => {
    for (const text of [
      '你好',
      '請問週末有營業嗎',
      '點數和優惠券怎麼用',
      '這是一段很長的話裡面提到點數但是不是在問點數的事情',
      '',
    ]) {
      expect(detectCommand(text)).toBeNull();
    }
  });

  it('maps rich-menu postbacks to commands and ignores anything else', () => {
    expect(commandFromPostback('cmd:coupons')).toEqual({ name: 'coupons' });
    expect(commandFromPostback('cmd:apply_referral')).toBeNull();
    expect(commandFromPostback('cmd:points:x')).toBeNull();
  });
});

describe('interest mentions', () => {
  const script = defaultPersonaScript();
  it("finds preference tags from the script's option keywords", () => {
    expect(detectInterestMentions(script, '最近在找跑步鞋跟面膜')).toEqual([
      { label: '美妝', tags: ['興趣:美妝'] },
      { label: '運動', tags: ['興趣:運動'] },
    ]);
    expect(detectInterestMentions(script, '謝謝')).toEqual([]);
  });
});
