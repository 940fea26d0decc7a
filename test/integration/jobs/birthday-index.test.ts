import mongoose from 'mongoose';
import { Member } from '../../../models/member.model';
import { runJobOnce } from '../../../jobs/runner';
import { birthdayCandidateFilter } from '../../../domain/campaigns/birthday.service';
import { backfillBirthdayKeys } from '../../../domain/members/birthday-keys.service';
import { changeBirthdayByStaff } from '../../../domain/members/profile-edit.service';
import { mergeFieldSet } from '../../../domain/members/member-merge-fields';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { deliveriesPerUser, seedFollowers, taipei, withClock } from '../campaigns/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(100_000);
});

/** The filters of every `members.find` issued while `fn` runs, as the driver receives them. */
async function memberFinds(fn: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const seen: Array<Record<string, unknown>> = [];
  mongoose.set('debug', (coll: string, method: string, query: Record<string, unknown>) => {
    if (coll === 'members' && method === 'find') seen.push(query);
  });
  try {
    await fn();
  } finally {
    mongoose.set('debug', false);
  }
  return seen;
}

const keyOf = async (id: unknown) => (await Member.findById(id, { birthdayKey: 1 }).lean())?.birthdayKey;

describe('#18.4 birthday job reads the day through an index', () => {
  it('the model declares the birthdayKey index and the job queries it by equality (not a scan of all members)', async () => {
    expect(Member.schema.indexes()).toContainEqual([{ birthdayKey: 1 }, expect.objectContaining({ sparse: true })]);
    const members = await seedFollowers(env, 4, (i) => ({
      birthday: ['1990-05-20', '1988-05-21', '1999-06-20', '2001-05-20'][i],
    }));
    const at = taipei('2025-05-20T10:00:00');
    let out: Awaited<ReturnType<typeof runJobOnce>> | undefined;
    const finds = await memberFinds(async () => {
      out = await runJobOnce(withClock(env.deps, at).deps, 'birthday', at);
    });
    expect(finds).toHaveLength(1);
    expect(finds[0].birthdayKey).toEqual({ $in: ['05-20'] });
    // No regex over birthdays, no month-wide read on a day-mode day.
    expect(JSON.stringify(finds[0])).not.toContain('$regex');
    expect(out?.status === 'ran' && out.result).toMatchObject({ candidates: 2, messaged: 2 });
    const per = deliveriesPerUser(await env.emulator.pushes());
    expect(members.map((m) => per.get(m.lineUserId) ?? 0)).toEqual([1, 0, 0, 1]);
  });

  it('28 February of a common year reads 02-28 and 02-29; month-first reads the month as a key range', () => {
    expect(birthdayCandidateFilter({ year: 2025, month: 2, day: 28 }, 'day').birthdayKey).toEqual({
      $in: ['02-28', '02-29'],
    });
    expect(birthdayCandidateFilter({ year: 2024, month: 2, day: 28 }, 'day').birthdayKey).toEqual({ $in: ['02-28'] });
    expect(birthdayCandidateFilter({ year: 2025, month: 7, day: 1 }, 'month-first').birthdayKey).toEqual({
      $gte: '07-01',
      $lte: '07-31',
    });
  });

  it('every write of a birthday keeps the key in step: insert, save, $set, $unset, staff change, merge set', async () => {
    const [a] = await seedFollowers(env, 1, () => ({ birthday: '1990-03-08' }));
    expect(await keyOf(a.memberId)).toBe('03-08');
    await Member.updateOne({ _id: a.memberId }, { $set: { birthday: '1990-12-24' } });
    expect(await keyOf(a.memberId)).toBe('12-24');
    await Member.findOneAndUpdate({ _id: a.memberId }, { $unset: { birthday: 1 } });
    expect(await keyOf(a.memberId)).toBeUndefined();
    const doc = await Member.findById(a.memberId);
    doc!.birthday = '1991-01-02';
    await doc!.save();
    expect(await keyOf(a.memberId)).toBe('01-02');
    // A document loaded without its birthday and saved keeps the key.
    const partial = await Member.findById(a.memberId, { displayName: 1 });
    partial!.displayName = '改名';
    await partial!.save();
    expect(await keyOf(a.memberId)).toBe('01-02');
    await changeBirthdayByStaff({
      memberId: String(a.memberId),
      body: { birthday: '1991-11-30' },
      now: new Date('2025-05-01T00:00:00Z'),
      timeZone: 'Asia/Taipei',
      actor: 'tester',
    });
    expect(await keyOf(a.memberId)).toBe('11-30');
    await Member.updateOne({ _id: a.memberId }, { $set: mergeFieldSet({ birthday: '1993-04-04' }, {}, []) });
    expect(await keyOf(a.memberId)).toBe('04-04');
  });

  it('the backfill command gives members stored before the key their key, once; the job then finds them', async () => {
    const [m] = await seedFollowers(env, 1, () => ({ birthday: '1990-05-20' }));
    // Stored the way an older version stored it: no key (raw write, no hooks).
    await Member.collection.updateOne({ _id: m.memberId }, { $unset: { birthdayKey: '' } });
    await Member.collection.insertOne({ memberCode: 'LEGACY01', birthday: 'not-a-date', tags: [] });
    expect(await keyOf(m.memberId)).toBeUndefined();
    expect(await backfillBirthdayKeys({ pageSize: 1 })).toEqual({ updated: 1 });
    expect(await keyOf(m.memberId)).toBe('05-20');
    expect(await backfillBirthdayKeys()).toEqual({ updated: 0 });
    const at = taipei('2025-05-20T10:00:00');
    const out = await runJobOnce(withClock(env.deps, at).deps, 'birthday', at);
    expect(out.status === 'ran' && out.result).toMatchObject({ candidates: 1, messaged: 1 });
  });
});
