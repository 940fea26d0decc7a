import type { Types } from 'mongoose';
import { z } from 'zod';
import { Member } from '../../models/member.model';
import { syncMemberCounters } from '../reports/member-counters.service';
import { recordInteraction } from '../interactions/interaction.service';
import { loadPersonaState } from '../persona/persona-progress.service';
import { PERSONA_FIELDS } from '../persona/persona-script.schema';
import { zonedDate } from '../shared/clock';
import { conflict, notFound, validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { BIRTHDAY_LOCKED_TEXT, memberBirthdayWrite } from './birthday-rules';
import { isPhoneDuplicate, PHONE_TAKEN_TEXT, planPhoneWrite } from './member-phone.service';
import { tagMember, untagFromSource } from './member-tags.service';

/** One answer the member changed on the card, already validated by the persona engine (see domain/persona/profile-form.ts). */
export interface ProfileEdit {
  questionId: string;
  /** Question title for the timeline (生日). */
  title: string;
  /** The answer as people read it; empty when cleared. */
  label: string;
  /** The engine's answer value; null when the member cleared the answer. */
  value: string | string[] | number | null;
  set: Record<string, string | number>;
  unset: string[];
  addTags: string[];
  removeTags: string[];
}

const WRITABLE = new Set<string>([...PERSONA_FIELDS, 'birthMonth', 'birthdaySetAt']);
const STATE_ATTEMPTS = 5;

/**
 * Writes edits from the member card: profile fields, persona tags, and the persona Q&A state's answers (so the
 * chat does not ask again what the member just filled in). The state moves by compare-and-set on its revision,
 * like a chat step, so a chat answer arriving at the same moment is not lost. A birthday already set cannot be
 * changed or cleared here (only staff can: `changeBirthdayByStaff`): refused with a field error, nothing stored.
 */
export async function applyProfileEdits(
  memberId: Types.ObjectId | string,
  edits: ProfileEdit[],
  now: Date,
  timeZone: string,
): Promise<void> {
  if (!edits.length) return;
  const current = (await Member.findById(memberId, { birthday: 1 }).lean())?.birthday;
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const e of edits) {
    const write = memberBirthdayWrite(current, { set: e.set, unset: e.unset }, now);
    if (write.locked) throw validationError([{ path: `answers.${e.questionId}`, message: BIRTHDAY_LOCKED_TEXT }]);
    for (const [path, value] of Object.entries(write.set)) if (WRITABLE.has(path)) $set[path] = value;
    for (const path of write.unset) if (WRITABLE.has(path)) $unset[path] = 1;
  }
  await writeWithPhone(memberId, edits, $set, $unset, now);
  const adding = edits.flatMap((e) => e.addTags);
  const removing = edits.flatMap((e) => e.removeTags).filter((tag) => !adding.includes(tag));
  // Through the tag door: the card's answers enter the "tag added" / "tag removed" journeys like the chat's.
  const tc = { now, timeZone };
  await untagFromSource(tc, memberId, removing, 'persona');
  if (adding.length) await tagMember(tc, memberId, adding, 'persona');
  await recordInteraction({
    memberId,
    type: 'persona_answer',
    channel: 'liff',
    at: now,
    summary: `在會員卡更新資料：${edits.map((e) => `${e.title} ${e.label || '（清除）'}`).join('、')}`,
    refs: { questions: edits.map((e) => e.questionId) },
  });
}

/**
 * A phone edit goes where member-phone.service.ts decides (`phone`, or a merge proposal), and is refused with a
 * field error when another LINE member has it (nothing stored). Lost races for the unique index plan again.
 */
async function writeWithPhone(
  memberId: Types.ObjectId | string,
  edits: ProfileEdit[],
  $set: Record<string, unknown>,
  $unset: Record<string, 1>,
  now: Date,
): Promise<void> {
  const phoneEdit = edits.find((e) => 'phone' in e.set || e.unset.includes('phone'));
  if (!phoneEdit) return writeWithState(memberId, edits, $set, $unset, now);
  const phone = typeof $set.phone === 'string' ? $set.phone : null;
  const rest = { set: { ...$set }, unset: { ...$unset } };
  delete rest.set.phone;
  delete rest.unset.phone;
  for (let attempt = 1; ; attempt++) {
    const plan = await planPhoneWrite(memberId, phone, now);
    if (plan.kind === 'taken')
      throw validationError([{ path: `answers.${phoneEdit.questionId}`, message: PHONE_TAKEN_TEXT }]);
    try {
      return await writeWithState(
        memberId,
        edits,
        { ...rest.set, ...plan.$set },
        { ...rest.unset, ...plan.$unset },
        now,
      );
    } catch (err) {
      if (!isPhoneDuplicate(err) || attempt >= 3) throw err;
    }
  }
}

async function writeWithState(
  memberId: Types.ObjectId | string,
  edits: ProfileEdit[],
  $set: Record<string, unknown>,
  $unset: Record<string, 1>,
  now: Date,
): Promise<void> {
  for (let attempt = 1; attempt <= STATE_ATTEMPTS; attempt++) {
    const { state, rev } = await loadPersonaState(memberId);
    if (!state) {
      await Member.updateOne({ _id: memberId }, updateOf($set, $unset));
      return;
    }
    const answers = { ...((state.answers as Record<string, unknown>) ?? {}) };
    const edited = new Set(edits.map((e) => e.questionId));
    for (const e of edits) {
      if (e.value === null) delete answers[e.questionId];
      else answers[e.questionId] = { value: e.value, label: e.label, at: now.toISOString() };
    }
    const skipped = ((state.skipped as string[]) ?? []).filter((id) => !edited.has(id));
    const res = await Member.updateOne(
      { _id: memberId, 'persona.state.rev': rev },
      updateOf(
        {
          ...$set,
          'persona.state.answers': answers,
          'persona.state.skipped': skipped,
          'persona.state.rev': (rev ?? 0) + 1,
        },
        $unset,
      ),
    );
    if (res.matchedCount === 1) return;
  }
  // The chat kept winning the race: still save the member's fields; the Q&A state catches up on its next step.
  await Member.updateOne({ _id: memberId }, updateOf($set, $unset));
}

function updateOf($set: Record<string, unknown>, $unset: Record<string, 1>): Record<string, unknown> {
  return { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
}

/**
 * Marketing messages on/off from the card. Switching on needs the personal-data notice accepted in the chat
 * (`consent_required` otherwise); switching off always works.
 */
export async function setMarketingConsent(
  memberId: Types.ObjectId | string,
  marketing: boolean,
  now: Date,
  refusal: string,
  /** Where the member asked: the card's switch, or the chat's 取消訂閱 / 訂閱 (#13.3). */
  channel: 'liff' | 'line' = 'liff',
): Promise<void> {
  const res = await Member.updateOne(
    { _id: memberId, ...(marketing ? { 'consent.status': 'accepted' } : {}) },
    { $set: { 'consent.marketing': marketing } },
  );
  if (res.matchedCount === 0) throw conflict('consent_required', refusal);
  await syncMemberCounters(memberId);
  const where = channel === 'liff' ? '在會員卡' : '在聊天中';
  await recordInteraction({
    memberId,
    type: 'event',
    channel,
    at: now,
    summary: marketing ? `${where}開啟優惠訊息` : `${where}關閉優惠訊息`,
    refs: { marketing },
  });
}

const StaffBirthdaySchema = z.strictObject({
  birthday: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '生日請用 YYYY-MM-DD 格式，例如 1990-05-20'), z.null()]),
});

/**
 * Staff set, change or clear a member's birthday (the console member page; the caller writes the audit entry).
 * The date must exist and not lie in the future; the change is stamped in `birthdaySetAt`, so a birthday moved to
 * within the next 30 days does not trigger this year's gift. Returns whether the member had a birthday before.
 */
export async function changeBirthdayByStaff(input: {
  memberId: string;
  body: unknown;
  now: Date;
  timeZone: string;
  actor: string;
}): Promise<{ hadBirthday: boolean; birthday: string | null }> {
  const { birthday } = parseOrThrow(StaffBirthdaySchema, input.body);
  if (birthday !== null && !isPastCalendarDate(birthday, zonedDate(input.now, input.timeZone))) {
    throw validationError([{ path: 'birthday', message: '請輸入正確的生日日期（不能晚於今天）。' }]);
  }
  const before = await Member.findOneAndUpdate(
    { _id: input.memberId, erasedAt: null },
    birthday === null
      ? { $unset: { birthday: 1, birthMonth: 1 }, $set: { birthdaySetAt: input.now } }
      : { $set: { birthday, birthMonth: Number(birthday.slice(5, 7)), birthdaySetAt: input.now } },
    { projection: { birthday: 1 } },
  ).lean();
  if (!before) throw notFound('找不到這位會員。', 'member_not_found');
  await recordInteraction({
    memberId: input.memberId,
    type: 'event',
    channel: 'console',
    at: input.now,
    summary: birthday ? '門市人員更新了生日' : '門市人員清除了生日',
    refs: { actor: input.actor },
  });
  return { hadBirthday: Boolean(before.birthday), birthday };
}

function isPastCalendarDate(date: string, today: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date && date <= today && date >= '1900-01-01';
}

/** The member document as stored now (after an edit). */
export async function loadMember(memberId: Types.ObjectId | string) {
  return Member.findById(memberId);
}
