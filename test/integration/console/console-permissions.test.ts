import type { Express } from 'express';
import { buildMember, loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { PointsEntry } from '../../../models/points-entry.model';
import { Segment } from '../../../models/segment.model';

/**
 * Routes ask for permissions, never roles, so a role can change shape in domain/staff/roles.ts. This reads the
 * permission guards off the real app's routes (each guard carries the permission it checks) and proves that every
 * door to adjusting points or credit asks for `points.adjust`; then a real role is refused a door it lacks.
 */

interface RouteEntry {
  method: string;
  path: string;
  permissions: string[];
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
  handle: { stack?: Layer[]; permission?: string };
}

function routeTable(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[], inherited: string[]) => {
    const current = [...inherited];
    for (const layer of stack) {
      if (layer.route) {
        const own = layer.route.stack.map((l) => l.handle.permission).filter((p): p is string => !!p);
        for (const method of Object.keys(layer.route.methods))
          out.push({ method: method.toUpperCase(), path: layer.route.path, permissions: [...current, ...own] });
      } else if (Array.isArray(layer.handle.stack)) {
        walk(layer.handle.stack, current);
      } else if (layer.handle.permission) {
        current.push(layer.handle.permission);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, []);
  return out;
}

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

describe('permissions on the console routes', () => {
  it('every route that adjusts points or credit by hand asks for points.adjust', () => {
    const app = env.server.listeners('request')[0] as Express;
    const table = routeTable(app);
    const adjusting = table.filter((r) => r.method === 'POST' && /\/(points|credit)$/.test(r.path));
    expect(adjusting.map((r) => r.path).sort()).toEqual(['/:id/credit', '/:id/points', '/credit', '/points']);
    for (const route of adjusting) expect(route.permissions).toContain('points.adjust');
    // The counter's routes also ask for the counter permission, set once on its router.
    for (const path of ['/points', '/credit']) {
      const atCounter = adjusting.find((r) => r.path === path)!;
      expect(atCounter.permissions).toEqual(expect.arrayContaining(['counter', 'points.adjust']));
    }
  });

  it('a real role is refused a door its permissions lack, in zh-TW, and nothing is stored', async () => {
    const staff = await loginAs(env, 'staff');
    const before = await Segment.countDocuments();
    const res = await staff.agent
      .post('/api/console/segments')
      .set('X-CSRF-Token', staff.csrf)
      .send({ name: '測試分眾', rule: { all: [] } })
      .expect(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(res.body.error.message).toBe('您的角色沒有權限使用這項功能。');
    expect(await Segment.countDocuments()).toBe(before);
  });

  it('staff still use the counter and may adjust points there within their cap', async () => {
    const staff = await loginAs(env, 'staff');
    const member = await buildMember();
    await staff.agent.get('/api/console/counter/lookup').query({ code: member.memberCode }).expect(200);
    await staff.agent
      .post('/api/console/counter/points')
      .set('X-CSRF-Token', staff.csrf)
      .send({ memberId: member.id, delta: 50, reason: '補登點數', key: 'perm-test-0001' })
      .expect(200);
    expect(await PointsEntry.countDocuments({ memberId: member._id })).toBe(1);
  });
});
