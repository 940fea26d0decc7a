import type { Types } from 'mongoose';
import { InboxMessage } from '../../models/inbox-message.model';
import { getProgramSettings } from '../program/settings.service';
import { fillKnown } from '../replies/reply-template';
import { publishInboxEvent } from './inbox-events.service';
import type { OpeningDay } from './inbox-settings.schema';
import { inboxText } from './inbox-text';
import { describeOpening, openingState } from './opening-hours';

const DUPLICATE_KEY = 11000;

export interface ClosedHoursInput {
  conversation: { _id: Types.ObjectId; memberId: Types.ObjectId };
  /** The customer message's inbox key (`in:<webhookEventId>`): a retry of the same event gets the same notice. */
  messageKey: string;
  now: Date;
  timeZone: string;
  /** The inbox's weekly hours, when the caller has just read the settings (one read per message, not two). */
  openingHours?: OpeningDay[];
}

/**
 * A customer writes into an open conversation (the bot is paused) while nobody is on duty: the editable notice
 * `inbox.closedHoursNotice` with the next opening, once per closed period per conversation. The period is named
 * by its next opening, so the marker `closed-hours:<conversationId>:<next opening>` (the notice itself, kept in
 * the transcript under a unique key) lets the 2nd and 3rd message of the same evening pass in silence and the
 * next evening notice again. The marker records which message it answers: a retried event (handler crashed after
 * the marker, before the reply) gets the text again, and the reply's own once-per-event key keeps LINE from
 * seeing it twice. Returns the text to answer with, or null. During opening hours, or when the inbox never opens
 * again (every day 公休), nothing is said.
 */
export async function claimClosedHoursNotice(input: ClosedHoursInput): Promise<string | null> {
  const { conversation, now } = input;
  const week = input.openingHours ?? (await getProgramSettings()).inbox.openingHours;
  const hours = openingState(now, week, input.timeZone);
  if (hours.open || !hours.next) return null;
  const key = `closed-hours:${String(conversation._id)}:${hours.next.toISOString()}`;
  const text = fillKnown(inboxText.closedHoursNotice, {
    next_opening: describeOpening(hours.next, now, input.timeZone),
  });
  try {
    await InboxMessage.create({
      conversationId: conversation._id,
      memberId: conversation.memberId,
      direction: 'out',
      kind: 'text',
      text,
      at: now,
      key,
      answers: input.messageKey,
    });
  } catch (err) {
    if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
    const first = await InboxMessage.findOne({ key }, { text: 1, answers: 1 }).lean();
    return first?.answers === input.messageKey ? (first.text ?? text) : null;
  }
  await publishInboxEvent('message', conversation._id, now);
  return text;
}
