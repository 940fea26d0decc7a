import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ConsoleUser } from '../../../models/console-user.model';
import { setConsoleUserPassword } from '../../../domain/staff/user.service';
import { ensureLocalAdmin } from '../../../server/console-admin';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** Local mode's first admin: created once, its password shown in the banner on every start, only the hash stored. */
describe('local first admin', () => {
  let env: TestEnv;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-admin-'));
    env = await startTestEnv({ env: { LOCAL_PERSIST: 'true', LOCAL_DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await env.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates admin with a generated password, shows the same one on the next start, and says how to reset after a change', async () => {
    const [first] = await ensureLocalAdmin(env);
    const password = /password: (\S+)/.exec(first)![1];
    expect(first).toContain('user: admin');
    expect(fs.readFileSync(path.join(dataDir, 'admin.txt'), 'utf8').trim()).toBe(password);
    expect((fs.statSync(path.join(dataDir, 'admin.txt')).mode & 0o777).toString(8)).toBe('600');
    const stored = await ConsoleUser.findOne({ username: 'admin' }).select('+passwordHash').lean();
    expect(stored).toMatchObject({ role: 'admin', status: 'active' });
    expect(stored!.passwordHash).not.toContain(password);
    await request(env.url).post('/api/console/auth/login').send({ username: 'admin', password }).expect(200);

    expect(await ensureLocalAdmin(env)).toEqual([first]);
    expect(await ConsoleUser.countDocuments()).toBe(1);

    await setConsoleUserPassword(String(stored!._id), new Date(), 'changed by the admin');
    const [changed] = await ensureLocalAdmin(env);
    expect(changed).toContain('npm run admin:create -- --username admin --reset');
    expect(changed).not.toContain(password);
  });
});
