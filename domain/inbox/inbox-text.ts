import { editableTexts } from '../replies/reply-registry';

/**
 * What the inbox itself sends the customer (not the chat's answers, which live in the bot's catalogue): the
 * goodbye when an agent closes the conversation. Editable in the console 「訊息內容」 as `inbox.<name>`.
 */
const builtInInboxText = {
  closedByAgent: '這次的對話先到這邊，之後有任何問題都可以再傳訊息給我們喔！',
};

export const inboxText = editableTexts('inbox', builtInInboxText, {
  closedByAgent: {
    label: '客服結束對話時',
    group: '轉接真人客服',
    hint: '同仁按「結束對話」時推播給客人；選「結束但不通知客人」或對話逾時自動結束時不會送出。',
  },
});
