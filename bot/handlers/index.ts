import type { webhook } from '@line/bot-sdk';
import { recordInteractions, redactUnsentMessage } from '../../domain/interactions/interaction.service';
import { ensureMemberForLineUser } from '../../domain/members/member-lifecycle.service';
import { findMemberByLineUserId } from '../../domain/members/member.service';
import { getPersonaScript } from '../../domain/persona/persona-script.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import { AppError } from '../../domain/shared/errors';
import type { Logger } from '../../domain/shared/logger';
import type { AppDeps } from '../../server/deps';
import { menuItems } from '../commands/member-commands';
import { type InboundMessageEvent, type LineEvent, replyTokenOf } from '../event-store';
import { inboundInteraction } from '../inbound';
import { t } from '../messages/catalogue';
import { linkBubbleMessage } from '../messages/flex';
import { textMessage } from '../messages/quick-reply';
import { respond } from '../responder';
import { holdForAgent } from './agent-request';
import { consentNoticeMessage } from './consent';
import { type BotContext, type BotMember, lineUserIdOf } from './context';
import { handleFollow, handleUnfollow } from './follow.handler';
import { handleMessage } from './message.handler';
import { handlePostback } from './postback.handler';

export interface HandlerContext {
  webhookEventId: string;
  log: Logger;
  /** Which processing attempt this is (1 for the first). */
  attempt?: number;
}
export type HandlerOutcome = 'handled' | 'ignored';

/**
 * Dispatches one webhook event. Only 1:1 chats (source `user`) reach members: group, room and account-level
 * events (join, leave, memberJoined, activated, botSuspended …) are stored by the pipeline and ignored here.
 * Event types LINE adds in the future arrive `unrecognized` and land in the default branch: recorded, never fatal.
 */
export async function handleEvent(deps: AppDeps, event: LineEvent, ctx: HandlerContext): Promise<HandlerOutcome> {
  const bc: BotContext = {
    deps,
    event,
    webhookEventId: ctx.webhookEventId,
    now: deps.clock(),
    log: ctx.log,
    lineUserId: lineUserIdOf(event),
    firstAttempt: ctx.attempt === 1,
    timeline: [],
    personaScript: once(getPersonaScript),
  };
  if (!bc.lineUserId) {
    ctx.log.debug({ type: event.type, source: event.source?.type }, 'not a 1:1 chat event; recorded only');
    return 'ignored';
  }
  let outcome: HandlerOutcome;
  try {
    // Every text of the reply reads this instance's copy of the marketer's wording (refreshed after its TTL only).
    outcome = await deps.replies.run(() => dispatch(bc, bc.lineUserId!, event));
  } catch (err) {
    // The inbound line is still recorded when the handler failed (the retry finds it there and adds nothing).
    await writeTimeline(bc).catch(() => undefined);
    throw err;
  }
  await writeTimeline(bc);
  return outcome;
}

/** A memo of an async read, for reads one event may need several times. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}

/** Timeline entries not yet written with an answer (events that were not answered). */
function writeTimeline(bc: BotContext): Promise<void> {
  return recordInteractions(bc.timeline.splice(0), bc.known);
}

/** Queues the event's inbound timeline line; it is written with the answer, in the same round trip. */
async function noteInbound(bc: BotContext, member: { _id: BotMember['_id']; lastInteractionAt?: Date | null } | null) {
  bc.timeline.push(
    await inboundInteraction(bc.event, bc.webhookEventId, member?._id ?? null, bc.now, bc.personaScript),
  );
  if (member) bc.known = { lastInteractionAt: member.lastInteractionAt ?? null };
}

async function dispatch(bc: BotContext, userId: string, event: LineEvent): Promise<HandlerOutcome> {
  switch (event.type) {
    case 'follow': {
      const { member, messages } = await handleFollow(bc, userId);
      await send(bc, member, messages);
      return 'handled';
    }
    case 'unfollow':
      return (await handleUnfollow(bc, userId)) ? 'handled' : 'ignored';
    case 'message':
    case 'postback':
      // Standby mode (another channel owns the chat): we may read, not answer.
      if (event.mode === 'standby') return recordOnly(bc, userId);
      return handleChat(bc, userId, event);
    case 'unsend':
      await redactUnsentMessage(userId, event.unsend.messageId);
      return recordOnly(bc, userId);
    case 'beacon':
      return handleBeacon(bc, userId, event.beacon);
    default:
      return recordOnly(bc, userId);
  }
}

/** A message or a button press: the member is created on first contact if the follow event never came. */
async function handleChat(
  bc: BotContext,
  userId: string,
  event: InboundMessageEvent | webhook.PostbackEvent,
): Promise<HandlerOutcome> {
  const { member, created } = await ensureMemberForLineUser({
    lineUserId: userId,
    profile: () => bc.deps.messenger.getProfile(userId),
    now: bc.now,
    erasureSecret: bc.deps.config.privacy.erasureHmacSecret,
  });
  await noteInbound(bc, member);
  // An agent has the conversation (#13.5): the message goes to the inbox; the bot says nothing (outside 客服時間:
  // once per closed period, when someone will answer).
  const held = await holdForAgent(bc, member);
  if (held) {
    await send(bc, member, held);
    return 'handled';
  }
  const loading = event.type === 'message' ? loadingWhenSlow(bc, userId) : null;
  let messages: LineMessage[];
  try {
    messages =
      event.type === 'message'
        ? await handleMessage(bc, member, event.message)
        : await handlePostback(bc, member, event.postback);
  } catch (err) {
    // A refusal worded for people (AppError below 500) is an ordinary answer; anything else is retried.
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    messages = [textMessage(err.userMessage, menuItems())];
  } finally {
    // Before anything is sent: an animation started after the answer would show "…" for 5 s under it.
    await loading?.settle();
  }
  // First contact without a follow event: the notice still has to be shown once.
  if (created && messages.length < 5 && (await findMemberByLineUserId(userId))?.consent?.status === 'pending')
    messages.push(consentNoticeMessage());
  await send(bc, member, messages);
  return 'handled';
}

/**
 * LINE's loading animation while the bot works on a message (it ends when the answer arrives), started only when
 * the answer is not ready within `chat.loadingAfterMs`: a quick answer needs no "…" and costs no LINE call. Only on
 * the first attempt of a fresh event: a retry or a resumed event answers by push later, when nobody is watching.
 * Never fails the event. `settle()` stops the timer, or waits for a request already made, so the animation never
 * starts after the answer.
 */
export function loadingWhenSlow(bc: BotContext, userId: string): { settle(): Promise<void> } | null {
  if (!bc.firstAttempt) return null;
  let request: Promise<void> | null = null;
  const start = () => {
    request = bc.deps.messenger.showLoading(userId, 5).catch((err) => {
      bc.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'loading animation refused');
    });
  };
  const after = bc.deps.config.chat.loadingAfterMs;
  const timer = after > 0 ? setTimeout(start, after) : null;
  if (!timer) start();
  return {
    settle: async () => {
      if (timer) clearTimeout(timer);
      await request;
    },
  };
}

/** Walking past a store beacon: a short welcome with the card, for members only. */
async function handleBeacon(bc: BotContext, userId: string, beacon: webhook.BeaconContent): Promise<HandlerOutcome> {
  const member = await findMemberByLineUserId(userId);
  if (!member) return 'ignored';
  await noteInbound(bc, member);
  if (beacon.type !== 'enter' || member.status !== 'active') return 'handled';
  const card = linkBubbleMessage({
    altText: t.beacon.enter,
    title: t.welcome.openCard,
    body: t.beacon.enter,
    buttonLabel: t.welcome.openCard,
    url: bc.deps.links.card(),
  });
  await send(bc, member, [card]);
  return 'handled';
}

/** Known members get the event on their timeline; nothing is created for strangers. */
async function recordOnly(bc: BotContext, userId: string): Promise<HandlerOutcome> {
  const member = await findMemberByLineUserId(userId);
  if (!member) return 'ignored';
  await noteInbound(bc, member);
  return 'ignored';
}

async function send(bc: BotContext, member: BotMember, messages: LineMessage[]): Promise<void> {
  const outcome = await respond(
    bc.deps.messenger,
    {
      webhookEventId: bc.webhookEventId,
      lineUserId: bc.lineUserId!,
      memberId: member._id,
      replyToken: replyTokenOf(bc.event),
      eventTimestamp: bc.event.timestamp,
    },
    messages,
    bc.now,
    bc.log,
    { firstAttempt: bc.firstAttempt, alsoRecord: bc.timeline.splice(0), known: bc.known, answeredBy: bc.answeredBy },
  );
  bc.log.debug({ outcome, messages: messages.length }, 'answered');
}

/**
 * The last attempt at an event failed: apologise once (keyed like any answer, so it is sent at most once) instead
 * of leaving the member in silence. Never throws.
 */
export async function apologizeForFailure(deps: AppDeps, event: LineEvent, ctx: HandlerContext): Promise<void> {
  const lineUserId = lineUserIdOf(event);
  if (!lineUserId || (event.type !== 'message' && event.type !== 'postback' && event.type !== 'follow')) return;
  try {
    const member = await findMemberByLineUserId(lineUserId);
    await respond(
      deps.messenger,
      {
        webhookEventId: ctx.webhookEventId,
        lineUserId,
        memberId: member?._id,
        replyToken: replyTokenOf(event),
        eventTimestamp: event.timestamp,
      },
      [textMessage(t.error.generic, menuItems())],
      deps.clock(),
      ctx.log,
    );
  } catch (err) {
    ctx.log.error({ err }, 'could not apologise for a failed event');
  }
}
