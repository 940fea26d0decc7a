import { StampCard } from '../../../models/stamp-card.model';
import { StampCardTemplate } from '../../../models/stamp-card-template.model';
import { can } from '../../../domain/staff/roles';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** #16 item 5 (helper C): `stamps.manage` — templates are for marketers and admins; manual stamps for staff. */
let env: TestEnv;
let admin: ConsoleLogin;
let marketer: ConsoleLogin;
let staff: ConsoleLogin;
beforeAll(async () => {
  env = await startTestEnv();
  admin = await loginAs(env, 'admin');
  marketer = await loginAs(env, 'marketer');
  staff = await loginAs(env, 'staff', { displayName: '店員小林' });
});
afterAll(() => env.close());

const send = (who: ConsoleLogin, method: 'post' | 'put', path: string, body: object) =>
  who.agent[method](`/api/console/stamps${path}`).set('X-CSRF-Token', who.csrf).send(body);
const design = (name: string) => ({
  name,
  stampsNeeded: 5,
  earn: { rule: 'per_purchase' },
  milestones: [],
  completionReward: { kind: 'points', points: 50 },
  validity: { mode: 'days_from_first_stamp', days: 180 },
  manualDailyLimit: 1,
});

describe('#16.C5 stamps.manage permission', () => {
  it('the role table: marketer and admin manage templates, staff do not', () => {
    expect(can('admin', 'stamps.manage')).toBe(true);
    expect(can('marketer', 'stamps.manage')).toBe(true);
    expect(can('staff', 'stamps.manage')).toBe(false);
    expect(can('staff', 'counter')).toBe(true);
  });

  it('staff are refused template listing, creation and editing server-side (403), nothing stored changes', async () => {
    const made = await send(marketer, 'post', '/templates', design('咖啡集點卡')).expect(201);
    const id = made.body.template.id;
    await staff.agent.get('/api/console/stamps/templates').expect(403);
    const refused = await send(staff, 'post', '/templates', design('店員自己做的卡')).expect(403);
    expect(typeof refused.body.error.message).toBe('string');
    await send(staff, 'put', `/templates/${id}`, design('改名')).expect(403);
    expect(await StampCardTemplate.countDocuments({})).toBe(1);
    expect((await StampCardTemplate.findById(id).lean())!.name).toBe('咖啡集點卡');
    await admin.agent.get('/api/console/stamps/templates').expect(200);
  });

  it('staff may still add a manual stamp (counter permission)', async () => {
    const made = await send(admin, 'post', '/templates', design('茶飲集點卡')).expect(201);
    const templateId = made.body.template.id;
    const { memberId } = await createLineMember(env);
    await send(staff, 'post', '/manual', { memberId, templateId, reason: '收銀機當機漏蓋' }).expect(200);
    expect((await StampCard.findOne({ memberId }).lean())!.stamps).toBe(1);
  });
});
