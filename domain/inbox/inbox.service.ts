import type { Types } from 'mongoose';
import { Conversation } from '../../models/conversation.model';
import { ConsoleUser } from '../../models/console-user.model';
import { InboxMessage } from '../../models/inbox-message.model';
import { listInteractions } from '../interactions/interaction.service';
import { getMemberDetail, type MemberDetail } from '../members/member-detail.service';
import type { Messenger } from '../messaging/messenger';
import { listMemberPurchases } from '../purchases/purchase-view.service';
import type { ProgramContext } from '../shared/context';
import { badRequest, notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { maskPhonesInText } from '../shared/phone';
import { isObjectId } from '../../shared/ids';
import { latestInboxSeq, publishInboxEvent } from './inbox-events.service';

const log = moduleLogger('inbox');
/** Messages of one conversation the view shows (the newest ones). */
const VIEW_MESSAGES = 200;

export type ConversationDoc = NonNullable<Awaited<ReturnType<typeof loadConversation>>>;

export interface ConversationRow {
  id: string;
  memberId: string;
  displayName: string;
  status: 'open' | 'closed';
  reason: 'asked' | 'image' | 'unanswered';
  assigneeId: string | null;
  assigneeName: string | null;
  openedAt: Date;
  closedAt: Date | null;
  lastMessageAt: Date;
  lastMessageFrom: 'customer' | 'agent';
  lastPreview: string;
  unread: number;
  waiting: boolean;
  /** After an agent closed it: whether the goodbye reached the customer (null while open). */
  closeNotice: 'none' | 'pending' | 'sent' | 'failed' | null;
}

export interface InboxCounts {
  open: number;
  waiting: number;
  unread: number;
}

export function toConversationRow(c: ConversationDoc): ConversationRow {
  return {
    id: String(c._id),
    memberId: String(c.memberId),
    displayName: c.displayName ?? '',
    status: c.status as ConversationRow['status'],
    reason: c.reason as ConversationRow['reason'],
    assigneeId: c.assigneeId ?? null,
    assigneeName: c.assigneeName ?? null,
    openedAt: c.openedAt,
    closedAt: c.closedAt ?? null,
    lastMessageAt: c.lastMessageAt,
    lastMessageFrom: c.lastMessageFrom as ConversationRow['lastMessageFrom'],
    lastPreview: maskPhonesInText(c.lastPreview ?? ''),
    unread: c.unread ?? 0,
    waiting: Boolean(c.waiting),
    closeNotice:
      (c.closeNotice as ConversationRow['closeNotice'] | undefined) ?? (c.status === 'closed' ? 'none' : null),
  };
}

function loadConversation(id: Types.ObjectId | string) {
  return Conversation.findById(id).lean();
}

export async function requireConversation(id: string): Promise<ConversationDoc> {
  const c = isObjectId(id) ? await loadConversation(id) : null;
  if (!c) throw notFound('找不到這則對話。', 'conversation_not_found');
  return c;
}

/** The nav badge and the list header: open conversations, those waiting for us, those with unread messages. */
export async function countInbox(): Promise<InboxCounts> {
  const [open, waiting, unread] = await Promise.all([
    Conversation.countDocuments({ status: 'open' }),
    Conversation.countDocuments({ status: 'open', waiting: true }),
    Conversation.countDocuments({ status: 'open', unread: { $gt: 0 } }),
  ]);
  return { open, waiting, unread };
}

/** Conversations by last message, newest first, with the counts and the feed position they reflect. */
export async function listConversations(opts: { status: 'open' | 'closed' | 'all'; limit: number }) {
  // Read the feed position first: an event after it is delivered by the stream, so nothing falls in between.
  const seq = await latestInboxSeq();
  const filter = opts.status === 'all' ? {} : { status: opts.status };
  const [rows, counts] = await Promise.all([
    Conversation.find(filter).sort({ lastMessageAt: -1 }).limit(opts.limit).lean(),
    countInbox(),
  ]);
  return { items: rows.map(toConversationRow), counts, seq };
}

/** Rows for the given ids (the stream's events), by id. */
export async function conversationRows(ids: string[]): Promise<Map<string, ConversationRow>> {
  const rows = ids.length ? await Conversation.find({ _id: { $in: ids } }).lean() : [];
  return new Map(rows.map((r) => [String(r._id), toConversationRow(r)]));
}

export interface ConversationView {
  conversation: ConversationRow;
  messages: Array<{
    id: string;
    direction: 'in' | 'out';
    kind: string;
    text: string;
    agentName: string | null;
    delivery: 'sent' | 'failed' | null;
    at: Date;
  }>;
  member: MemberDetail;
  purchases: Array<{ id: string; orderId: string; amount: number; at: string; items: string[] }>;
  timeline: Array<{
    _id: unknown;
    type: string;
    channel: string;
    summary: string;
    at: Date;
    refs?: Record<string, unknown> | null;
  }>;
}

/**
 * An agent opens a conversation: its messages, and beside them the member panel (points, tier, tags, notes,
 * recent purchases, the latest timeline). Reading changes nothing: the console then marks it read
 * (`markConversationRead`).
 */
export async function getConversationView(
  id: string,
  ctx: Pick<ProgramContext, 'now' | 'links'>,
): Promise<ConversationView> {
  const c = await requireConversation(id);
  const [messages, member, purchases, timeline] = await Promise.all([
    // `_id` breaks ties: a notice the bot sent in answer to a message shares its instant and follows it.
    InboxMessage.find({ conversationId: c._id }).sort({ at: -1, _id: -1 }).limit(VIEW_MESSAGES).lean(),
    getMemberDetail(String(c.memberId), ctx),
    listMemberPurchases(c.memberId, { pageSize: 5 }),
    listInteractions(c.memberId, { limit: 20 }),
  ]);
  return {
    conversation: toConversationRow(c),
    messages: messages.reverse().map((m) => ({
      id: String(m._id),
      direction: m.direction as 'in' | 'out',
      kind: m.kind,
      // A number the customer typed shows masked to staff, like every staff view (#16.6).
      text: maskPhonesInText(m.text ?? ''),
      agentName: m.agentName ?? null,
      delivery: (m.delivery as 'sent' | 'failed' | undefined) ?? null,
      at: m.at,
    })),
    member,
    purchases: purchases.items.map((p) => ({
      id: p.id,
      orderId: p.orderId,
      amount: p.amount,
      at: p.at,
      items: p.items.map((i) => i.name),
    })),
    timeline: timeline.items,
  };
}

/**
 * An agent opened the conversation: its customer messages are read, in the inbox and in LINE (the newest message's
 * `markAsReadToken`: LINE marks it and every earlier one). A refused or unreachable mark-as-read is logged, never
 * an error for the agent; LINE is asked once per token.
 */
export async function markConversationRead(id: string, messenger: Messenger, now: Date): Promise<ConversationRow> {
  const c = await requireConversation(id);
  if (!c.unread && !c.markAsReadToken) return toConversationRow(c);
  const updated = await Conversation.findOneAndUpdate(
    { _id: c._id },
    { $set: { unread: 0 }, $unset: { markAsReadToken: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (c.markAsReadToken) {
    await messenger.markAsRead(c.markAsReadToken).catch((err) => {
      log.warn({ conversationId: String(c._id), err: (err as Error).message }, 'LINE refused mark-as-read');
    });
  }
  await publishInboxEvent('read', c._id, now);
  return toConversationRow(updated ?? c);
}

/** Gives the conversation to a colleague (any active console user), or takes it back to nobody (`null`). */
export async function assignConversation(id: string, assigneeId: string | null, now: Date): Promise<ConversationRow> {
  const c = await requireConversation(id);
  let name: string | null = null;
  if (assigneeId) {
    const user = await ConsoleUser.findOne({ _id: assigneeId, status: 'active' }, { displayName: 1 }).lean();
    if (!user)
      throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', {
        fields: [{ path: 'assigneeId', message: '找不到這位同事，或帳號已停用' }],
      });
    name = user.displayName;
  }
  const updated = await Conversation.findOneAndUpdate(
    { _id: c._id },
    { $set: { assigneeId, assigneeName: name } },
    { returnDocument: 'after' },
  ).lean();
  await publishInboxEvent('assigned', c._id, now);
  return toConversationRow(updated!);
}

/** The colleagues a conversation can be given to. */
export async function listAgents(): Promise<Array<{ id: string; displayName: string; role: string }>> {
  const users = await ConsoleUser.find({ status: 'active' }, { displayName: 1, role: 1 })
    .sort({ username: 1 })
    .limit(200)
    .lean();
  return users.map((u) => ({ id: String(u._id), displayName: u.displayName, role: u.role }));
}
