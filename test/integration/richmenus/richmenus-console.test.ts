import request from 'supertest';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { makePng } from '../../helpers/line-emulator';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { RichMenu } from '../../../models/richmenu.model';
import { Settings } from '../../../models/settings.model';
import { readImageInfo } from '../../../domain/richmenus/richmenu-image-rules';

let env: TestEnv;
let admin: ConsoleLogin;
let marketer: ConsoleLogin;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(async () => {
  await env.resetDb();
  await env.emulator.reset();
  admin = await loginAs(env, 'admin');
  marketer = await loginAs(env, 'marketer');
});

const tiles = (n: number) =>
  ['會員卡', '點數', '優惠券', '推薦', '門市', '說明'].slice(0, n).map((label, i) => ({
    label,
    hint: i === 0 ? '出示條碼累積點數' : '',
    action: i === 0 ? { type: 'card', page: '' } : { type: 'keyword', text: label },
  }));

describe('#14.1 brand settings', () => {
  const put = (who: ConsoleLogin, brand: Record<string, unknown>) =>
    who.agent.put('/api/console/settings/program').set('X-CSRF-Token', who.csrf).send({ brand });

  it('starts from the demo brand and stores a valid change', async () => {
    const got = await admin.agent.get('/api/console/settings/program').expect(200);
    expect(got.body.settings.brand).toMatchObject({ name: '好日選物', primaryColor: '#0f766e' });
    expect(got.body.settings.brand.stores.length).toBeGreaterThan(0);
    const res = await put(admin, {
      name: '森林咖啡',
      primaryColor: '#2E7D32',
      stores: [
        { id: 'daan', name: '大安店', address: '台北市大安區復興南路一段 1 號', hours: '08:00–20:00', mapUrl: '' },
      ],
    }).expect(200);
    expect(res.body.settings.brand).toMatchObject({ name: '森林咖啡', primaryColor: '#2E7D32', phone: '02-2700-1688' });
    expect(res.body.settings.brand.stores).toHaveLength(1);
  });

  it('refuses bad colours, phones, http links and duplicate stores in zh-TW, storing nothing', async () => {
    const res = await put(admin, {
      primaryColor: 'green',
      phone: '12345',
      termsUrl: 'http://huigo.example.com/terms',
      stores: [
        { id: 'a', name: '一店', address: '台北', hours: '10-22' },
        { id: 'a', name: '二店', address: '台中', hours: '10-22' },
      ],
    }).expect(400);
    const messages = res.body.error.details.fields.map((f: { message: string }) => f.message).join('\n');
    expect(messages).toContain('#RRGGBB');
    expect(messages).toContain('電話格式不正確');
    expect(messages).toContain('https://');
    expect(messages).toContain('門市代碼重複');
    expect(await Settings.countDocuments({})).toBe(0);
  });

  it('is for admins only', async () => {
    await put(marketer, { name: '偷改' }).expect(403);
  });

  it('uploads a logo, serves it from our origin, and refuses a file that is not an image', async () => {
    const png = makePng(200, 200);
    const res = await admin.agent
      .put('/api/console/settings/brand/logo')
      .set('X-CSRF-Token', admin.csrf)
      .set('Content-Type', 'image/png')
      .send(png)
      .expect(200);
    const url: string = res.body.settings.brand.logoUrl;
    expect(url).toMatch(/^\/brand\/logo\/[0-9a-f]{24}\.png$/);
    const served = await request(env.url).get(url).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);

    const bad = await admin.agent
      .put('/api/console/settings/brand/logo')
      .set('X-CSRF-Token', admin.csrf)
      .set('Content-Type', 'image/png')
      .send(Buffer.from('GIF89a not really'))
      .expect(400);
    expect(bad.body.error.message).toContain('PNG 或 JPEG');
    const after = await admin.agent.get('/api/console/settings/program').expect(200);
    expect(after.body.settings.brand.logoUrl).toBe(url);
  });
});

describe('#14.2 rich menus in the console', () => {
  const create = (body: Record<string, unknown>) =>
    marketer.agent.post('/api/console/richmenus').set('X-CSRF-Token', marketer.csrf).send(body);
  const post = (path: string) =>
    marketer.agent.post(`/api/console/richmenus${path}`).set('X-CSRF-Token', marketer.csrf);

  it('makes a 2×3 template menu, previews it in the brand colours, validates it and publishes it to LINE', async () => {
    const made = await create({ name: '會員主選單', chatBarText: '會員選單', layout: '2x3', tiles: tiles(6) }).expect(
      201,
    );
    const id = made.body.menu.id;
    const preview = await marketer.agent.get(`/api/console/richmenus/${id}/image`).buffer(true).expect(200);
    expect(readImageInfo(preview.body as Buffer)).toEqual({ kind: 'png', width: 2500, height: 1686 });
    expect((preview.body as Buffer).length).toBeLessThan(1024 * 1024);
    const checked = await post(`/${id}/validate`).expect(200);
    expect(checked.body.line.areas).toHaveLength(6);
    expect(checked.body.line.areas[1].action).toEqual({ type: 'message', label: '點數', text: '點數' });

    const pub = await post(`/${id}/publish`).expect(200);
    const lineId = pub.body.menu.lineRichMenuId;
    const overview = await env.emulator.richMenus();
    const onLine = overview.richMenus.find((m: { richMenuId: string }) => m.richMenuId === lineId);
    expect(onLine).toMatchObject({ chatBarText: '會員選單', hasImage: true, imageContentType: 'image/png' });
    expect(overview.aliases[`hg-${id}`]).toBe(lineId);
    // Publishing again without a change sends nothing new.
    const again = await post(`/${id}/publish`).expect(200);
    expect(again.body.changed).toBe(false);
    expect((await env.emulator.richMenus()).richMenus).toHaveLength(1);
  });

  it('refuses an uploaded image of the wrong size or over 1 MB in zh-TW before anything is sent to LINE', async () => {
    const made = await create({
      name: '活動選單',
      chatBarText: '看活動',
      layout: 'image',
      areas: [
        {
          bounds: { x: 0, y: 0, width: 1200, height: 400 },
          action: { type: 'uri', uri: 'https://huigo.example.com/sale' },
        },
      ],
    }).expect(201);
    const id = made.body.menu.id;
    const upload = (bytes: Buffer, type = 'image/png') =>
      marketer.agent
        .put(`/api/console/richmenus/${id}/image`)
        .set('X-CSRF-Token', marketer.csrf)
        .set('Content-Type', type)
        .send(bytes);

    const square = await upload(makePng(1000, 1000)).expect(400);
    expect(square.body.error.message).toContain('寬高比');
    const narrow = await upload(makePng(600, 300)).expect(400);
    expect(narrow.body.error.message).toContain('寬度必須介於 800 到 2500');
    const big = Buffer.concat([makePng(2500, 843), Buffer.alloc(1024 * 1024 + 10)]);
    const tooBig = await upload(big).expect(400);
    expect(tooBig.body.error.message).toContain('最大 1 MB');
    const gif = await upload(Buffer.from('GIF89a....'), 'image/gif').expect(400);
    expect(gif.body.error.message).toContain('PNG 或 JPEG');
    // Nothing reached LINE and nothing was stored.
    expect((await env.emulator.richMenus()).richMenus).toHaveLength(0);
    expect((await RichMenu.findById(id).lean())!.image?.data).toBeUndefined();
    await post(`/${id}/publish`).expect(400);
    expect((await env.emulator.richMenus()).richMenus).toHaveLength(0);

    await upload(makePng(2500, 843)).expect(200);
    const pub = await post(`/${id}/publish`).expect(200);
    expect((await env.emulator.richMenus()).richMenus[0]).toMatchObject({
      richMenuId: pub.body.menu.lineRichMenuId,
      size: { width: 2500, height: 843 },
      hasImage: true,
    });
  });

  it('refuses a bad menu in zh-TW and nothing is stored', async () => {
    const res = await create({
      name: '',
      chatBarText: '這段選單列文字實在是太長了超過十四字',
      layout: '2x2',
      tiles: tiles(3),
    }).expect(400);
    const text = JSON.stringify(res.body.error);
    expect(text).toContain('請輸入選單名稱');
    expect(text).toContain('選單列文字最多 14 字');
    const wrongCount = await create({ name: 'x', chatBarText: '選單', layout: '2x2', tiles: tiles(3) }).expect(400);
    expect(JSON.stringify(wrongCount.body.error)).toContain('需要 4 個按鈕');
    expect(await RichMenu.countDocuments({})).toBe(0);
  });

  it('two tabs switch through aliases: the switch resolves on LINE and the bot stays quiet', async () => {
    const a = await create({
      name: '分頁 A',
      chatBarText: '會員選單',
      layout: 'tabs2',
      tabs: { labels: ['會員專區', '最新活動'], index: 0 },
      tiles: tiles(6),
    }).expect(201);
    const b = await create({
      name: '分頁 B',
      chatBarText: '會員選單',
      layout: 'tabs2',
      tabs: { labels: ['會員專區', '最新活動'], index: 1, peerId: a.body.menu.id },
      tiles: tiles(6),
    }).expect(201);
    await marketer.agent
      .put(`/api/console/richmenus/${a.body.menu.id}`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({
        name: '分頁 A',
        chatBarText: '會員選單',
        layout: 'tabs2',
        tabs: { labels: ['會員專區', '最新活動'], index: 0, peerId: b.body.menu.id },
        tiles: tiles(6),
      })
      .expect(200);
    const pa = await post(`/${a.body.menu.id}/publish`).expect(200);
    const pb = await post(`/${b.body.menu.id}/publish`).expect(200);
    const overview = await env.emulator.richMenus();
    const menuA = overview.richMenus.find((m: { richMenuId: string }) => m.richMenuId === pa.body.menu.lineRichMenuId);
    const switchToB = menuA.areas.find(
      (x: { action: { type: string; richMenuAliasId?: string } }) =>
        x.action.type === 'richmenuswitch' && x.action.richMenuAliasId === `hg-${b.body.menu.id}`,
    );
    expect(switchToB.action.label).toBe('最新活動');
    // The dev chat resolves the alias the way LINE does.
    expect(overview.aliases[switchToB.action.richMenuAliasId]).toBe(pb.body.menu.lineRichMenuId);

    const user = await env.emulator.createUser('分頁測試');
    await env.emulator.follow(user.userId);
    await env.emulator.messages(user.userId, 1);
    await new Promise((r) => setTimeout(r, 500));
    const before = (await env.emulator.messages(user.userId)).length;
    await env.emulator.postback(user.userId, switchToB.action.data, {
      newRichMenuAliasId: switchToB.action.richMenuAliasId,
      status: 'SUCCESS',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await env.emulator.messages(user.userId)).length).toBe(before);
  });

  it('is not for staff', async () => {
    const staff = await loginAs(env, 'staff');
    await staff.agent.get('/api/console/richmenus').expect(403);
  });
});
