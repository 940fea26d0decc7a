import { enterJourneys } from '../../domain/journeys/journey-enter.service';
import { markUnfollowed, registerFollow } from '../../domain/members/member-lifecycle.service';
import { syncMemberRichMenu } from '../../domain/richmenus/richmenu-assign.service';
import type { LineMessage, LineProfile } from '../../domain/messaging/messenger';
import { replyContextVars } from '../../domain/replies/reply-registry';
import { menuItems } from '../commands/member-commands';
import { t } from '../messages/catalogue';
import { linkBubbleMessage } from '../messages/flex';
import { inboundInteraction } from '../inbound';
import { isPersonaActive, startPersonaFlow } from '../persona/persona.flow';
import { consentNoticeMessage, hasConsented } from './consent';
import { type BotContext, type BotMember, journeyContext } from './context';

export interface FollowOutcome {
  member: BotMember;
  messages: LineMessage[];
}

/**
 * follow: the member is created (or re-activated, keeping history), the welcome with the card link goes out, then
 * the personal-data notice. A returning member who already answered the notice is welcomed back, and an open Q&A
 * resumes where they stopped.
 */
export async function handleFollow(bc: BotContext, lineUserId: string): Promise<FollowOutcome> {
  const profile = await fetchProfile(bc, lineUserId);
  const { member, created, reactivated } = await registerFollow({
    lineUserId,
    profile,
    now: bc.now,
    erasureSecret: bc.deps.config.privacy.erasureHmacSecret,
  });
  bc.timeline.push(await inboundInteraction(bc.event, bc.webhookEventId, member._id, bc.now, bc.personaScript));
  bc.known = { lastInteractionAt: member.lastInteractionAt ?? null };
  bc.log.info({ memberId: String(member._id), created, reactivated }, 'follow');
  await syncMemberRichMenu(bc.deps.messenger.richMenus, member._id, bc.now, 'follow');
  await enterJourneys(journeyContext(bc), { type: 'followed', memberId: String(member._id), returning: !created });
  const name = member.displayName ?? '';
  const returning = !created && (reactivated || hasConsented(member) || member.consent?.status === 'declined');
  // The program's gifts as the instance's reply-text copy holds them (no read per follow, see domain/replies).
  const program = replyContextVars();
  const welcome = linkBubbleMessage({
    altText: returning ? t.welcome.back(name) : t.welcome.title,
    title: returning ? t.welcome.backTitle : t.welcome.title,
    body: returning
      ? t.welcome.back(name)
      : t.welcome.body(name, Number(program.completion_points ?? 0), String(program.birthday_gift ?? '')),
    buttonLabel: t.welcome.openCard,
    url: bc.deps.links.card(),
  });
  const messages: LineMessage[] = [welcome];
  if (member.consent?.status === 'pending' || !member.consent?.status) messages.push(consentNoticeMessage());
  else if (hasConsented(member) && isPersonaActive(member)) messages.push(...(await startPersonaFlow(bc, member)));
  else messages[0] = { ...welcome, quickReply: { items: menuItems() } } as LineMessage;
  return { member, messages };
}

/** unfollow (blocked the account): marked blocked, excluded from every push; nothing is deleted. */
export async function handleUnfollow(bc: BotContext, lineUserId: string): Promise<boolean> {
  const member = await markUnfollowed(lineUserId, bc.now);
  bc.timeline.push(
    await inboundInteraction(bc.event, bc.webhookEventId, member?._id ?? null, bc.now, bc.personaScript),
  );
  bc.log.info({ memberId: member ? String(member._id) : null }, 'unfollow');
  return Boolean(member);
}

/** LINE may refuse the profile (the user blocked again meanwhile, or LINE is slow): the member is created anyway. */
async function fetchProfile(bc: BotContext, lineUserId: string): Promise<LineProfile | null> {
  try {
    return await bc.deps.messenger.getProfile(lineUserId);
  } catch (err) {
    bc.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'profile fetch failed');
    return null;
  }
}
