import { DATE_EXAMPLE } from '../../shared/vocabulary';

/** zh-TW texts the member API sends to the card (validation and state messages); the page's own words live in liff-app. */
export const memberText = {
  notEditable: '這個欄位不能在這裡修改。',
  invalidChoice: '請從選項中選擇。',
  invalidDate: `請輸入正確的日期，例如 ${DATE_EXAMPLE} 或 民國79年5月20日（不能是未來的日期）。`,
  invalidEmail: '請輸入正確的 Email，例如 name@example.com。',
  invalidPhone: '請輸入 09 開頭的 10 碼手機號碼，例如 0912-345-678。',
  invalidText: (min: number, max: number) => `請輸入 ${min}～${max} 個字，不能包含網址。`,
  datePlaceholder: `例如 ${DATE_EXAMPLE}`,
  consentRequired: '請先在聊天室同意「個人資料蒐集告知」，才能開啟優惠訊息。',
  aFriend: '一位好友',
  shareText: (code: string) => `我在用這個會員卡，輸入我的推薦碼「${code}」加入，我們都能拿到好禮！`,
};
