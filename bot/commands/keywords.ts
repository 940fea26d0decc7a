import { normalizeText } from '../../domain/persona/answer-parsing';

/**
 * Text commands and their zh-TW synonyms (and the common 優惠卷 typo). A message that is exactly a synonym is the
 * command; a short message that contains exactly one command's word ("查詢點數", "我的優惠券呢") is read as it too.
 */
export type CommandName =
  | 'card'
  | 'points'
  | 'coupons'
  | 'stamps'
  | 'credit'
  | 'referral'
  | 'profile'
  | 'help'
  | 'restart'
  | 'continue'
  | 'consent_accept'
  | 'consent_decline';

export type Command = { name: CommandName } | { name: 'apply_referral'; code: string };

const SYNONYMS: Record<CommandName, string[]> = {
  card: ['會員卡', '卡片', '我的會員卡', '會員條碼', '條碼', 'card', 'membercard'],
  points: ['點數', '積分', '紅利', '我的點數', '查點數', '點數查詢', '查詢點數', '剩幾點', 'point', 'points'],
  coupons: ['優惠券', '優惠卷', '折價券', '折價卷', '折扣券', '我的優惠券', 'coupon', 'coupons'],
  stamps: ['集點', '集點卡', '我的集點', '我的集點卡', '集章', '蓋章', 'stamp', 'stamps'],
  credit: ['購物金', '我的購物金', '查購物金', '購物金查詢', '購物金餘額', '查詢購物金'],
  referral: ['推薦', '推薦碼', '推薦好友', '邀請', '邀請好友', '我的推薦碼', 'referral', 'invite'],
  profile: ['資料', '個人資料', '我的資料', '會員資料', '問卷', 'profile'],
  help: ['說明', '幫助', '選單', '功能', '指令', '使用說明', 'help', 'menu'],
  restart: ['重新填寫', '重填', '重新填', '重新開始'],
  continue: ['繼續填寫', '繼續', '開始填寫', '填寫資料'],
  consent_accept: ['同意', '我同意', '同意個資告知'],
  consent_decline: ['不同意', '我不同意', '拒絕'],
};

/** Words that make a short sentence mean a command ("查詢點數"); not every synonym is safe to look for inside text. */
const CONTAINED: Partial<Record<CommandName, string[]>> = {
  card: ['會員卡'],
  points: ['點數', '積分'],
  coupons: ['優惠券', '優惠卷', '折價券'],
  stamps: ['集點卡'],
  credit: ['購物金'],
  referral: ['推薦碼', '推薦好友', '邀請好友'],
  help: ['說明', '怎麼用'],
};
const CONTAINED_MAX_LENGTH = 12;

const EXACT = new Map<string, CommandName>();
for (const [name, words] of Object.entries(SYNONYMS) as Array<[CommandName, string[]]>) {
  for (const w of words) EXACT.set(normalizeText(w), name);
}

/** "推薦碼 AB12CD", "推薦碼：ab12cd", "推薦碼AB12CD" (the share link types the first form for the friend). */
const APPLY_REFERRAL = /^(?:推薦碼|邀請碼|referral(?:code)?)[:：]?([a-z0-9-]{4,16})$/i;

/**
 * The command a message means, or null for ordinary text. `exactOnly`: only a message that is the command itself
 * (the chat tries the FAQ before reading 「點數可以折抵嗎」 as the 點數 command, #13.3).
 */
export function detectCommand(text: string, opts: { exactOnly?: boolean } = {}): Command | null {
  const norm = normalizeText(text);
  if (!norm) return null;
  const apply = APPLY_REFERRAL.exec(norm);
  if (apply) return { name: 'apply_referral', code: apply[1].toUpperCase() };
  const exact = EXACT.get(norm);
  if (exact) return { name: exact };
  if (opts.exactOnly || [...norm].length > CONTAINED_MAX_LENGTH) return null;
  const hits = (Object.entries(CONTAINED) as Array<[CommandName, string[]]>).filter(([, words]) =>
    words.some((w) => norm.includes(normalizeText(w))),
  );
  return hits.length === 1 ? { name: hits[0][0] } : null;
}
