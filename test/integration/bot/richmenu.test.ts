import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { RICH_MENU_NAME, RICH_MENU_TILES } from '../../../bot/richmenu/definition';
import { ensureLocalRichMenu } from '../../../bot/richmenu/local-menu';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

/** The process environment without LINE credentials (a developer machine), plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...extra };
  for (const key of ['LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN', 'LINE_API_BASE_URL'])
    if (!(key in extra)) delete env[key];
  return env;
}

/** `npm run richmenu` as an operator runs it, pointed at the emulator over HTTP. */
describe('npm run richmenu', () => {
  let env: TestEnv;
  // The script reads the emulator's per-install access token from the same data directory as the server.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-richmenu-'));
  beforeAll(async () => {
    env = await startTestEnv({ env: { LOCAL_PERSIST: 'true', LOCAL_DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await env.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const runScript = () =>
    run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/richmenu.ts'], {
      cwd: root,
      env: envWith({
        LINE_API_BASE_URL: env.local.emulator!.baseURL,
        PUBLIC_BASE_URL: 'https://member.example.com',
        LOCAL_DATA_DIR: dataDir,
      }),
    });

  it('creates the menu, uploads the image and sets it as default; running again replaces it', async () => {
    const first = await runScript();
    expect(first.stdout).toMatch(
      /Rich menu richmenu-[0-9a-f]+ created on http:\/\/127\.0\.0\.1:\d+, image uploaded \(bot\/richmenu\/richmenu\.png\), set as default\./,
    );
    let overview = await env.emulator.richMenus();
    expect(overview.richMenus).toHaveLength(1);
    const menu = overview.richMenus[0];
    expect(menu).toMatchObject({
      name: RICH_MENU_NAME,
      chatBarText: '會員選單',
      size: { width: 2500, height: 1686 },
      selected: true,
      hasImage: true,
      imageContentType: 'image/png',
    });
    expect(overview.defaultRichMenuId).toBe(menu.richMenuId);
    expect(menu.areas.map((a: any) => a.action.label)).toEqual(['會員卡', '點數', '優惠券', '推薦', '資料', '說明']);
    expect(menu.areas[0].action).toEqual({ type: 'uri', label: '會員卡', uri: 'https://member.example.com/liff/' });
    expect(menu.areas[1].action).toMatchObject({ type: 'postback', data: 'cmd:points', displayText: '點數' });
    // The areas tile the whole menu without overlapping.
    const area = menu.areas.reduce((sum: number, a: any) => sum + a.bounds.width * a.bounds.height, 0);
    expect(area).toBe(2500 * 1686);
    expect(RICH_MENU_TILES).toHaveLength(menu.areas.length);

    const second = await runScript();
    expect(second.stdout).toContain(`Removed 1 earlier version(s): ${menu.richMenuId}`);
    overview = await env.emulator.richMenus();
    expect(overview.richMenus).toHaveLength(1);
    expect(overview.defaultRichMenuId).toBe(overview.richMenus[0].richMenuId);
    expect(overview.defaultRichMenuId).not.toBe(menu.richMenuId);

    // A friend in the emulator now sees it, and tapping 點數 runs the command.
    const u = await env.emulator.createUser();
    expect(await env.emulator.call('GET', `/_emulator/users/${u.userId}/richmenu`)).toMatchObject({
      richMenuId: overview.defaultRichMenuId,
      hasImage: true,
    });
  });

  it('local start-up installs the menu into its own emulator only once', async () => {
    await env.emulator.reset();
    expect(await ensureLocalRichMenu(env)).toEqual([expect.stringContaining('Rich menu')]);
    expect(await ensureLocalRichMenu(env)).toEqual([]);
    expect((await env.emulator.richMenus()).richMenus).toHaveLength(1);
  });

  it('without LINE credentials or an emulator URL it explains what to set', async () => {
    const failed = await run(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/richmenu.ts'],
      {
        cwd: root,
        env: envWith({}),
      },
    ).catch((err) => err);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('npm run richmenu needs a LINE channel');
    expect(failed.stderr).toContain('LINE_API_BASE_URL=http://127.0.0.1:<port>');
  });
});
