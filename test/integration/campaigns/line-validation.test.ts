import { Campaign, CampaignRun } from '../../../models/campaign.model';
import { Delivery } from '../../../models/delivery.model';
import { Member } from '../../../models/member.model';
import { PersonaScriptDoc } from '../../../models/persona-script.model';
import { TestRecipient } from '../../../models/test-recipient.model';
import { TrackedLink } from '../../../models/tracked-link.model';
import { lineRejected } from '../../../domain/campaigns/campaign-render.service';
import { runJobOnce } from '../../../jobs/runner';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * #11.2, the product side: every editor of LINE messages refuses, at save and at the field, in zh-TW, what LINE
 * would answer 400 to — checked on the final message (tracked links, member token) — and stores nothing; a LINE
 * 400 at send time fails the run and the campaign with LINE's reason, never "delivered".
 */

let env: TestEnv;
let now = new Date('2025-06-02T05:50:00Z'); // 13:50 in Taipei, outside quiet hours
let marketer: ConsoleLogin;
let admin: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
});
afterAll(() => env.close());
/** A clean database and emulator for each test, with a marketer and an admin signed in. */
async function fresh(): Promise<void> {
  await env.resetDb();
  env.local.emulator!.reset();
  [marketer, admin] = [await loginAs(env, 'marketer'), await loginAs(env, 'admin')];
}

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);
const put = (s: ConsoleLogin, path: string, body: unknown) =>
  s.agent
    .put(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);

const box = (contents: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'box',
  layout: 'vertical',
  contents,
  ...extra,
});
const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: t, wrap: true, ...extra });
const flex = (contents: unknown) => ({ type: 'flex', altText: '本週優惠', contents });
/** What the console's offer template builds (console/src/campaigns/flex-templates.ts). */
const offer = (o: { imageUrl?: string; uri?: string; title?: string } = {}) =>
  flex({
    type: 'bubble',
    hero: { type: 'image', url: o.imageUrl ?? 'https://img.example.com/a.jpg', size: 'full', aspectRatio: '20:13' },
    body: box([text(o.title ?? '夏日特賣', { size: 'xl', weight: 'bold' })], { spacing: 'md' }),
    footer: box([
      {
        type: 'button',
        style: 'primary',
        height: 'sm',
        action: { type: 'uri', label: '立即搶購', uri: o.uri ?? 'https://shop.example.com/sale' },
      },
    ]),
  });
/** The news template with its title left empty: the tag, then an empty title text. */
const newsWithoutTitle = flex({
  type: 'bubble',
  body: box([text('最新消息', { size: 'xs', color: '#0f766e', weight: 'bold' }), text('', { size: 'xl' })]),
});
const bubbleOf = (chars: string) => ({ type: 'bubble', body: box([text(chars)]) });

const campaign = (messages: unknown[], extra: Record<string, unknown> = {}): Record<string, any> => ({
  name: '夏日特賣',
  audience: { type: 'all' as const },
  messages,
  schedule: { type: 'once', at: '2025-06-02T15:00:00+08:00' },
  ...extra,
});

/** Each invalid message of issue #11 with the field the marketer must see and a word of the zh-TW error. */
const INVALID: Array<{ name: string; input: ReturnType<typeof campaign>; path: string; says: string }> = [
  {
    name: 'http:// hero image',
    input: campaign([offer({ imageUrl: 'http://img.example.com/a.jpg' })]),
    path: 'messages.0.contents.hero.url',
    says: 'https://',
  },
  {
    name: 'news template with an empty title',
    input: campaign([newsWithoutTitle]),
    path: 'messages.0.contents.body.contents.1.text',
    says: '不可以是空白',
  },
  {
    name: 'mailto: button',
    input: campaign([offer({ uri: 'mailto:service@example.com' })]),
    path: 'messages.0.contents.footer.contents.0.action.uri',
    says: 'mailto:',
  },
  {
    name: 'flex box without layout',
    input: campaign([flex({ type: 'bubble', body: { type: 'box', contents: [text('哈囉')] } })]),
    path: 'messages.0.contents.body.layout',
    says: 'layout',
  },
  {
    // 10,500 CJK characters: 10,500 UTF-16 units (under 30,000) but 31,500 bytes of UTF-8.
    name: 'bubble over 30 KB in bytes, under 30k characters',
    input: campaign([flex(bubbleOf('測'.repeat(10_500)))]),
    path: 'messages.0.contents',
    says: '30KB',
  },
  {
    name: 'carousel of 13 bubbles',
    input: campaign([
      flex({ type: 'carousel', contents: Array.from({ length: 13 }, (_, i) => bubbleOf(`第 ${i + 1} 張`)) }),
    ]),
    path: 'messages.0.contents.contents',
    says: '12',
  },
  {
    // 4,980 characters and one 12-character link: fine as typed (4,993), over 5,000 once the link is the tracked
    // redirect (`/r/<10>` after the public base URL; the destination line is then left out, as it would not fit).
    name: 'text over 5,000 only after link rewriting',
    input: campaign([{ type: 'text', text: `${'好'.repeat(4980)} https://a.tw` }]),
    path: 'messages.0.text',
    says: '5000',
  },
  {
    // 2,501 emoji: 2,501 code points, 5,002 UTF-16 units (LINE's count).
    name: 'emoji counted as LINE counts them (UTF-16)',
    input: campaign([{ type: 'text', text: '🎉'.repeat(2501) }]),
    path: 'messages.0.text',
    says: '5002',
  },
];

describe('#11.2 product validates before it stores or sends: campaign composer', () => {
  beforeEach(fresh);

  it.each(INVALID)(
    'refuses a $name at save with a zh-TW field error, storing nothing',
    async ({ input, path, says }) => {
      for (const draft of [true, false]) {
        const res = await post(marketer, '/campaigns', { ...input, draft }).expect(400);
        expect(res.body.error.code).toBe('validation_failed');
        const field = res.body.error.details.fields.find((f: { path: string }) => f.path === path);
        expect(field).toBeDefined();
        expect(field.message).toContain(says);
        expect(field.message).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(await Campaign.countDocuments()).toBe(0);
      expect(await TrackedLink.countDocuments()).toBe(0);
    },
  );

  it('accepts a text whose tracked redirect still fits (its destination line left out), and counts emoji as 2', async () => {
    const fits = campaign([{ type: 'text', text: `${'好'.repeat(4960)} https://a.tw` }]);
    await post(marketer, '/campaigns', fits).expect(201);
    await post(marketer, '/campaigns', { ...fits, options: { linkTracking: 'member' } }).expect(201);
    await post(marketer, '/campaigns', campaign([{ type: 'text', text: '🎉'.repeat(2500) }])).expect(201);
  });

  it('refuses an edit (PUT) and a schedule of an invalid campaign, leaving the stored one unchanged', async () => {
    const created = await post(marketer, '/campaigns', { ...campaign([offer()]), draft: true }).expect(201);
    const id = created.body.campaign.id;
    const before = await Campaign.findById(id).lean();
    for (const bad of INVALID) {
      const res = await put(marketer, `/campaigns/${id}`, { messages: bad.input.messages, options: bad.input.options });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(bad.path);
    }
    expect(await Campaign.findById(id).lean()).toEqual(before);
    expect(await TrackedLink.countDocuments()).toBe(1);
  });

  it('refuses a test send of a campaign stored before the validator, pushing nothing', async () => {
    const { userId } = await createLineMember(env);
    await TestRecipient.create({ lineUserId: userId, label: '測試機', source: 'admin', addedBy: 'admin' });
    const stored = await Campaign.create({
      ...campaign([offer({ imageUrl: 'http://img.example.com/old.jpg' })]),
      options: {},
      status: 'draft',
      links: [],
    });
    const res = await post(marketer, `/campaigns/${stored._id}/test-send`, { lineUserId: userId }).expect(400);
    expect(res.body.error.details.fields).toContainEqual({
      path: 'messages.0.contents.hero.url',
      message: expect.stringContaining('https://'),
    });
    expect(await env.emulator.messages(userId, 0, 0)).toEqual([]);
  });
});

describe('#11.2 product validates before it stores or sends: persona script editor', () => {
  beforeEach(fresh);

  async function saveDate(patch: Record<string, unknown>) {
    const current = await admin.agent.get('/api/console/settings/persona-script').expect(200);
    const questions = current.body.script.questions.map((q: { type: string }) =>
      q.type === 'date' ? { ...q, ...patch } : q,
    );
    const index = questions.findIndex((q: { type: string }) => q.type === 'date');
    const res = await put(admin, '/settings/persona-script', {
      script: { ...current.body.script, questions },
      expectedRevision: current.body.revision,
    });
    return { res, index };
  }

  it.each([
    ['min before 1900-01-01', { minDate: '1899-12-31' }, 'minDate', '1900-01-01'],
    ['max after 2100-12-31', { maxDate: '2101-01-01' }, 'maxDate', '2100-12-31'],
    ['initial after 2100-12-31', { initial: '2200-01-01' }, 'initial', '2100-12-31'],
    ['min after max', { minDate: '2000-01-01', maxDate: '1990-01-01', initial: '1995-01-01' }, 'minDate', '早於'],
    ['initial before min', { minDate: '1950-01-01', initial: '1940-01-01' }, 'initial', '之間'],
    ['initial after max', { maxDate: '2000-12-31', initial: '2010-01-01' }, 'initial', '之間'],
    ['not a calendar day', { initial: '1990-02-30' }, 'initial', 'YYYY-MM-DD'],
  ])('refuses a date question with %s at its field, storing nothing', async (_name, patch, field, says) => {
    const { res, index } = await saveDate(patch);
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toContainEqual({
      path: `questions.${index}.${field}`,
      message: expect.stringContaining(says),
    });
    expect(await PersonaScriptDoc.countDocuments()).toBe(0);
  });

  it('takes a date range in order, and counts option labels as people see them (graphemes)', async () => {
    expect((await saveDate({ minDate: '1920-01-01', maxDate: '2020-12-31', initial: '1990-01-01' })).res.status).toBe(
      200,
    );
    const current = await admin.agent.get('/api/console/settings/persona-script').expect(200);
    const single = current.body.script.questions.findIndex((q: { type: string }) => q.type === 'single');
    const withLabel = (label: string) => ({
      ...current.body.script,
      questions: current.body.script.questions.map((q: { options?: Array<{ label: string }> }, i: number) =>
        i === single ? { ...q, options: q.options!.map((o, j) => (j === 0 ? { ...o, label } : o)) } : q,
      ),
    });
    // 20 family emoji: 20 graphemes (LINE's count) though 160 UTF-16 units.
    const ok = await put(admin, '/settings/persona-script', {
      script: withLabel('👨‍👩‍👧'.repeat(20)),
      expectedRevision: current.body.revision,
    });
    expect(ok.status).toBe(200);
    const bad = await put(admin, '/settings/persona-script', {
      script: withLabel('好'.repeat(21)),
      expectedRevision: ok.body.revision,
    }).expect(400);
    expect(bad.body.error.details.fields).toContainEqual({
      path: `questions.${single}.options.0.label`,
      message: expect.stringContaining('20'),
    });
  });
});

describe("#11.2 LINE itself is asked, and its 400 is the marketer's error", () => {
  beforeEach(fresh);

  it("the validate endpoint answers with LINE's reason, shown as a zh-TW error at LINE's property", async () => {
    // The app's own Messenger: the SDK adapter (server/line-messenger.ts) pointed at the emulator.
    const messenger = env.deps.messenger;
    expect(await messenger.validate('multicast', [{ type: 'text', text: '好' }])).toEqual({ ok: true });
    const verdict = await messenger.validate('push', [
      {
        type: 'image',
        originalContentUrl: 'http://a.example.com/a.jpg',
        previewImageUrl: 'https://a.example.com/a.jpg',
      },
    ]);
    expect(verdict).toMatchObject({ ok: false, details: [{ property: 'messages[0].originalContentUrl' }] });
    if (verdict.ok) return;
    const err = lineRejected(verdict);
    expect(err).toMatchObject({ status: 400, code: 'line_rejected' });
    expect(err.userMessage).toContain('LINE 拒絕了這則訊息');
    expect((err.details as { fields: Array<{ path: string; message: string }> }).fields[0]).toEqual({
      path: 'messages.0.originalContentUrl',
      message: expect.stringMatching(/^LINE 回覆：/),
    });
  });

  it("a LINE 400 at send time fails the batch and the campaign with LINE's reason, never delivered", async () => {
    const good = await createLineMember(env);
    // An id LINE cannot have issued (LINE checks each multicast id): LINE refuses the whole request.
    await Member.create({
      lineUserId: 'U-not-a-line-id',
      memberCode: 'BAD00001',
      displayName: '壞 ID',
      status: 'active',
      consent: { status: 'accepted', marketing: true },
    });
    const created = await post(marketer, '/campaigns', campaign([{ type: 'text', text: '今天限定！' }])).expect(201);
    now = new Date('2025-06-02T07:01:00Z');
    await runJobOnce(env.deps, 'campaign-dispatch', now);

    const page = await marketer.agent.get(`/api/console/campaigns/${created.body.campaign.id}`).expect(200);
    const c = page.body.campaign;
    expect(c.status).toBe('failed');
    expect(c.failedReason).toContain('LINE 拒絕了這次發送的訊息');
    expect(c.lineError).toMatchObject({
      details: [expect.objectContaining({ property: expect.stringMatching(/^to/) })],
    });
    expect(c.runs[0]).toMatchObject({
      status: 'failed',
      sent: 0,
      failed: 2,
      lineError: { message: expect.any(String) },
    });
    expect(await Delivery.countDocuments({ status: 'sent' })).toBe(0);
    expect(await env.emulator.messages(good.userId, 0, 0)).toEqual([]);
    now = new Date('2025-06-02T05:50:00Z');
  });

  it('before a send starts, a campaign stored before the validator is refused with the reason, nothing sent', async () => {
    const { userId } = await createLineMember(env);
    const stored = await Campaign.create({
      ...campaign([flex({ type: 'bubble', body: { type: 'box', contents: [text('舊活動')] } })]),
      options: {},
      status: 'scheduled',
      nextRunAt: new Date('2025-06-02T07:00:00Z'),
      links: [],
    });
    now = new Date('2025-06-02T07:01:00Z');
    await runJobOnce(env.deps, 'campaign-dispatch', now);
    now = new Date('2025-06-02T05:50:00Z');

    const page = await marketer.agent.get(`/api/console/campaigns/${stored._id}`).expect(200);
    expect(page.body.campaign).toMatchObject({
      status: 'failed',
      lineError: {
        details: [{ property: 'messages[0].contents.body.layout', message: expect.stringContaining('layout') }],
      },
    });
    expect(await CampaignRun.countDocuments({ status: 'failed' })).toBe(1);
    expect(await Delivery.countDocuments()).toBe(0);
    expect(await env.emulator.messages(userId, 0, 0)).toEqual([]);
  });
});
