import fs from 'node:fs';
import path from 'node:path';
import { installRichMenu, RICH_MENU_IMAGE_PATH } from '../bot/richmenu/install';
import { ConfigError, loadConfig } from '../server/config';
import { createLinks } from '../server/links';
import { loadLocalSecrets } from '../server/local-secrets';

/**
 * `npm run richmenu [-- --image path/to/menu.png]`
 *
 * Creates the default rich menu (會員卡, 點數, 優惠券, 推薦, 資料, 說明), uploads its image and sets it as the
 * default for every friend, then removes earlier versions. Targets real LINE when LINE_CHANNEL_ACCESS_TOKEN is
 * set, or any LINE emulator given by LINE_API_BASE_URL (the local server prints its emulator's URL; it also
 * installs this menu into its own emulator at start).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.line.mode === 'emulator' && !config.line.apiBaseURL) {
    console.error(
      [
        'npm run richmenu needs a LINE channel to talk to:',
        '  - real LINE: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN (in .env or the environment), or',
        '  - an emulator: set LINE_API_BASE_URL=http://127.0.0.1:<port> (shown as "LINE emulator" in the npm start banner).',
      ].join('\n'),
    );
    process.exit(1);
  }
  const imageArg = process.argv.indexOf('--image');
  const imagePath = imageArg > 0 ? path.resolve(process.argv[imageArg + 1] ?? '') : RICH_MENU_IMAGE_PATH;
  const image = fs.readFileSync(imagePath);
  const target = config.line.apiBaseURL ?? 'LINE (api.line.me)';
  // The local emulator's access token is made per install and kept in LOCAL_DATA_DIR (server/local-secrets.ts).
  const channelAccessToken =
    config.mode === 'local' && config.line.mode === 'emulator'
      ? (await loadLocalSecrets(config)).channelAccessToken
      : config.line.channelAccessToken;
  const result = await installRichMenu(
    { channelAccessToken, baseURL: config.line.apiBaseURL ?? undefined },
    createLinks(config),
    image,
  );
  console.log(
    `Rich menu ${result.richMenuId} created on ${target}, image uploaded (${path.relative(process.cwd(), imagePath)}), set as default.`,
  );
  if (result.removed.length)
    console.log(`Removed ${result.removed.length} earlier version(s): ${result.removed.join(', ')}`);
}

main().catch((err) => {
  if (err instanceof ConfigError)
    console.error(`Configuration problems:\n${err.problems.map((p) => `  - ${p}`).join('\n')}`);
  else console.error(`Rich menu setup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
