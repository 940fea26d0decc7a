import type { Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import { Journey } from '../../models/journey.model';
import { Member } from '../../models/member.model';
import { PointsEntry } from '../../models/points-entry.model';
import { audienceRule } from '../campaigns/campaign.service';
import { buildAudienceFilter } from '../segments/segment.service';
import { zonedDate, zonedTimeToUtc } from '../shared/clock';
import { enterRun, type JourneyLean } from './journey-enter.service';
import type { JourneyTrigger } from './journey.schema';
import { addDays } from './journey-time';

/** Triggers evaluated once a day by the journeys job (the others come from product events). */
export const SCHEDULED_TRIGGERS = [
  'inactive',
  'points_expiring',
  'coupon_expiring',
  'date_relative',
  'segment',
] as const;

const REACHABLE: Record<string, unknown> = {
  erasedAt: null,
  status: { $ne: 'blocked' },
  lineUserId: { $exists: true },
};
const ANNIVERSARY_YEARS = 30;

/** The UTC bounds of one calendar day in the program's zone. */
function dayBounds(date: string, tz: string): { $gte: Date; $lt: Date } {
  return { $gte: zonedTimeToUtc(date, '00:00', tz), $lt: zonedTimeToUtc(addDays(date, 1), '00:00', tz) };
}

/**
 * The members a scheduled trigger picks today, each through an index on what is due that day: the last purchase
 * (or interaction) exactly N days ago, points lots or coupons expiring exactly N days from now, birthdays by their
 * `MM-DD` key, join anniversaries by the creation date of each past year. A segment trigger reads its audience.
 */
export async function candidatesFor(
  t: JourneyTrigger,
  today: string,
  now: Date,
  tz: string,
): Promise<Types.ObjectId[]> {
  switch (t.type) {
    case 'inactive': {
      const field = t.basis === 'purchase' ? 'stats.lastPurchaseAt' : 'lastInteractionAt';
      return ids(
        await Member.find({ [field]: dayBounds(addDays(today, -t.days), tz), ...REACHABLE }, { _id: 1 }).lean(),
      );
    }
    case 'points_expiring': {
      const rows = await PointsEntry.find(
        { expiresAt: dayBounds(addDays(today, t.days), tz), delta: { $gt: 0 } },
        { memberId: 1 },
      ).lean();
      const members = [...new Set(rows.map((r) => String(r.memberId)))];
      return ids(
        await Member.find({ _id: { $in: members }, pointsBalance: { $gt: 0 }, ...REACHABLE }, { _id: 1 }).lean(),
      );
    }
    case 'coupon_expiring': {
      const rows = await Coupon.find(
        { status: 'active', validUntil: dayBounds(addDays(today, t.days), tz) },
        { memberId: 1 },
      ).lean();
      return [...new Map(rows.map((r) => [String(r.memberId), r.memberId as Types.ObjectId])).values()];
    }
    case 'date_relative': {
      const date = addDays(today, -t.offsetDays);
      if (t.date === 'birthday')
        return ids(await Member.find({ birthdayKey: date.slice(5), ...REACHABLE }, { _id: 1 }).lean());
      const year = Number(date.slice(0, 4));
      const days = Array.from({ length: ANNIVERSARY_YEARS }, (_, i) => `${year - 1 - i}${date.slice(4)}`);
      return ids(
        await Member.find({ $or: days.map((d) => ({ createdAt: dayBounds(d, tz) })), ...REACHABLE }, { _id: 1 }).lean(),
      );
    }
    case 'segment': {
      const filter = await buildAudienceFilter(await audienceRule(t.audience), now, { timeZone: tz });
      return ids(await Member.find(filter, { _id: 1 }).lean());
    }
    default:
      return [];
  }
}

const ids = (rows: Array<{ _id: Types.ObjectId }>) => rows.map((r) => r._id);

/**
 * Once per calendar day per journey (the job's first tick of the day), the scheduled triggers enter their
 * members. The day is marked after the entries, so a crash mid-way re-evaluates; entries are unique per
 * (journey, member), so that changes nothing for those already in.
 */
export async function evaluateScheduledTriggers(
  now: Date,
  tz: string,
): Promise<{ evaluated: number; entered: number }> {
  const today = zonedDate(now, tz);
  const journeys = (await Journey.find({
    status: 'active',
    'trigger.type': { $in: [...SCHEDULED_TRIGGERS] },
    evaluatedFor: { $ne: today },
  }).lean()) as unknown as JourneyLean[];
  let entered = 0;
  for (const j of journeys) {
    for (const memberId of await candidatesFor(j.trigger, today, now, tz))
      if (await enterRun(j, memberId, now, tz, `${j.trigger.type}:${today}`)) entered++;
    await Journey.updateOne({ _id: j._id }, { $set: { evaluatedFor: today } });
  }
  return { evaluated: journeys.length, entered };
}
