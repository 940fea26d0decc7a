import type { Types } from 'mongoose';
import { issueCoupon } from '../coupons/coupon-issue.service';
import type { CouponView } from '../coupons/coupon-view';
import { tagMember } from '../members/member-tags.service';
import { getProgramSettings } from '../program/settings.service';
import { AppError } from '../shared/errors';
import { fillVariables, programVariables } from './answer-variables';
import { pickRule } from './auto-reply-rules';
import { getConversationContent, type CachedRule, type FaqView } from './conversation-cache.service';
import { matchText } from './matcher';

/**
 * The brand's answer to a customer's text: a keyword rule that is on now (highest priority first), else the FAQ
 * entry the matcher finds above its threshold, else null (the caller sends the fallback and counts the phrase).
 * Rule side effects happen here: a coupon is issued through the coupon domain (its limits apply; one per member and
 * rule), tags are added.
 */
export type ChatAnswer =
  | {
      kind: 'rule';
      rule: CachedRule;
      /** The reply text with its variables filled (text, coupon and card replies). */
      text?: string;
      flex?: Record<string, unknown>;
      coupon?: CouponView;
      /** Why the coupon could not be issued (the coupon domain's zh-TW refusal). */
      couponRefusal?: string;
    }
  | { kind: 'faq'; entry: FaqView; text: string; score: number };

export interface AnswerInput {
  text: string;
  memberId: Types.ObjectId | string;
  now: Date;
  timeZone: string;
  /** Values of {name} and {card_url}. */
  name?: string;
  cardUrl: string;
}

export async function findChatAnswer(input: AnswerInput): Promise<ChatAnswer | null> {
  // Cache freshness runs on the process's own clock, not the event's (a test clock may stand still).
  const content = await getConversationContent();
  const rule = pickRule(content.rules, input.text, input.now, input.timeZone);
  if (rule) return answerByRule(rule, input);
  const match = matchText(content.index, input.text);
  const entry = match ? content.faq.get(match.id) : undefined;
  if (!match || !entry) return null;
  return { kind: 'faq', entry, text: fillVariables(entry.answer, await variables(input)), score: match.score };
}

async function variables(input: AnswerInput): Promise<Record<string, string>> {
  return { ...programVariables(await getProgramSettings()), name: input.name ?? '', card_url: input.cardUrl };
}

async function answerByRule(rule: CachedRule, input: AnswerInput): Promise<ChatAnswer> {
  if (rule.tags.length) await tagMember(input, input.memberId, rule.tags, 'keyword', `rule:${rule.id}`);
  const reply = rule.reply;
  if (reply.kind === 'flex') return { kind: 'rule', rule, flex: reply.flex };
  const text = reply.text ? fillVariables(reply.text, await variables(input)) : undefined;
  if (reply.kind !== 'coupon') return { kind: 'rule', rule, text };
  try {
    const { coupon } = await issueCoupon({
      templateId: reply.couponTemplateId,
      memberId: input.memberId,
      key: `rule:${rule.id}:${String(input.memberId)}`,
      now: input.now,
      actor: `rule:${rule.id}`,
      source: 'auto_reply',
      timeZone: input.timeZone,
    });
    return { kind: 'rule', rule, text, coupon };
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    return { kind: 'rule', rule, text, couponRefusal: err.userMessage };
  }
}
