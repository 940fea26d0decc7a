import type { CannedReplyView as DomainCanned } from '../../../domain/inbox/canned-reply.service';
import type { FeedEvent } from '../../../domain/inbox/inbox-feed';
import type {
  ConversationRow as DomainRow,
  ConversationView as DomainView,
  InboxCounts,
} from '../../../domain/inbox/inbox.service';
import type {
  CannedReplyView,
  ConversationRow,
  ConversationView,
  InboxList,
  InboxStreamEvent,
} from '../../contracts/inbox';
import { presentMemberDetail, presentTimeline } from './members.presenter';
import { toWire } from './wire';

/** The inbox as it travels (dates as ISO strings); typed domain → contract, so the two cannot drift. */

export function presentConversationRow(row: DomainRow): ConversationRow {
  return toWire(row);
}

export function presentInboxList(list: { items: DomainRow[]; counts: InboxCounts; seq: number }): InboxList {
  return toWire(list);
}

export function presentConversationView(view: DomainView): ConversationView {
  return {
    conversation: presentConversationRow(view.conversation),
    messages: toWire(view.messages),
    member: presentMemberDetail(view.member),
    purchases: toWire(view.purchases),
    timeline: presentTimeline({ items: view.timeline, nextCursor: null }).items,
  };
}

export function presentStreamEvent(e: FeedEvent): InboxStreamEvent {
  return toWire(e);
}

export function presentCannedReply(r: DomainCanned): CannedReplyView {
  return toWire(r);
}
