import { enterJourneys } from '../journeys/journey-enter.service';
import { moduleLogger } from '../shared/logger';
import type { Types } from 'mongoose';
import { Member, type TagSource } from '../../models/member.model';
import { syncMemberCounters } from '../reports/member-counters.service';
import { recordInteraction } from '../interactions/interaction.service';
import { tagMember, untagFromSource } from '../members/member-tags.service';
import { changePoints, expiryForEarning } from '../points/points.service';
import { getProgramSettings } from '../program/settings.service';
import { memberBirthdayWrite } from '../members/birthday-rules';
import { isPhoneDuplicate, type PhonePlan } from '../members/member-phone.service';
import { PERSONA_FIELDS } from './persona-script.schema';

const log = moduleLogger('persona');

type MemberRef = Types.ObjectId | string;

/** Member paths a persona answer may write: the script's fields plus `birthMonth` (derived from birthday). */
const WRITABLE = new Set<string>([...PERSONA_FIELDS, 'birthMonth', 'birthdaySetAt']);
const PERSONA: TagSource = 'persona';

export interface PersonaProgress {
  memberId: MemberRef;
  /** The revision the step was computed from (null for a member who never started). */
  expectedRev: number | null;
  /** The engine's new state (opaque here). */
  state: Record<string, unknown>;
  set: Record<string, string | number>;
  /** Where an answered phone goes (`phone`, or a proposal in `phoneClaim`): replaces `set.phone`. */
  phone?: Extract<PhonePlan, { kind: 'write' }>;
  addTags: string[];
  removeTags: string[];
  startedNow?: boolean;
  completedNow?: boolean;
  now: Date;
  /** The brand's time zone: the journeys a tag change enters place their first step in it. */
  timeZone: string;
}

/** A chat answer sets the birthday only the first time (a re-done Q&A keeps it; staff change it): birthday-rules.ts. */
async function birthdayChecked(p: PersonaProgress): Promise<Record<string, unknown>> {
  if (typeof p.set.birthday !== 'string') return p.set;
  const current = (await Member.findById(p.memberId, { birthday: 1 }).lean())?.birthday;
  return memberBirthdayWrite(current, { set: p.set, unset: [] }, p.now).set;
}

/** The member's stored persona state and its revision (for the compare-and-set in `savePersonaProgress`). */
export async function loadPersonaState(
  memberId: MemberRef,
): Promise<{ state: Record<string, unknown> | null; rev: number | null }> {
  const m = await Member.findById(memberId, { persona: 1 }).lean();
  return splitPersonaState(m?.persona?.state);
}

/** A stored `persona.state` as the engine state and the revision it carries (see `loadPersonaState`). */
export function splitPersonaState(stored: unknown): { state: Record<string, unknown> | null; rev: number | null } {
  const state = (stored ?? null) as (Record<string, unknown> & { rev?: number }) | null;
  if (!state) return { state: null, rev: null };
  const { rev, ...rest } = state;
  return { state: rest, rev: typeof rev === 'number' ? rev : 0 };
}

/**
 * Stores one step of the Q&A: the new state and the answered fields in one conditional update on the state's
 * revision, so two messages processed at once cannot both advance from the same question. Returns false when
 * another step won (the caller reloads and runs the engine again). Tags follow; they are idempotent.
 */
export async function savePersonaProgress(p: PersonaProgress): Promise<boolean> {
  const set: Record<string, unknown> = { 'persona.state': { ...p.state, rev: (p.expectedRev ?? 0) + 1 } };
  for (const [path, value] of Object.entries(await birthdayChecked(p)))
    if (WRITABLE.has(path) && path !== 'phone') set[path] = value;
  Object.assign(set, p.phone?.$set);
  if (p.startedNow) set['persona.startedAt'] = p.now;
  if (p.completedNow) set['persona.completedAt'] = p.now;
  const filter = { _id: p.memberId, 'persona.state.rev': p.expectedRev === null ? { $exists: false } : p.expectedRev };
  const $unset = p.phone && Object.keys(p.phone.$unset).length ? { $unset: p.phone.$unset } : {};
  try {
    const res = await Member.updateOne(filter, { $set: set, ...$unset });
    if (res.matchedCount !== 1) return false;
  } catch (err) {
    // Another member took the number a moment ago: the caller reloads and plans the phone again.
    if (isPhoneDuplicate(err)) return false;
    throw err;
  }
  if (p.completedNow) await syncMemberCounters(p.memberId);
  const removing = p.removeTags.filter((tag) => !p.addTags.includes(tag));
  // Through the tag door, so "tag added" / "tag removed" journeys enter for the tags that really changed.
  const tc = { now: p.now, timeZone: p.timeZone, logger: log };
  await untagFromSource(tc, p.memberId, removing, PERSONA);
  if (p.addTags.length) await tagMember(tc, p.memberId, p.addTags, PERSONA);
  return true;
}

export interface PersonaReward {
  points: number;
  balance: number;
  duplicate: boolean;
}

/**
 * The thank-you for completing the script: `personaCompletionPoints` from the program settings, once per member
 * for ever (key `persona-complete:<memberId>`, whether the chat or the member card completed it; re-doing the
 * script or a redelivered event earns nothing more). Null when the program gives no points for it. A person who
 * had it in a membership they erased (`priorRewards.persona`) gets nothing new: answered as a duplicate.
 */
export async function awardPersonaCompletion(
  memberId: MemberRef,
  now: Date,
  timeZone: string,
  channel: 'line' | 'liff' = 'line',
): Promise<PersonaReward | null> {
  const settings = await getProgramSettings();
  const points = settings.personaCompletionPoints;
  if (!points) return null;
  const member = await Member.findById(memberId, { pointsBalance: 1, 'priorRewards.persona': 1 }).lean();
  if (member?.priorRewards?.persona) return { points, balance: member.pointsBalance ?? 0, duplicate: true };
  const key = `persona-complete:${memberId}`;
  const result = await changePoints({
    memberId,
    delta: points,
    reason: 'persona_complete',
    key,
    expiresAt: await expiryForEarning(now, timeZone, settings),
    now,
  });
  await recordInteraction({
    memberId,
    type: 'points',
    channel,
    at: now,
    key: `points:${key}`,
    summary: `完成會員資料問卷 +${points} 點`,
    refs: { entryId: result.entryId },
  });
  if (!result.duplicate)
    await enterJourneys({ now, timeZone, logger: log }, { type: 'persona_completed', memberId: String(memberId) });
  return { points, balance: result.balance, duplicate: result.duplicate };
}
