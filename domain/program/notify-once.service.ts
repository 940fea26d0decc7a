import type { Types } from 'mongoose';
import { Interaction } from '../../models/interaction.model';
import type { LineMessage, Messenger } from '../messaging/messenger';
import { notifyMember, type NotifyOptions, type NotifyOutcome } from '../messaging/notify.service';

/**
 * notifyMember for jobs that re-run daily: a message already recorded under its key is not pushed again
 * (LINE's retry key only de-duplicates for a day; the timeline entry is the lasting "sent" marker).
 */
export async function notifyOnce(
  messenger: Messenger,
  memberId: Types.ObjectId | string,
  messages: LineMessage[],
  opts: NotifyOptions,
): Promise<NotifyOutcome> {
  if (await Interaction.exists({ key: `push:${opts.key}` })) return 'already_sent';
  return notifyMember(messenger, memberId, messages, opts);
}
