import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { LineEmulator } from '../../local/line-emulator';
import { type TestLineEmulator, imageBlob, makePng, startTestLineEmulator } from '../helpers/line-emulator';

async function sdkError(p: Promise<unknown>): Promise<HTTPFetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HTTPFetchError) return err;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

const menu = (over: Partial<messagingApi.RichMenuRequest> = {}): messagingApi.RichMenuRequest => ({
  size: { width: 2500, height: 843 },
  selected: true,
  name: '會員主選單',
  chatBarText: '會員選單',
  areas: [
    {
      bounds: { x: 0, y: 0, width: 1250, height: 843 },
      action: { type: 'uri', label: '會員卡', uri: 'https://liff.line.me/1650000000-abcd' },
    },
    {
      bounds: { x: 1250, y: 0, width: 1250, height: 843 },
      action: { type: 'postback', label: '點數', data: 'action=points' },
    },
  ],
  ...over,
});

describe('LINE emulator: rich menus through the SDK clients', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let client: messagingApi.MessagingApiClient;
  let blob: messagingApi.MessagingApiBlobClient;
  const png = makePng(2500, 843);

  beforeAll(async () => {
    t = await startTestLineEmulator();
    ({ emu, client, blob } = t);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('creates, validates, gets, lists and deletes rich menus', async () => {
    const { richMenuId } = await client.createRichMenu(menu());
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    expect(await client.getRichMenu(richMenuId)).toMatchObject({
      richMenuId,
      name: '會員主選單',
      chatBarText: '會員選單',
    });
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toEqual([richMenuId]);
    await expect(client.validateRichMenuObject(menu())).resolves.toBeDefined();
    await client.deleteRichMenu(richMenuId);
    expect((await sdkError(client.getRichMenu(richMenuId))).status).toBe(404);
  });

  it('rejects invalid rich menu objects with LINE-style details', async () => {
    const bad = menu({
      size: { width: 2500, height: 2000 },
      chatBarText: '這是一個超過十四個字的聊天列文字喔',
      areas: [{ bounds: { x: 2000, y: 0, width: 1000, height: 100 }, action: { type: 'message', text: 'x' } }],
    });
    const err = await sdkError(client.createRichMenu(bad));
    expect(err.status).toBe(400);
    const props = JSON.parse(err.body).details.map((d: { property: string }) => d.property);
    expect(props).toEqual(expect.arrayContaining(['size', 'chatBarText', 'areas[0].bounds']));
    expect((await sdkError(client.validateRichMenuObject({ ...menu(), areas: [] }))).status).toBe(400);
  });

  it('uploads and downloads the image; enforces type, size match and single upload', async () => {
    const { richMenuId } = await client.createRichMenu(menu());
    const wrongSize = await sdkError(blob.setRichMenuImage(richMenuId, imageBlob(makePng(800, 270), 'image/png')));
    expect(wrongSize.status).toBe(400);
    expect(JSON.parse(wrongSize.body).message).toMatch(/must match the rich menu size/);
    const wrongType = await sdkError(blob.setRichMenuImage(richMenuId, imageBlob(png, 'image/gif')));
    expect(wrongType.status).toBe(400);
    await blob.setRichMenuImage(richMenuId, imageBlob(png, 'image/png'));
    const again = await sdkError(blob.setRichMenuImage(richMenuId, imageBlob(png, 'image/png')));
    expect(JSON.parse(again.body).message).toBe('An image has already been uploaded to the richmenu');
    const chunks: Buffer[] = [];
    for await (const c of await blob.getRichMenuImage(richMenuId)) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).equals(png)).toBe(true);
  });

  it('sets, gets and cancels the default menu; links and unlinks per user', async () => {
    const { richMenuId } = await client.createRichMenu(menu());
    const noImage = await sdkError(client.setDefaultRichMenu(richMenuId));
    expect(noImage.status).toBe(400);
    await blob.setRichMenuImage(richMenuId, imageBlob(png, 'image/png'));
    await client.setDefaultRichMenu(richMenuId);
    expect(await client.getDefaultRichMenuId()).toEqual({ richMenuId });

    const user = emu.createUser();
    const { richMenuId: vipMenu } = await client.createRichMenu(menu({ name: 'VIP' }));
    await blob.setRichMenuImage(vipMenu, imageBlob(png, 'image/png'));
    expect((await sdkError(client.getRichMenuIdOfUser(user.userId))).status).toBe(404);
    await client.linkRichMenuIdToUser(user.userId, vipMenu);
    expect(await client.getRichMenuIdOfUser(user.userId)).toEqual({ richMenuId: vipMenu });
    const overview = (await t.control('GET', '/richmenus')).body;
    expect(overview).toMatchObject({ defaultRichMenuId: richMenuId, userLinks: { [user.userId]: vipMenu } });
    expect(overview.richMenus.every((m: { hasImage: boolean }) => m.hasImage)).toBe(true);
    expect((await t.control('GET', `/users/${user.userId}/richmenu`)).body).toMatchObject({
      richMenuId: vipMenu,
      linked: true,
    });

    await client.unlinkRichMenuIdFromUser(user.userId);
    expect((await t.control('GET', `/users/${user.userId}/richmenu`)).body).toMatchObject({
      richMenuId,
      linked: false,
    });
    await client.cancelDefaultRichMenu();
    expect((await sdkError(client.getDefaultRichMenuId())).status).toBe(404);
    const img = await fetch(`${emu.baseURL}/_emulator/richmenus/${richMenuId}/image`);
    expect(img.headers.get('content-type')).toBe('image/png');
    await img.arrayBuffer();
  });

  it('manages aliases', async () => {
    const { richMenuId: a } = await client.createRichMenu(menu({ name: 'A' }));
    const { richMenuId: b } = await client.createRichMenu(menu({ name: 'B' }));
    await client.createRichMenuAlias({ richMenuAliasId: 'richmenu-alias-a', richMenuId: a });
    const dup = await sdkError(client.createRichMenuAlias({ richMenuAliasId: 'richmenu-alias-a', richMenuId: b }));
    expect(dup.status).toBe(400);
    expect(await client.getRichMenuAlias('richmenu-alias-a')).toEqual({
      richMenuAliasId: 'richmenu-alias-a',
      richMenuId: a,
    });
    await client.updateRichMenuAlias('richmenu-alias-a', { richMenuId: b });
    expect((await client.getRichMenuAliasList()).aliases).toEqual([
      { richMenuAliasId: 'richmenu-alias-a', richMenuId: b },
    ]);
    await client.deleteRichMenuAlias('richmenu-alias-a');
    expect((await sdkError(client.getRichMenuAlias('richmenu-alias-a'))).status).toBe(404);
  });
});
