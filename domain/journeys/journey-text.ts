/** The marketer-facing zh-TW texts of journeys (console errors and labels). */
export const journeyText = {
  notFound: '找不到這個旅程。',
  notActive: '只有進行中的旅程可以暫停。',
  notPaused: '這個旅程沒有暫停，不需要恢復。',
  hasMembers: (n: number) => `還有 ${n} 位會員在這個旅程中，請選擇要讓他們立即離開旅程，才能刪除。`,
  notSegment: '只有「進入分群」觸發的旅程可以預估人數。',
  testMemberMissing: '這個測試帳號還不是會員，請先用這個 LINE 帳號加入好友。',
};
