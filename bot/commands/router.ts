import type { LineMessage } from '../../domain/messaging/messenger';
import { acceptConsent, consentNoticeMessage, declineConsent, hasConsented } from '../handlers/consent';
import type { BotContext, BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { isPersonaActive, restartPersonaFlow, startPersonaFlow } from '../persona/persona.flow';
import { profileSummaryMessage } from '../persona/profile-summary';
import type { Command } from './keywords';
import { cardMessages, couponMessages, creditMessages, helpMessages, pointsMessages } from './member-commands';
import { applyReferralMessages, referralMessages } from './referral-commands';
import { stampMessages } from './stamp-commands';

/** Runs a text command or a rich-menu button (`cmd:<name>`). */
export async function runCommand(bc: BotContext, member: BotMember, command: Command): Promise<LineMessage[]> {
  switch (command.name) {
    case 'card':
      return cardMessages(bc);
    case 'points':
      return pointsMessages(bc, member);
    case 'coupons':
      return couponMessages(bc, member);
    case 'stamps':
      return stampMessages(bc, member);
    case 'credit':
      return creditMessages(bc, member);
    case 'referral':
      return referralMessages(bc, member);
    case 'apply_referral':
      return applyReferralMessages(bc, member, command.code);
    case 'help':
      return helpMessages();
    case 'consent_accept':
      return acceptConsent(bc, member);
    case 'consent_decline':
      return declineConsent(bc, member);
    case 'profile':
      return profileMessages(bc, member);
    case 'restart':
      return hasConsented(member) ? restartPersonaFlow(bc, member) : [consentNoticeMessage(t.consent.askFirst)];
    case 'continue':
      return continueMessages(bc, member);
  }
}

/** 資料: the answers so far with 重新填寫 / 繼續填寫; before consent, the notice instead. */
async function profileMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  if (!hasConsented(member)) return [consentNoticeMessage(t.consent.askFirst)];
  return [profileSummaryMessage(await bc.personaScript(), member)];
}

/** 繼續填寫: resume an open run, start one never begun; a finished run shows the summary rather than starting over. */
async function continueMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  if (!hasConsented(member)) return [consentNoticeMessage(t.consent.askFirst)];
  if (!isPersonaActive(member) && member.persona?.completedAt) return profileMessages(bc, member);
  return startPersonaFlow(bc, member);
}

/** Rich-menu postbacks: `cmd:points` etc. */
export function commandFromPostback(data: string): Command | null {
  const m = /^cmd:(card|points|coupons|stamps|referral|profile|help|restart|continue)$/.exec(data);
  return m ? ({ name: m[1] as Exclude<Command['name'], 'apply_referral'> } as Command) : null;
}
