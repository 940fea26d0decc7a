import type { Types } from 'mongoose';
import { Interaction } from '../../models/interaction.model';
import { Member } from '../../models/member.model';
import { issueCoupon } from '../coupons';
import { notifyMember } from '../messaging/notify.service';
import { changePoints, expiryForEarning } from '../points/points.service';
import { grantEarnedCredit } from '../credit/credit.service';
import { formatDate } from '../../shared/format';
import { getProgramSettings } from '../program/settings.service';
import { zonedParts } from '../shared/clock';
import type { ProgramContext } from '../shared/context';
import { campaignText } from './campaign-text';
import { runPool } from './send-pacer';

export type BirthdayMode = 'day' | 'month-first';

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Whether a `YYYY-MM-DD` birthday is celebrated on `today`: on the day itself, or (month-first) on the 1st of
 * the birth month. A 29 February birthday is celebrated on 28 February in common years.
 */
export function isBirthdayToday(
  birthday: string | null | undefined,
  today: { year: number; month: number; day: number },
  mode: BirthdayMode,
): boolean {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(birthday ?? '');
  if (!m) return false;
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (mode === 'month-first') return today.day === 1 && month === today.month;
  if (month !== today.month) return false;
  if (day === today.day) return true;
  return month === 2 && day === 29 && today.day === 28 && !isLeap(today.year);
}

/**
 * The members whose birthday may be celebrated `today`, read through the `birthdayKey` index (`MM-DD`): the
 * day's key (and `02-29` on 28 February of a common year), or the whole month's keys in month-first mode. The
 * remaining conditions only narrow those few. A merged imported record celebrates in its LINE member
 * (mergedInto), never twice.
 */
export function birthdayCandidateFilter(
  today: { year: number; month: number; day: number },
  mode: BirthdayMode,
): Record<string, unknown> {
  const mm = String(today.month).padStart(2, '0');
  const keys = [`${mm}-${String(today.day).padStart(2, '0')}`];
  if (today.month === 2 && today.day === 28 && !isLeap(today.year)) keys.push('02-29');
  return {
    birthdayKey: mode === 'month-first' ? { $gte: `${mm}-01`, $lte: `${mm}-31` } : { $in: keys },
    erasedAt: null,
    mergedInto: null,
    status: { $ne: 'blocked' },
    'consent.status': 'accepted',
  };
}

/** A birthday set or changed this recently does not earn this year's gift (no setting the birthday to today). */
export const BIRTHDAY_SETTLE_DAYS = 30;

/**
 * Whether this year's gift is due to a member whose birthday it is: not when the birthday was set or changed less
 * than 30 days ago, nor when the person had this year's gift in a membership they erased (erasure registry).
 */
function birthdayGiftDue(
  m: { birthdaySetAt?: Date | null; priorRewards?: { birthdayYears?: number[] | null } | null },
  year: number,
  now: Date,
  result: BirthdayResult,
): boolean {
  if (m.birthdaySetAt && now.getTime() - m.birthdaySetAt.getTime() < BIRTHDAY_SETTLE_DAYS * 86_400_000) {
    result.recentlySet += 1;
    return false;
  }
  if (m.priorRewards?.birthdayYears?.includes(year)) {
    result.hadBefore += 1;
    return false;
  }
  return true;
}

export type BirthdayDeps = Pick<ProgramContext, 'messenger' | 'links' | 'logger' | 'timeZone'>;
export type BirthdayResult = Record<string, number | string> & {
  candidates: number;
  points: number;
  coupons: number;
  /** Members given birthday credit (購物金) this run. */
  credit: number;
  messaged: number;
  alreadyDone: number;
  failed: number;
  /** Birthdays today skipped: set or changed less than 30 days ago / the gift was had in an erased membership. */
  recentlySet: number;
  hadBefore: number;
};

/**
 * Gives today's birthday members their gift once per year — points (key `birthday:<memberId>:<year>`) and/or a
 * coupon (same key), per the program settings — then pushes one greeting. Every step is idempotent, and the
 * greeting is skipped when the member's timeline already has it, so a re-run (crash, CLI) never sends twice.
 * Blocked, erased and not-yet-joined members get nothing, nor does a birthday set or changed less than 30 days ago,
 * nor a year whose gift the person had in a membership they erased.
 */
export async function runBirthdayProgram(deps: BirthdayDeps, now: Date): Promise<BirthdayResult> {
  const result: BirthdayResult = {
    candidates: 0,
    points: 0,
    coupons: 0,
    credit: 0,
    messaged: 0,
    alreadyDone: 0,
    failed: 0,
    recentlySet: 0,
    hadBefore: 0,
  };
  const program = await getProgramSettings();
  const settings = { ...program.birthday, credit: program.credit, tiers: program.tiers };
  if (!settings.enabled) return { ...result, skipped: 'disabled' };
  const today = zonedParts(now, deps.timeZone);
  if (settings.mode === 'month-first' && today.day !== 1) return result;
  const members = await Member.find(birthdayCandidateFilter(today, settings.mode), {
    birthday: 1,
    displayName: 1,
    name: 1,
    birthdaySetAt: 1,
    'priorRewards.birthdayYears': 1,
    'tier.code': 1,
  }).lean();
  const celebrants = members.filter(
    (m) => isBirthdayToday(m.birthday, today, settings.mode) && birthdayGiftDue(m, today.year, now, result),
  );
  result.candidates = celebrants.length;
  await runPool(celebrants, 8, async (m) => {
    try {
      await giftOne(deps, m, settings, today.year, now, result);
    } catch (err) {
      result.failed += 1;
      deps.logger.warn({ err, memberId: String(m._id) }, 'birthday gift failed; will be retried on the next run');
    }
  });
  if (result.failed) throw new Error(`birthday: ${result.failed} of ${result.candidates} members failed`);
  return result;
}

type Celebrant = {
  _id: Types.ObjectId;
  displayName?: string | null;
  name?: string | null;
  tier?: { code?: string | null } | null;
};
type ProgramSettingsNow = Awaited<ReturnType<typeof getProgramSettings>>;
type BirthdaySettings = ProgramSettingsNow['birthday'] & {
  credit: ProgramSettingsNow['credit'];
  tiers: ProgramSettingsNow['tiers'];
};

async function giftOne(
  deps: BirthdayDeps,
  m: Celebrant,
  s: BirthdaySettings,
  year: number,
  now: Date,
  result: BirthdayResult,
): Promise<void> {
  const key = `birthday:${m._id}:${year}`;
  const lines = [campaignText.birthdayGreeting(m.displayName || m.name || '')];
  // The member's tier may multiply the birthday points and credit (#16.4); rounded down, never fractional.
  const factor = s.tiers.find((t) => t.code === (m.tier?.code ?? 'basic'))?.birthdayMultiplier ?? 1;
  const points = Math.floor(s.points * factor);
  if (points > 0) {
    const expiresAt = await expiryForEarning(now, deps.timeZone);
    const r = await changePoints({
      memberId: m._id,
      delta: points,
      reason: 'birthday',
      key,
      now,
      expiresAt,
      note: `${year} 生日禮`,
    });
    if (!r.duplicate) result.points += 1;
    lines.push(campaignText.birthdayPoints(points));
  }
  const credit = await grantEarnedCredit({
    memberId: m._id,
    amount: Math.floor(s.credit.birthdayAmount * factor),
    validDays: s.credit.birthdayValidDays,
    reason: 'birthday',
    key,
    now,
    note: `${year} 生日購物金`,
  });
  if (credit) {
    if (!credit.duplicate) result.credit += 1;
    lines.push(campaignText.birthdayCredit(credit.amount, formatDate(credit.expiresAt, deps.timeZone)));
  }
  if (s.couponTemplateId) {
    try {
      const r = await issueCoupon({
        templateId: s.couponTemplateId,
        memberId: m._id,
        key,
        now,
        actor: 'birthday',
        source: 'birthday',
        timeZone: deps.timeZone,
      });
      if (!r.duplicate) result.coupons += 1;
      lines.push(campaignText.birthdayCoupon(r.coupon.title));
    } catch (err) {
      // A template that ran out or was archived must not block the greeting and points.
      deps.logger.warn({ err: (err as Error).message, memberId: String(m._id) }, 'birthday coupon not issued');
    }
  }
  if (await Interaction.exists({ key: `push:${key}` })) {
    result.alreadyDone += 1;
    return;
  }
  lines.push(deps.links.card());
  const outcome = await notifyMember(deps.messenger, m._id, [{ type: 'text', text: lines.join('\n') }], {
    key,
    now,
    summary: `${year} 生日祝福`,
    refs: { program: 'birthday', year },
  });
  if (outcome === 'sent') result.messaged += 1;
  else if (outcome === 'already_sent') result.alreadyDone += 1;
}
