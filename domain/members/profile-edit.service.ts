import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { recordInteraction } from '../interactions/interaction.service';
import { loadPersonaState } from '../persona/persona-progress.service';
import { PERSONA_FIELDS } from '../persona/persona-script.schema';
import { conflict } from '../shared/errors';
import { addTags, removeTagsFromSource } from './member.service';

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

const WRITABLE = new Set<string>([...PERSONA_FIELDS, 'birthMonth']);
const STATE_ATTEMPTS = 5;

/**
 * Writes edits from the member card: profile fields, persona tags, and the persona Q&A state's answers (so the
 * chat does not ask again what the member just filled in). The state moves by compare-and-set on its revision,
 * like a chat step, so a chat answer arriving at the same moment is not lost.
 */
export async function applyProfileEdits(memberId: Types.ObjectId | string, edits: ProfileEdit[], now: Date): Promise<void> {
  if (!edits.length) return;
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const e of edits) {
    for (const [path, value] of Object.entries(e.set)) if (WRITABLE.has(path)) $set[path] = value;
    for (const path of e.unset) if (WRITABLE.has(path)) $unset[path] = 1;
  }
  await writeWithState(memberId, edits, $set, $unset, now);
  const adding = edits.flatMap((e) => e.addTags);
  const removing = edits.flatMap((e) => e.removeTags).filter((tag) => !adding.includes(tag));
  await removeTagsFromSource(memberId, removing, 'persona');
  if (adding.length) await addTags(memberId, adding, 'persona', undefined, now);
  await recordInteraction({
    memberId, type: 'persona_answer', channel: 'liff', at: now,
    summary: `在會員卡更新資料：${edits.map((e) => `${e.title} ${e.label || '（清除）'}`).join('、')}`,
    refs: { questions: edits.map((e) => e.questionId) },
  });
}

async function writeWithState(memberId: Types.ObjectId | string, edits: ProfileEdit[], $set: Record<string, unknown>, $unset: Record<string, 1>, now: Date): Promise<void> {
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
      updateOf({ ...$set, 'persona.state.answers': answers, 'persona.state.skipped': skipped, 'persona.state.rev': (rev ?? 0) + 1 }, $unset),
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
export async function setMarketingConsent(memberId: Types.ObjectId | string, marketing: boolean, now: Date, refusal: string): Promise<void> {
  const res = await Member.updateOne({ _id: memberId, ...(marketing ? { 'consent.status': 'accepted' } : {}) }, { $set: { 'consent.marketing': marketing } });
  if (res.matchedCount === 0) throw conflict('consent_required', refusal);
  await recordInteraction({
    memberId, type: 'event', channel: 'liff', at: now, summary: marketing ? '在會員卡開啟優惠訊息' : '在會員卡關閉優惠訊息', refs: { marketing },
  });
}

/** The member document as stored now (after an edit). */
export async function loadMember(memberId: Types.ObjectId | string) {
  return Member.findById(memberId);
}
