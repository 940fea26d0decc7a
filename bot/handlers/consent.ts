import { enterJourneys } from '../../domain/journeys/journey-enter.service';
import { recordConsent } from '../../domain/members/member-lifecycle.service';
import { syncMemberRichMenu } from '../../domain/richmenus/richmenu-assign.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import { cardMessages } from '../commands/member-commands';
import { CONSENT_NOTICE_VERSION, t } from '../messages/catalogue';
import { postbackItem, textMessage } from '../messages/quick-reply';
import { isPersonaActive, startPersonaFlow } from '../persona/persona.flow';
import { type BotContext, type BotMember, journeyContext } from './context';

export const CONSENT_ACCEPT_DATA = 'consent:accept';
export const CONSENT_DECLINE_DATA = 'consent:decline';

/** 個資告知 with 同意 / 不同意 buttons. */
export function consentNoticeMessage(lead?: string): LineMessage {
  return textMessage(lead ? `${lead}\n\n${t.consent.notice}` : t.consent.notice, [
    postbackItem(t.consent.accept, CONSENT_ACCEPT_DATA),
    postbackItem(t.consent.decline, CONSENT_DECLINE_DATA),
  ]);
}

export function hasConsented(member: BotMember): boolean {
  return member.consent?.status === 'accepted';
}

/** 同意: store the decision with the notice version, then the persona questions start (or resume). */
export async function acceptConsent(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  if (hasConsented(member)) {
    const resume = isPersonaActive(member) ? await startPersonaFlow(bc, member) : [];
    return [textMessage(t.consent.alreadyAccepted), ...resume];
  }
  const updated = await recordConsent(member._id, 'accepted', CONSENT_NOTICE_VERSION, bc.now);
  recordDecision(bc, member, 'accepted');
  await syncMemberRichMenu(bc.deps.messenger.richMenus, member._id, bc.now, 'consent');
  await enterJourneys(journeyContext(bc), { type: 'consent_accepted', memberId: String(member._id) });
  const questions =
    updated.persona?.completedAt && !isPersonaActive(updated) ? [] : await startPersonaFlow(bc, updated);
  return [textMessage(t.consent.accepted), ...questions];
}

/** 不同意: no questions, no personalised use; the card and the menu still work, and 同意 later is always possible. */
export async function declineConsent(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  if (member.consent?.status !== 'declined') {
    await recordConsent(member._id, 'declined', CONSENT_NOTICE_VERSION, bc.now);
    recordDecision(bc, member, 'declined');
    await syncMemberRichMenu(bc.deps.messenger.richMenus, member._id, bc.now, 'consent');
  }
  return [textMessage(t.consent.declined), ...cardMessages(bc)];
}

/** The decision's timeline line, written with the reply's entries (one round trip; the handler writes them on failure too). */
function recordDecision(bc: BotContext, member: BotMember, decision: 'accepted' | 'declined'): void {
  bc.timeline.push({
    memberId: member._id,
    lineUserId: member.lineUserId ?? undefined,
    type: 'event',
    channel: 'line',
    at: bc.now,
    key: `consent:${bc.webhookEventId}`,
    summary: `${decision === 'accepted' ? '同意' : '不同意'}個資告知（版本 ${CONSENT_NOTICE_VERSION}）`,
    refs: { consent: decision, version: CONSENT_NOTICE_VERSION },
  });
}
