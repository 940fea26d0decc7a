import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { checkLineMessage } from '../../../domain/messaging/line-rules/line-message-rules';
import { loginAs } from '../../factories/console.factory';
import { createDrinkStampCard } from '../../factories/stamp.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser, type ChatUser } from './chat-driver';

/**
 * #16.1 集點 in chat: the member's stamp card as a flex bubble (delivered by the LINE emulator, which refuses what
 * LINE would refuse), in the brand colour, with its texts editable in the console's 「訊息內容」.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(async () => {
  await env.resetDb();
  env.deps.replies.invalidate();
});

async function buy(u: ChatUser, count: number) {
  for (let i = 1; i <= count; i++)
    await ingestPurchase(
      { orderId: `chat-${u.userId}-${i}`, member: { lineUserId: u.userId }, amount: 80 },
      { source: 'pos', now: env.deps.clock(), messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
    );
}

/** Every stamp circle of the bubble's grid, in order: its background colour (filled) and its text. */
function cells(bubble: any): Array<{ filled: boolean; text: string }> {
  const rows = bubble.body.contents[0].contents;
  return rows
    .flatMap((r: any) => r.contents)
    .filter((c: any) => c.contents.length)
    .map((c: any) => ({ filled: Boolean(c.backgroundColor), text: c.contents[0].text }));
}

describe('#16.1 集點 in chat', () => {
  it('集點 / 集點卡 / 我的集點 answer with the stamp card: stamps, rewards, expiry, a button to the card', async () => {
    await createDrinkStampCard();
    const u = await consentedUser(env, '集點小美');
    await buy(u, 6);
    for (const word of ['集點', '集點卡', '我的集點']) {
      const a = await u.say(word);
      expect(a.texts).toEqual(['飲料集點卡：已集 6 / 10 點']);
      const message = a.messages[0];
      expect(checkLineMessage(message)).toEqual([]);
      const bubble = message.contents;
      expect(bubble.type).toBe('bubble');
      expect(bubble.header.backgroundColor).toBe('#0f766e'); // the brand's primary colour (settings default)
      expect(JSON.stringify(bubble.header)).toContain('已集 6 / 10 點');
      const grid = cells(bubble);
      expect(grid).toHaveLength(10);
      expect(grid.filter((c) => c.filled)).toHaveLength(6);
      expect(grid.slice(6).map((c) => c.text)).toEqual(['7', '8', '9', '🎁']);
      const body = JSON.stringify(bubble.body);
      expect(body).toContain('✅ 集滿 5 點送 20 點');
      expect(body).toContain('🎁 集滿 10 點送「招牌飲品兌換券」');
      expect(body).toMatch(/\d{4}\/\d{2}\/\d{2} 到期/);
      expect(bubble.footer.contents[0].action).toMatchObject({ type: 'uri', uri: `${env.config.publicBaseUrl}/liff/` });
      expect(message.quickReply.items.length).toBeGreaterThan(0);
    }
  });

  it('with no stamp card running, a plain zh-TW answer', async () => {
    const u = await consentedUser(env, '沒集點');
    const a = await u.say('集點');
    expect(a.texts).toEqual(['目前沒有進行中的集點卡活動，有新活動會第一時間通知您！']);
  });

  it('the marketer edits the card’s texts; the next answer uses them, and a bad edit changes nothing', async () => {
    await createDrinkStampCard();
    const u = await consentedUser(env, '改字');
    await buy(u, 2);
    const marketer = await loginAs(env, 'marketer');
    const put = (key: string, body: object) =>
      marketer.agent.put(`/api/console/replies/${key}`).set('X-CSRF-Token', marketer.csrf).send(body);
    await put('stamps.hint', { text: '買飲料記得出示條碼，每杯都能蓋一章 🧋', version: 0 }).expect(200);
    await put('stamps.altText', { text: '您的{name}集了 {stamps} 點（滿 {needed} 點送一杯）', version: 0 }).expect(200);
    const bad = await put('stamps.open', { text: '請按這裡打開會員卡看看您所有的集點卡與獎勵喔', version: 0 }).expect(
      400,
    );
    expect(bad.body.error.details.fields[0]).toMatchObject({ path: 'text', message: expect.stringMatching(/20/) });
    const a = await u.say('集點卡');
    expect(a.texts).toEqual(['您的飲料集點卡集了 2 點（滿 10 點送一杯）']);
    expect(JSON.stringify(a.messages[0].contents.body)).toContain('買飲料記得出示條碼，每杯都能蓋一章 🧋');
    expect(a.messages[0].contents.footer.contents[0].action.label).toBe('打開會員卡');
  });

  it('the console lists the stamp texts with a preview LINE accepts', async () => {
    const marketer = await loginAs(env, 'marketer');
    const res = await marketer.agent.get('/api/console/replies').expect(200);
    const byKey = new Map(res.body.replies.map((r: any) => [r.key, r]));
    for (const key of ['stamps.none', 'stamps.altText', 'stamps.hint', 'stamps.open'])
      expect(byKey.has(key)).toBe(true);
    const hint: any = byKey.get('stamps.hint');
    expect(hint).toMatchObject({ group: '關鍵字回覆', kind: 'flex' });
    expect(checkLineMessage(hint.preview)).toEqual([]);
  });
});
