import { Campaign } from '../../../models/campaign.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';

let env: TestEnv;
let marketer: ConsoleLogin;
beforeAll(async () => {
  env = await startTestEnv();
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());

/** A bubble whose body is a box inside a box inside a box … `depth` levels deep, as JSON text. */
function nestedFlex(depth: number): string {
  const open = '{"type":"box","layout":"vertical","contents":['.repeat(depth);
  const close = ']}'.repeat(depth);
  return `{"type":"bubble","body":${open}{"type":"text","text":"hi"}${close}}`;
}

const campaignJson = (contents: string) =>
  `{"name":"深層巢狀","audience":{"type":"all"},"schedule":{"type":"once","at":"2030-01-01T04:00:00Z"},"draft":true,` +
  `"messages":[{"type":"flex","altText":"新品上市","contents":${contents}}]}`;

describe('#12.11 a deeply nested flex JSON is refused with 400, not 500', () => {
  for (const depth of [40, 2_000, 20_000]) {
    it(`boxes nested ${depth} deep → 400 with a zh-TW message, nothing stored`, async () => {
      const before = await Campaign.countDocuments();
      const res = await marketer.agent
        .post('/api/console/campaigns')
        .set('X-CSRF-Token', marketer.csrf)
        .set('content-type', 'application/json')
        .send(campaignJson(nestedFlex(depth)));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(JSON.stringify(res.body)).toMatch(/層/);
      expect(await Campaign.countDocuments()).toBe(before);
    });
  }

  it('a bubble with boxes nested ten deep is still accepted', async () => {
    const res = await marketer.agent
      .post('/api/console/campaigns')
      .set('X-CSRF-Token', marketer.csrf)
      .set('content-type', 'application/json')
      .send(campaignJson(nestedFlex(10)));
    expect(res.status).toBe(201);
  });
});
