import { buildFlexMessage, FLEX_DEFAULTS } from '../../../console/src/campaigns/flex-templates';
import { TestRecipient } from '../../../models/test-recipient.model';
import { runJobOnce } from '../../../jobs/runner';
// The emulator's own reading of LINE's rules, independent of the product's validator: imported by this test only.
import { validateMessages } from '../../../local/line-emulator/validate';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * #11.2 acceptance: drive the console API to compose, test-send and schedule campaigns of every kind the console
 * authors (text, image, each flex template, JSON flex, with a coupon, links tracked per link and per member),
 * dispatch them, then read every emulator inbox and re-validate every delivered message with the emulator's
 * validator: zero violations of LINE's published rules.
 */

let env: TestEnv;
let now = new Date('2025-06-02T05:50:00Z'); // 13:50 in Taipei
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());

const post = (path: string, body: unknown = {}) =>
  marketer.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', marketer.csrf)
    .send(body as object);

const jsonCarousel = {
  type: 'flex',
  altText: '本週三款精選',
  contents: {
    type: 'carousel',
    contents: ['拿鐵', '美式', '抹茶'].map((name, i) => ({
      type: 'bubble',
      size: 'kilo',
      hero: { type: 'image', url: `https://img.example.com/${i}.jpg`, size: 'full', aspectRatio: '1:1' },
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'sm',
        contents: [
          { type: 'text', text: name, weight: 'bold', size: 'lg' },
          {
            type: 'box',
            layout: 'baseline',
            contents: [
              { type: 'icon', url: 'https://img.example.com/star.png', size: 'sm' },
              {
                type: 'text',
                contents: [
                  { type: 'span', text: 'NT$' },
                  { type: 'span', text: '95', weight: 'bold' },
                ],
              },
            ],
          },
          { type: 'separator', margin: 'md' },
          {
            type: 'text',
            text: '門市電話',
            action: { type: 'uri', label: '撥打', uri: 'tel:0223456789' },
            decoration: 'underline',
          },
        ],
      },
      footer: {
        type: 'box',
        layout: 'vertical',
        contents: [
          {
            type: 'button',
            style: 'primary',
            action: { type: 'uri', label: '看菜單', uri: `https://shop.example.com/menu/${i}` },
          },
          {
            type: 'button',
            style: 'link',
            action: { type: 'postback', label: '收藏', data: `fav:${i}`, displayText: '收藏' },
          },
        ],
      },
      styles: { footer: { separator: true } },
    })),
  },
};

describe("#11.2 acceptance: everything the console sends passes LINE's published rules", () => {
  it('composes, test-sends and dispatches every kind of campaign; the emulator finds zero violations', async () => {
    const members = [await createLineMember(env), await createLineMember(env), await createLineMember(env)];
    const tester = members[0];
    await TestRecipient.create({ lineUserId: tester.userId, label: '測試機', source: 'admin', addedBy: 'admin' });
    const coupon = await createTemplate({ title: '夏日折價券 NT$100' });

    const kinds: Array<[string, unknown[], Record<string, unknown>]> = [
      ['text', [{ type: 'text', text: '🎉 夏日特賣開跑！詳情 https://shop.example.com/summer?utm=line' }], {}],
      [
        'image',
        [
          {
            type: 'image',
            originalContentUrl: 'https://img.example.com/a.jpg',
            previewImageUrl: 'https://img.example.com/a-s.jpg',
          },
        ],
        {},
      ],
      ...(['offer', 'coupon', 'news'] as const).map((kind): [string, unknown[], Record<string, unknown>] => [
        `flex ${kind}`,
        [
          buildFlexMessage(
            kind,
            { ...FLEX_DEFAULTS[kind], imageUrl: kind === 'coupon' ? '' : 'https://img.example.com/hero.jpg' },
            '',
          ),
        ],
        {},
      ]),
      ['JSON flex carousel', [jsonCarousel], {}],
      [
        'with coupon',
        [{ type: 'text', text: '送您一張折價券，結帳出示即可使用。' }],
        { coupon: { templateId: coupon.id } },
      ],
      [
        'per-member links, near the limit',
        [{ type: 'text', text: `${'好'.repeat(4800)} https://shop.example.com/a https://shop.example.com/b` }],
        { options: { linkTracking: 'member' } },
      ],
    ];

    for (const [name, messages, extra] of kinds) {
      const created = await post('/campaigns', {
        name,
        audience: { type: 'all' },
        messages,
        schedule: { type: 'once', at: '2025-06-02T15:00:00+08:00' },
        draft: true,
        ...extra,
        // No frequency cap: every member gets every campaign, so every kind reaches an inbox.
        options: { frequencyCap: null, ...(extra.options as object) },
      });
      expect({ name, status: created.status, body: created.status === 201 ? null : created.body }).toEqual({
        name,
        status: 201,
        body: null,
      });
      const id = created.body.campaign.id;
      await post(`/campaigns/${id}/test-send`, { lineUserId: tester.userId }).expect(200);
      await post(`/campaigns/${id}/schedule`).expect(200);
    }

    now = new Date('2025-06-02T07:01:00Z');
    await runJobOnce(env.deps, 'campaign-dispatch', now);
    now = new Date('2025-06-02T05:50:00Z');

    const list = await marketer.agent.get('/api/console/campaigns').query({ pageSize: 50 }).expect(200);
    expect(list.body.items.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual(
      expect.arrayContaining(kinds.map(([name]) => [name, 'completed'])),
    );

    const users = (await env.emulator.call<Array<{ userId: string }>>('GET', '/_emulator/users')).map((u) => u.userId);
    let delivered = 0;
    const violations: unknown[] = [];
    for (const userId of users) {
      for (const entry of await env.emulator.messages(userId, 0, 0)) {
        delivered += 1;
        const details = validateMessages([entry.message]);
        if (details.length) violations.push({ userId, message: entry.message, details });
      }
    }
    expect(violations).toEqual([]);
    // Every member got every campaign (plus the coupon notice); the tester also every test send with its prefix.
    expect(delivered).toBeGreaterThanOrEqual(members.length * (kinds.length + 1) + kinds.length * 2);
  });
});
