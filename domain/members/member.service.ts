import { randomInt } from 'node:crypto';
import type { Types } from 'mongoose';
import { z } from 'zod';
import { Member, TAG_SOURCES, type TagSource } from '../../models/member.model';
import { recordInteraction } from '../interactions/interaction.service';
import { notFound } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';

type MemberRef = Types.ObjectId | string;

/** The member behind a LINE userId (any status), or null. */
export async function findMemberByLineUserId(lineUserId: string) {
  if (typeof lineUserId !== 'string' || !lineUserId) return null;
  return Member.findOne({ lineUserId }).lean();
}

/**
 * A new public member code: 10 digits, the last a Luhn check digit so a mistyped code at the till is caught
 * before it reaches the wrong member. Uniqueness is enforced by the index; callers retry on a duplicate
 * (see `isDuplicateMemberCode`). The first digit is never 0 so spreadsheets keep every digit.
 */
export function generateMemberCode(): string {
  let body = String(randomInt(1, 10));
  for (let i = 0; i < 8; i++) body += String(randomInt(0, 10));
  return body + luhnCheckDigit(body);
}

/** True for a well-formed member code (10 digits with a valid check digit). */
export function isValidMemberCode(code: string): boolean {
  return /^\d{10}$/.test(code) && luhnCheckDigit(code.slice(0, 9)) === code[9];
}

function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    if (d > 9) d -= 9;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A duplicate-key error caused by the member code (retry with a fresh code), as opposed to any other key. */
export function isDuplicateMemberCode(err: unknown): boolean {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
  return e?.code === 11000 && (e.keyPattern ? 'memberCode' in e.keyPattern : /memberCode/.test(e.message ?? ''));
}

const TagSchema = z
  .string()
  .transform((s) => s.normalize('NFKC').trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, '標籤不可空白').max(40, '標籤最多 40 字'));
const TagsInputSchema = z.object({
  tags: z.array(TagSchema).max(50, '一次最多 50 個標籤'),
  source: z.enum(TAG_SOURCES),
  actor: z.string().max(100).optional(),
});

const SOURCE_LABEL: Record<TagSource, string> = {
  persona: '問卷',
  keyword: '關鍵字',
  staff: '店員',
  import: '匯入',
  journey: '旅程',
};

/**
 * Adds preference tags, keeping where each came from. A tag the member already has keeps its first source (a
 * staff tag is not relabelled by a keyword); each tag is pushed with one conditional update, so concurrent adds
 * never duplicate. Keyword and staff tags appear on the member's timeline. Returns the tags actually added.
 */
export async function addTags(
  memberId: MemberRef,
  tags: string[],
  source: TagSource,
  actor?: string,
  now: Date = new Date(),
): Promise<string[]> {
  const input = parseOrThrow(TagsInputSchema, { tags, source, actor });
  const added: string[] = [];
  for (const tag of [...new Set(input.tags)]) {
    const res = await Member.updateOne(
      { _id: memberId, 'tags.tag': { $ne: tag } },
      {
        $push: { tags: { tag, source: input.source, addedAt: now, ...(input.actor ? { addedBy: input.actor } : {}) } },
      },
    );
    if (res.modifiedCount === 1) added.push(tag);
    else if (res.matchedCount === 0 && !(await Member.exists({ _id: memberId })))
      throw notFound('找不到這位會員。', 'member_not_found');
  }
  if (added.length && (input.source === 'keyword' || input.source === 'staff')) {
    await recordInteraction({
      memberId,
      type: 'tag',
      channel: input.source === 'staff' ? 'console' : 'line',
      summary: `加上標籤（${SOURCE_LABEL[input.source]}）：${added.join('、')}`,
      refs: { tags: added, source: input.source, actor: input.actor },
      at: now,
    });
  }
  return added;
}

/** Removes a tag whatever its source. Returns whether the member had it. */
export async function removeTag(memberId: MemberRef, tag: string): Promise<boolean> {
  const clean = parseOrThrow(TagSchema, tag);
  const res = await Member.updateOne({ _id: memberId, 'tags.tag': clean }, { $pull: { tags: { tag: clean } } });
  return res.modifiedCount === 1;
}

/** Removes several tags, only where they came from `source` (persona answers replace their own tags, not staff's). */
export async function removeTagsFromSource(memberId: MemberRef, tags: string[], source: TagSource): Promise<void> {
  if (!tags.length) return;
  await Member.updateOne({ _id: memberId }, { $pull: { tags: { tag: { $in: tags }, source } } });
}
