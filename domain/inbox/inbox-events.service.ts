import type { Types } from 'mongoose';
import { InboxEvent, InboxSequence } from '../../models/inbox-event.model';

export type InboxEventType = 'opened' | 'message' | 'reply' | 'read' | 'assigned' | 'closed';

export interface InboxEventRecord {
  seq: number;
  type: InboxEventType;
  conversationId: string;
  at: Date;
}

/**
 * Appends one change to the shared inbox feed: the sequence counter is one atomic `$inc` (so every instance hands
 * out distinct, increasing numbers), then the event is inserted. Two writers can insert out of order for a moment;
 * the feed's reader waits briefly at a gap (see inbox-feed.ts).
 */
export async function publishInboxEvent(
  type: InboxEventType,
  conversationId: Types.ObjectId | string,
  now: Date,
): Promise<number> {
  const counter = await InboxSequence.findOneAndUpdate(
    { _id: 'inbox' },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const seq = counter!.seq;
  await InboxEvent.create({ seq, type, conversationId, at: now });
  return seq;
}

/** Events after `seq`, oldest first. */
export async function readInboxEvents(afterSeq: number, limit = 200): Promise<InboxEventRecord[]> {
  const rows = await InboxEvent.find({ seq: { $gt: afterSeq } })
    .sort({ seq: 1 })
    .limit(limit)
    .lean();
  return rows.map((r) => ({
    seq: r.seq,
    type: r.type as InboxEventType,
    conversationId: String(r.conversationId),
    at: r.at,
  }));
}

/** The newest sequence number handed out (0 before the first event). */
export async function latestInboxSeq(): Promise<number> {
  const counter = await InboxSequence.findById('inbox').lean();
  return counter?.seq ?? 0;
}
