import { buildMember, loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { PointsEntry } from '../../../models/points-entry.model';

/**
 * Routes ask for permissions, never roles, so a role can change shape in domain/staff/roles.ts. Here staff keep
 * the counter but lose manual points: every door to adjusting points must then be closed to them.
 */
jest.mock('../../../domain/staff/roles', () => {
  const actual = jest.requireActual('../../../domain/staff/roles');
  return {
    ...actual,
    can: (role: string, permission: string) =>
      role === 'staff' && permission === 'points.adjust' ? false : actual.can(role, permission),
  };
});

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

describe('a counter role without points.adjust', () => {
  it('can still use the counter, but cannot adjust points there or on the member page', async () => {
    const staff = await loginAs(env, 'staff');
    const member = await buildMember();
    await staff.agent.get('/api/console/counter/lookup').query({ code: member.memberCode }).expect(200);
    const body = { memberId: member.id, delta: 50, reason: '補登點數', key: 'perm-test-0001' };
    const atCounter = await staff.agent
      .post('/api/console/counter/points')
      .set('X-CSRF-Token', staff.csrf)
      .send(body)
      .expect(403);
    expect(atCounter.body.error.code).toBe('forbidden');
    await staff.agent
      .post(`/api/console/members/${member.id}/points`)
      .set('X-CSRF-Token', staff.csrf)
      .send(body)
      .expect(403);
    expect(await PointsEntry.countDocuments({ memberId: member._id })).toBe(0);
  });
});
