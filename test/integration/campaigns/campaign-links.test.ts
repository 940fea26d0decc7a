import request from 'supertest';
import { signMemberToken } from '../../../domain/campaigns/tracked-links.service';
import { Campaign } from '../../../models/campaign.model';
import { Interaction } from '../../../models/interaction.model';
import { TrackedLink } from '../../../models/tracked-link.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** #17.4 over HTTP: a campaign link opens the destination with UTM parameters and still records the click. */

let env: TestEnv;
const now = new Date('2025-06-02T05:50:00Z');
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());

const DEST = 'https://shop.example.com/anniversary?ref=line&color=%E7%B4%85';
const body = (extra: Record<string, unknown> = {}) => ({
  name: 'Anniversary 週年慶',
  audience: { type: 'all' },
  schedule: { type: 'once', at: '2025-06-02T15:00:00+08:00' },
  messages: [
    {
      type: 'flex',
      altText: '週年慶開跑',
      contents: {
        type: 'bubble',
        body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: `詳情：${DEST}`, wrap: true }] },
        footer: {
          type: 'box',
          layout: 'vertical',
          contents: [{ type: 'button', action: { type: 'uri', label: '去逛逛', uri: DEST } }],
        },
      },
    },
  ],
  options: { linkTracking: 'member' },
  ...extra,
});
const create = async (b: Record<string, unknown>) =>
  (await marketer.agent.post('/api/console/campaigns').set('X-CSRF-Token', marketer.csrf).send(b).expect(201)).body
    .campaign.id as string;

describe('#17.4 tracked links with UTM parameters', () => {
  it('redirects to the destination with its own parameters and the UTM ones, and records the member click', async () => {
    const { memberId } = await createLineMember(env);
    const id = await create(body());
    const link = (await TrackedLink.findOne({ campaignId: id }).lean())!;
    expect(link.url).toBe(DEST);
    const token = signMemberToken(memberId, env.config.line.channelSecret);
    const res = await request(env.url).get(`/r/${link._id}?m=${token}`).expect(302);
    const to = new URL(res.headers.location);
    expect(`${to.origin}${to.pathname}`).toBe('https://shop.example.com/anniversary');
    expect(Object.fromEntries(to.searchParams)).toEqual({
      ref: 'line',
      color: '紅',
      utm_source: 'line',
      utm_medium: 'campaign',
      utm_campaign: 'anniversary',
    });
    expect((await TrackedLink.findById(link._id).lean())!.clicks).toBe(1);
    expect(await Interaction.countDocuments({ memberId, type: 'click' })).toBe(1);
  });

  it('uses the marketer slug, or no UTM at all when turned off', async () => {
    const withSlug = await create(body({ options: { linkTracking: 'link', utm: { campaign: 'fall_2025' } } }));
    const off = await create(body({ name: '關閉 UTM', options: { linkTracking: 'link', utm: { enabled: false } } }));
    const slugLink = (await TrackedLink.findOne({ campaignId: withSlug }).lean())!;
    const offLink = (await TrackedLink.findOne({ campaignId: off }).lean())!;
    const a = await request(env.url).get(`/r/${slugLink._id}`).expect(302);
    expect(new URL(a.headers.location).searchParams.get('utm_campaign')).toBe('fall_2025');
    const b = await request(env.url).get(`/r/${offLink._id}`).expect(302);
    expect(b.headers.location).toBe(DEST);
  });

  it('refuses a slug with Chinese or spaces in zh-TW, storing nothing', async () => {
    const before = await Campaign.countDocuments();
    const links = await TrackedLink.countDocuments();
    const res = await marketer.agent
      .post('/api/console/campaigns')
      .set('X-CSRF-Token', marketer.csrf)
      .send(body({ options: { utm: { campaign: '週年 慶' } } }))
      .expect(400);
    const field = res.body.error.details.fields.find((f: { path: string }) => f.path === 'options.utm.campaign');
    expect(field.message).toContain('英文字母');
    expect(await Campaign.countDocuments()).toBe(before);
    expect(await TrackedLink.countDocuments()).toBe(links);
  });
});
