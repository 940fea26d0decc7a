import { editableTexts } from '../replies/reply-registry';

/**
 * What the inbox itself sends the customer (not the chat's answers, which live in the bot's catalogue): the
 * goodbye when an agent closes the conversation, and the notice when the customer writes into an open
 * conversation outside 客服時間. Editable in the console 「訊息內容」 as `inbox.<name>`.
 */
const builtInInboxText = {
  closedByAgent: '這次的對話先到這邊，之後有任何問題都可以再傳訊息給我們喔！',
  /** `{next_opening}`: 「明天（週四）10:00」. */
  closedHoursNotice: '目前是非客服時間，同仁會在 {next_opening} 回覆您，訊息我們都收到了，請稍候 🙏',
};

export const inboxText = editableTexts('inbox', builtInInboxText, {
  closedByAgent: {
    label: '客服結束對話時',
    group: '轉接真人客服',
    hint: '同仁按「結束對話」時推播給客人；選「結束但不通知客人」或對話逾時自動結束時不會送出。',
  },
  closedHoursNotice: {
    label: '客服處理中，客人在非客服時間傳訊息',
    group: '轉接真人客服',
    args: ['next_opening'],
    hint: '對話已轉給同仁、但現在不是客服時間時回覆；每段非客服時間只回一次，之後的訊息不再重複。',
  },
});
