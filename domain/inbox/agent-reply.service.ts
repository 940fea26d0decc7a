import { Conversation } from '../../models/conversation.model';
import { InboxMessage } from '../../models/inbox-message.model';
import { recordInteraction } from '../interactions/interaction.service';
import { checkLineMessage, toFieldErrors } from '../messaging/line-rules/line-message-rules';
import { type LineMessage, type Messenger, MessengerError } from '../messaging/messenger';
import { retryKeyFor } from '../messaging/retry-key';
import { getProgramSettings } from '../program/settings.service';
import { AppError, badRequest, conflict, notFound } from '../shared/errors';
import { isObjectId } from '../../shared/ids';
import { publishInboxEvent } from './inbox-events.service';
import { toConversationRow, type ConversationRow } from './inbox.service';

const HOUR_MS = 3_600_000;
const DUPLICATE_KEY = 11000;

export interface AgentReplyInput {
  conversationId: string;
  text: string;
  /** The console's id of this send: the same key is sent once (here and, by the retry key, by LINE). */
  clientKey: string;
  agent: { id: string; name: string };
  messenger: Messenger;
  now: Date;
}

/**
 * An agent's reply, sent to the member as a LINE push. The message is checked by our LINE rules and by LINE's own
 * validate endpoint before anything is stored; it is kept first (key `out:<conversation>:<clientKey>`) so a retry of
 * the same send finds it, then pushed with a retry key derived from that key (LINE drops a repeat), and recorded
 * on the member's timeline. A refused or failed push is kept as `failed` and answered 502; sending again with the
 * same key retries it.
 */
export async function sendAgentReply(
  input: AgentReplyInput,
): Promise<{ conversation: ConversationRow; sent: boolean }> {
  const { now, messenger } = input;
  const c = isObjectId(input.conversationId) ? await Conversation.findById(input.conversationId).lean() : null;
  if (!c) throw notFound('找不到這則對話。', 'conversation_not_found');
  if (c.status !== 'open') throw conflict('conversation_closed', '這則對話已經結束，無法再回覆。');
  const message: LineMessage = { type: 'text', text: input.text };
  const issues = checkLineMessage(message);
  if (issues.length)
    throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', { fields: toFieldErrors(issues) });
  const verdict = await messenger.validate('push', [message]);
  if (!verdict.ok)
    throw badRequest('line_rejected', `LINE 不接受這則訊息：${verdict.message}`, { details: verdict.details });

  const key = `out:${String(c._id)}:${input.clientKey}`;
  const existing = await InboxMessage.findOne({ key }).lean();
  if (existing?.delivery === 'sent') return { conversation: toConversationRow(c), sent: false };
  if (!existing) {
    try {
      await InboxMessage.create({
        conversationId: c._id,
        memberId: c.memberId,
        direction: 'out',
        kind: 'text',
        text: input.text,
        agentId: input.agent.id,
        agentName: input.agent.name,
        at: now,
        key,
      });
    } catch (err) {
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
    }
  }
  try {
    await messenger.push(c.lineUserId, [message], { retryKey: retryKeyFor(`inbox:${key}`) });
  } catch (err) {
    await InboxMessage.updateOne({ key }, { $set: { delivery: 'failed' } });
    const quota = err instanceof MessengerError && err.quotaExceeded;
    throw new AppError(
      quota ? 'quota_exceeded' : 'line_send_failed',
      502,
      quota ? '本月的 LINE 訊息額度已用完，這則回覆沒有送出。' : 'LINE 暫時無法送出這則回覆，請稍後再按一次「送出」。',
    );
  }
  await InboxMessage.updateOne({ key }, { $set: { delivery: 'sent' } });
  const hours = (await getProgramSettings()).inbox.autoResumeHours;
  const updated = await Conversation.findOneAndUpdate(
    { _id: c._id },
    {
      $set: {
        lastMessageAt: now,
        lastMessageFrom: 'agent',
        lastPreview: input.text.slice(0, 80),
        waiting: false,
        unread: 0,
        resumeAt: new Date(now.getTime() + hours * HOUR_MS),
      },
    },
    { returnDocument: 'after' },
  ).lean();
  await recordInteraction({
    memberId: c.memberId,
    lineUserId: c.lineUserId,
    type: 'push',
    channel: 'console',
    summary: `[客服 ${input.agent.name}] ${input.text}`.slice(0, 300),
    at: now,
    key: `inbox:${key}`,
    refs: { conversationId: String(c._id), agentId: input.agent.id },
  });
  await publishInboxEvent('reply', c._id, now);
  return { conversation: toConversationRow(updated ?? c), sent: true };
}

/** The month's LINE message quota as the reply box shows it. */
export async function readQuota(messenger: Messenger) {
  const q = await messenger.getQuota();
  return { limit: q.limit, used: q.used, remaining: q.limit === null ? null : Math.max(0, q.limit - q.used) };
}
