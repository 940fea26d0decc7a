/** zh-TW texts of the console's chat-answer pages (常見問題, 自動回覆, 未回覆的問題; #13.2, #13.6). */
export const ct = {
  faq: {
    title: '常見問題',
    hint: '顧客在 LINE 問的問題，機器人會用這裡的回答。其他問法越多，越容易認得顧客的說法（全形半形、臺/台、語助詞都會自動處理）。',
    add: '新增常見問題',
    edit: '編輯常見問題',
    question: '問題',
    alternatives: '其他問法（一行一個）',
    answer: '回答',
    variables: '可用的變數',
    active: '啟用',
    inactive: '停用',
    save: '儲存',
    remove: '刪除',
    removeConfirm: (q: string) => `確定要刪除「${q}」嗎？`,
    empty: '還沒有常見問題。',
    alternativesCount: (n: number) => `${n} 種問法`,
  },
  rules: {
    title: '自動回覆',
    hint: '顧客訊息符合關鍵字時自動回覆；同時符合多條時，優先順序高的先用。可以限定星期與時段（例如非營業時間）。',
    add: '新增規則',
    edit: '編輯規則',
    name: '規則名稱',
    mode: '比對方式',
    modes: { exact: '完全相同', contains: '包含全部關鍵字', any: '包含任一關鍵字' },
    words: '關鍵字（一行一個）',
    priority: '優先順序（0–100）',
    days: '星期（不選 = 每天）',
    dayNames: ['日', '一', '二', '三', '四', '五', '六'],
    from: '開始時間',
    to: '結束時間',
    hoursHint: '不填 = 全天；開始晚於結束會跨過午夜，例如 21:00–09:00。',
    reply: '回覆方式',
    kinds: { text: '文字', flex: 'Flex 訊息（JSON）', coupon: '發送優惠券', card: '會員卡連結' },
    text: '回覆文字',
    flex: 'Flex 訊息 JSON',
    flexInvalid: 'Flex 訊息不是有效的 JSON',
    coupon: '優惠券',
    pickCoupon: '請選擇優惠券',
    tags: '加上標籤（一行一個，選填）',
    active: '啟用',
    save: '儲存',
    remove: '刪除',
    removeConfirm: (name: string) => `確定要刪除規則「${name}」嗎？`,
    empty: '還沒有自動回覆規則。',
    always: '全天',
  },
  unanswered: {
    title: '未回覆的問題',
    hint: (days: number) =>
      `最近 ${days} 天顧客問了、但機器人答不出來的話。點「變成常見問題」寫下回答，下次就會自動回覆。`,
    phrase: '顧客說的話',
    count: '次數',
    lastAt: '最近一次',
    toFaq: '變成常見問題',
    answer: '回答',
    save: '新增為常見問題',
    empty: '最近沒有答不出來的問題 🎉',
    done: '已新增為常見問題。',
  },
};

/** One value per non-empty line. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
