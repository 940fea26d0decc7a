/**
 * The chat's answers as the console edits them (#13.2, #13.6): FAQ entries, keyword auto-reply rules and the
 * unanswered phrases. Plain types (the console imports them type-only); the server's zod schemas are in
 * domain/conversation/conversation.schema.ts and are checked to accept exactly these in
 * api/console/presenters/contract-checks.ts.
 */

export interface FaqRequest {
  question: string;
  alternatives?: string[];
  /** Plain text; may use {name}, {card_url}, {spend_per_point}, {tier_list}, {birthday_points} … */
  answer: string;
  active?: boolean;
}
export interface FaqEntryView {
  id: string;
  question: string;
  alternatives: string[];
  answer: string;
  active: boolean;
  updatedAt: string | null;
}

export type TriggerMode = 'exact' | 'contains' | 'any';
export type RuleReply =
  | { kind: 'text'; text: string }
  | { kind: 'flex'; flex: Record<string, unknown> }
  | { kind: 'coupon'; couponTemplateId: string; text?: string }
  | { kind: 'card'; text: string };

export interface RuleRequest {
  name: string;
  mode: TriggerMode;
  words: string[];
  priority?: number;
  /** 0 = Sunday … 6 = Saturday; empty = every day. */
  days?: number[];
  /** "HH:mm", both or neither; from > to wraps past midnight. */
  from?: string;
  to?: string;
  reply: RuleReply;
  tags?: string[];
  active?: boolean;
}
export interface RuleView extends Required<Omit<RuleRequest, 'from' | 'to'>> {
  id: string;
  from?: string;
  to?: string;
  updatedAt: string | null;
}

export interface UnansweredPhraseView {
  phrase: string;
  text: string;
  count: number;
  lastAt: string;
}

export interface FaqListResponse {
  entries: FaqEntryView[];
  /** The variables an answer may use. */
  variables: string[];
}
export interface RuleListResponse {
  rules: RuleView[];
}
export interface UnansweredResponse {
  phrases: UnansweredPhraseView[];
  days: number;
}
