import type { Types } from 'mongoose';
import { Member } from '../../../models/member.model';
import type { AppDeps } from '../../../server/deps';
import type { PushLogEntry } from '../../helpers/emulator-client';
import type { TestEnv } from '../../helpers/test-env';

/** Test data for campaigns and jobs: members who follow the account in the emulator, and push-log counting. */

export interface Follower {
  memberId: Types.ObjectId;
  lineUserId: string;
}
type MemberOverrides = Record<string, unknown>;

let seq = 0;

/**
 * `count` LINE users who follow the account (webhook switched off meanwhile, so the bot does not react) and a
 * member for each: active, joined, marketing consent given — unless `overrides(i)` says otherwise.
 */
export async function seedFollowers(
  env: TestEnv,
  count: number,
  overrides: (i: number) => MemberOverrides = () => ({}),
): Promise<Follower[]> {
  const emu = env.local.emulator!;
  emu.setWebhookUrl(null);
  const users: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const u = emu.createUser({ displayName: `會員${seq + i}` });
      await emu.follow(u.userId);
      users.push(u.userId);
    }
  } finally {
    emu.setWebhookUrl(`${env.url}/webhook`);
  }
  const docs = users.map((lineUserId, i) => ({
    lineUserId,
    memberCode: `T${String(++seq).padStart(7, '0')}`,
    displayName: `會員${seq}`,
    status: 'active',
    consent: { status: 'accepted', marketing: true, at: new Date('2024-01-01T00:00:00Z') },
    ...overrides(i),
  }));
  const inserted = await Member.insertMany(docs);
  return inserted.map((m) => ({ memberId: m._id, lineUserId: m.lineUserId! }));
}

/** How many accepted sends reached each user, from the emulator's push log. */
export function deliveriesPerUser(log: PushLogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of log) {
    if (e.status !== 200) continue;
    const reached =
      (e as PushLogEntry & { deliveredTo?: string[] }).deliveredTo ?? (Array.isArray(e.to) ? e.to : [e.to]);
    for (const id of reached) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Deps with a clock the test moves (lease and lock expiry follow it). */
export function withClock(
  deps: AppDeps,
  start: Date,
): { deps: AppDeps; set(at: Date): void; advance(ms: number): void } {
  let now = start;
  return {
    deps: { ...deps, clock: () => now },
    set(at) {
      now = at;
    },
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
  };
}

export const taipei = (local: string) => new Date(`${local}+08:00`);
