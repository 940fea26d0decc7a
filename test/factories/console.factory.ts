import request from 'supertest';
type TestAgent = ReturnType<typeof request.agent>;
import { Member } from '../../models/member.model';
import type { ConsoleRole } from '../../models/console-user.model';
import { createConsoleUser } from '../../domain/staff/user.service';
import type { TestEnv } from '../helpers/test-env';

let seq = 0;

export interface ConsoleLogin {
  agent: TestAgent;
  csrf: string;
  userId: string;
  username: string;
  password: string;
}

/** Creates a console user of `role` and signs in with a cookie-keeping supertest agent. */
export async function loginAs(
  env: TestEnv,
  role: ConsoleRole,
  overrides: { username?: string; displayName?: string } = {},
): Promise<ConsoleLogin> {
  seq += 1;
  const username = overrides.username ?? `${role}${seq}-${process.pid}`;
  const password = `pw-${role}-${seq}-long-enough`;
  const { user } = await createConsoleUser(
    { username, displayName: overrides.displayName ?? `${role} ${seq}`, role, password },
    env.deps.clock(),
  );
  const agent = request.agent(env.url);
  const res = await agent.post('/api/console/auth/login').send({ username, password }).expect(200);
  return { agent, csrf: res.body.csrfToken, userId: user.id, username, password };
}

/** A member document with believable defaults; only what a test cares about needs to be given. */
export async function buildMember(overrides: Record<string, unknown> = {}) {
  seq += 1;
  const code = String(1_000_000_000 + seq * 7919 + (process.pid % 1000));
  return Member.create({
    memberCode: code,
    displayName: `會員${seq}`,
    status: 'active',
    followedAt: new Date('2025-01-10T02:00:00Z'),
    consent: { status: 'accepted', marketing: true, at: new Date('2025-01-10T02:01:00Z'), version: 'v1' },
    ...overrides,
  });
}
