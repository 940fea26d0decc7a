import type { Types } from 'mongoose';
import { createProductSuggester } from '../purchases/suggested-product.service';
import { campaignText } from './campaign-text';

/**
 * Per-member variables in campaign and journey messages, filled at send time (#17.2). Today one:
 * `{suggested_product}`, the member's suggested next product (the rule: domain/purchases/affinity.ts
 * `pickSuggestion`), or the marketer's fallback text (「訊息內容」→ 推薦商品（沒有推薦時）) when there is none.
 * A message that uses a member variable is sent one push per member, like per-member link tracking.
 */
export const MEMBER_VARIABLES = ['suggested_product'] as const;
const SUGGESTED = '{suggested_product}';

/** True when any text of the messages (text, alt text, flex contents) uses a member variable. */
export function usesMemberVariables(messages: unknown): boolean {
  return JSON.stringify(messages ?? null).includes(SUGGESTED);
}

/** `memberId` null (a test recipient who is not a member): the fallback values. */
export type MemberVariableFiller = <T>(messages: T, memberId: Types.ObjectId | string | null) => Promise<T>;

/** A filler for one send: the suggester inside keeps the affinity documents it read for the next members. */
export function createMemberVariableFiller(): MemberVariableFiller {
  const suggest = createProductSuggester();
  return async (messages, memberId) => {
    if (!usesMemberVariables(messages)) return messages;
    const { name } = await suggest(memberId);
    const value = name ?? campaignText.suggestedProductFallback;
    return replaceInStrings(messages, (s) => s.split(SUGGESTED).join(value));
  };
}

function replaceInStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => replaceInStrings(v, fn)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceInStrings(v, fn);
    return out as T;
  }
  return value;
}
