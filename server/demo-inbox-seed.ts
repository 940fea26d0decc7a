import { createCannedReply, listCannedReplies } from '../domain/inbox/canned-reply.service';
import { addCustomerMessage, requestAgent } from '../domain/inbox/conversation.service';
import { getProgramSettings, updateProgramSettings } from '../domain/program/settings.service';
import { Conversation } from '../models/conversation.model';
import { Member } from '../models/member.model';
import { Settings } from '../models/settings.model';

/** The demo brand's inbox (#13.5): canned replies, opening hours, and one customer waiting for an answer. */
const CANNED = [
  {
    title: '營業時間',
    text: '我們的門市每天 11:00–21:30 營業；線上客服週一至週五 10:00–19:00、週六 11:00–17:00 為您服務，週日公休 😊',
  },
  {
    title: '退換貨',
    text: '商品到貨 7 天內、保持全新未拆封都可以退換貨喔！請到會員卡「我的訂單」申請，或帶著發票到任一門市辦理。',
  },
  { title: '運費', text: '單筆滿 NT$1,000 免運費，未滿收 NT$80；超商取貨 2–3 個工作天到店。' },
  { title: '點數怎麼用', text: '結帳時出示會員卡條碼，每 1 點可以折抵 NT$1，最多折抵訂單金額的一半。' },
  { title: '查詢訂單', text: '收到，我幫您查一下訂單狀態，請稍等一下喔 🙏' },
];

/** 客服時間, Sunday first: 週一至週五 10:00–19:00, 週六 11:00–17:00, 週日公休. */
const WEEKDAYS = { open: '10:00', close: '19:00' };
const DEMO_OPENING_HOURS = [null, WEEKDAYS, WEEKDAYS, WEEKDAYS, WEEKDAYS, WEEKDAYS, { open: '11:00', close: '17:00' }];

/** Idempotent: canned replies only into an empty list, the hours only if the brand has not set them. */
export async function seedDemoInbox(opts: { now: Date; timeZone: string; customerLineUserId: string }): Promise<void> {
  if (!(await listCannedReplies()).length) for (const c of CANNED) await createCannedReply(c, 'demo-seed', opts.now);
  const member = await Member.findOne({ lineUserId: opts.customerLineUserId }).lean();
  if (member && !(await Conversation.exists({ memberId: member._id }))) {
    // Opened while the default hours (always) still hold, an hour ago: one customer waits for a colleague.
    const at = new Date(opts.now.getTime() - 3_600_000);
    const r = await requestAgent({
      member,
      reason: 'asked',
      message: { key: 'in:demo-seed-1', kind: 'text', text: '請問可以找真人客服嗎？' },
      now: at,
      timeZone: opts.timeZone,
    });
    if (r.outcome !== 'closed_hours') {
      const c = await Conversation.findById(r.conversationId).lean();
      const text = '我上週在官網買的保濕精華還沒到貨，訂單編號 HG20251128-0312，可以幫我查一下嗎？';
      await addCustomerMessage(c!, { key: 'in:demo-seed-2', kind: 'text', text }, new Date(at.getTime() + 60_000));
    }
  }
  const stored = await Settings.findOne({ key: 'program' }).lean();
  if (!(stored?.value as { inbox?: unknown } | undefined)?.inbox) {
    const current = await getProgramSettings();
    await updateProgramSettings({ inbox: { ...current.inbox, openingHours: DEMO_OPENING_HOURS } }, 'demo-seed');
  }
}
