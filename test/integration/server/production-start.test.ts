import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** `NODE_ENV=production` with nothing set must refuse to start and name every missing variable. */
describe('production start without configuration', () => {
  it('exits non-zero naming every missing variable, and starts nothing', () => {
    const root = path.resolve(__dirname, '../../..');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
    const res = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'server/main.ts')],
      {
        cwd: path.join(root, 'test/fixtures/empty-cwd'),
        env,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(res.status).toBe(1);
    for (const name of [
      'MONGODB_URI',
      'LINE_CHANNEL_SECRET',
      'LINE_CHANNEL_ACCESS_TOKEN',
      'LIFF_ID',
      'LINE_LOGIN_CHANNEL_ID',
      'PUBLIC_BASE_URL',
      'SESSION_SECRET',
      'ERASURE_HMAC_SECRET',
    ]) {
      expect(res.stderr).toContain(name);
    }
    expect(res.stdout).not.toContain('is running');
  });
});
