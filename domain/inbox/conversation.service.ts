import type { Types } from 'mongoose';
import { Conversation, type HandoffReason } from '../../models/conversation.model';
import { InboxMessage } from '../../models/inbox-message.model';
import { getProgramSettings } from '../program/settings.service';
import { moduleLogger } from '../shared/logger';
import { openingState } from './opening-hours';
import { publishInboxEvent } from './inbox-events.service';

const log = moduleLogger('inbox');
const HOUR_MS = 3_600_000;
const DUPLICATE_KEY = 11000;

/** A customer message as the inbox keeps it (what the webhook event carried). */
export interface CustomerMessage {
  /** `in:<webhookEventId>`: a reprocessed event is kept once. */
  key: string;
  kind: string;
  text: string;
  lineMessageId?: string;
  markAsReadToken?: string;
}

export interface HandoffMember {
  _id: Types.ObjectId;
  lineUserId?: string | null;
  displayName?: string | null;
}

export type HandoffOutcome =
  { outcome: 'opened' | 'joined'; conversationId: string } | { outcome: 'closed_hours'; nextOpening: Date | null };

export type OpenConversation = NonNullable<Awaited<ReturnType<typeof findOpenConversation>>>;

/**
 * The member's open conversation, or null. One whose `resumeAt` has passed is closed here (`closedHow: auto`):
 * nobody answered or wrote for the configured hours, so the bot takes over again without a job.
 */
export async function findOpenConversation(memberId: Types.ObjectId | string, now: Date) {
  const open = await Conversation.findOne({ memberId, status: 'open' }).lean();
  if (!open) return null;
  if (open.resumeAt > now) return open;
  const closed = await Conversation.updateOne(
    { _id: open._id, status: 'open', resumeAt: { $lte: now } },
    { $set: { status: 'closed', closedAt: now, closedHow: 'auto' } },
  );
  if (closed.modifiedCount) {
    log.info({ conversationId: String(open._id) }, 'conversation closed after the resume time; the bot answers again');
    await publishInboxEvent('closed', open._id, now);
  }
  return null;
}

/**
 * A customer asks for a person (or sent an image, or a text the bot cannot answer). During opening hours the
 * member's open conversation is reused or a new one opened, the message is kept in it, and from now on the bot's
 * automatic replies to this member pause; outside opening hours nothing opens and the caller tells the customer
 * when someone is next on duty.
 */
export async function requestAgent(input: {
  member: HandoffMember;
  reason: HandoffReason;
  message?: CustomerMessage;
  now: Date;
  timeZone: string;
}): Promise<HandoffOutcome> {
  const { member, now } = input;
  const settings = (await getProgramSettings()).inbox;
  const existing = await findOpenConversation(member._id, now);
  if (existing) {
    if (input.message) await addCustomerMessage(existing, input.message, now, settings.autoResumeHours);
    return { outcome: 'joined', conversationId: String(existing._id) };
  }
  const hours = openingState(now, settings.openingHours, input.timeZone);
  if (!hours.open) return { outcome: 'closed_hours', nextOpening: hours.next };
  const conversation = await openConversation(member, input.reason, now, settings.autoResumeHours);
  if (input.message) await addCustomerMessage(conversation, input.message, now, settings.autoResumeHours);
  return { outcome: 'opened', conversationId: String(conversation._id) };
}

async function openConversation(member: HandoffMember, reason: HandoffReason, now: Date, resumeHours: number) {
  try {
    const doc = await Conversation.create({
      memberId: member._id,
      lineUserId: member.lineUserId ?? '',
      displayName: member.displayName ?? '',
      status: 'open',
      reason,
      openedAt: now,
      lastMessageAt: now,
      lastMessageFrom: 'customer',
      waiting: true,
      unread: 0,
      resumeAt: new Date(now.getTime() + resumeHours * HOUR_MS),
    });
    await publishInboxEvent('opened', doc._id, now);
    return doc.toObject();
  } catch (err) {
    // Another instance opened it a moment ago (the partial unique index allows one open conversation).
    if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
    const open = await Conversation.findOne({ memberId: member._id, status: 'open' }).lean();
    if (!open) throw err;
    return open;
  }
}

/**
 * A customer message while the conversation is open: kept (once per webhook event), counted unread, the
 * conversation marked "waiting for us" and its resume time pushed back.
 */
export async function addCustomerMessage(
  conversation: { _id: Types.ObjectId; memberId: Types.ObjectId },
  message: CustomerMessage,
  now: Date,
  resumeHours?: number,
): Promise<void> {
  try {
    await InboxMessage.create({
      conversationId: conversation._id,
      memberId: conversation.memberId,
      direction: 'in',
      kind: message.kind,
      text: message.text.slice(0, 5000),
      lineMessageId: message.lineMessageId,
      at: now,
      key: message.key,
    });
  } catch (err) {
    if ((err as { code?: number }).code === DUPLICATE_KEY) return;
    throw err;
  }
  const hours = resumeHours ?? (await getProgramSettings()).inbox.autoResumeHours;
  await Conversation.updateOne(
    { _id: conversation._id },
    {
      $set: {
        lastMessageAt: now,
        lastMessageFrom: 'customer',
        lastPreview: previewOf(message),
        waiting: true,
        resumeAt: new Date(now.getTime() + hours * HOUR_MS),
        ...(message.markAsReadToken ? { markAsReadToken: message.markAsReadToken } : {}),
      },
      $inc: { unread: 1 },
    },
  );
  await publishInboxEvent('message', conversation._id, now);
}

const KIND_LABELS: Record<string, string> = {
  image: '[照片]',
  video: '[影片]',
  audio: '[語音]',
  file: '[檔案]',
  sticker: '[貼圖]',
  location: '[位置]',
};

export function previewOf(message: { kind: string; text: string }): string {
  const text = message.kind === 'text' ? message.text : `${KIND_LABELS[message.kind] ?? '[訊息]'} ${message.text}`;
  return text.trim().slice(0, 80);
}
