import fs from 'node:fs/promises';
import path from 'node:path';
import { ConsoleUser } from '../models/console-user.model';
import { generatePassword, verifyPassword } from '../domain/staff/password';
import { createConsoleUser } from '../domain/staff/user.service';
import type { Runtime } from './runtime';

export const LOCAL_ADMIN_USERNAME = 'admin';

/**
 * Local mode only: makes sure the console has a first admin and puts its login in the banner. The password is
 * generated once; the database keeps only its scrypt hash, and the plaintext is kept in `<LOCAL_DATA_DIR>/admin.txt`
 * (git-ignored, mode 0600) so later starts can show it again. If someone changed that password in the console,
 * the file no longer matches and the banner says how to reset it instead. With LOCAL_PERSIST=false the database
 * lives in memory, so nothing is written and each start makes a new password. Production never runs this: there
 * the first admin comes from `npm run admin:create`.
 */
export async function ensureLocalAdmin(runtime: Runtime): Promise<string[]> {
  if (runtime.config.mode !== 'local') return [];
  const file = path.resolve(runtime.config.mongo.dataDir, 'admin.txt');
  const url = `${runtime.url.replace('127.0.0.1', 'localhost')}/console/`;
  const anyAdmin = await ConsoleUser.exists({ role: 'admin', status: 'active' });
  if (!anyAdmin && !(await ConsoleUser.exists({ username: LOCAL_ADMIN_USERNAME }))) {
    const password = generatePassword();
    await createConsoleUser(
      { username: LOCAL_ADMIN_USERNAME, displayName: '系統管理員', role: 'admin', password },
      runtime.deps.clock(),
    );
    if (runtime.config.mongo.persist) await writeSecretFile(file, password);
    return loginLines(url, password);
  }
  const remembered = !runtime.config.mongo.persist
    ? null
    : await fs
        .readFile(file, 'utf8')
        .then((s) => s.trim())
        .catch(() => null);
  const admin = await ConsoleUser.findOne({ username: LOCAL_ADMIN_USERNAME }).select('+passwordHash').lean();
  if (remembered && admin && admin.status === 'active' && (await verifyPassword(remembered, admin.passwordHash)))
    return loginLines(url, remembered);
  return [
    `Console login ${url}  (password of "${LOCAL_ADMIN_USERNAME}" was changed; reset it: npm run admin:create -- --username ${LOCAL_ADMIN_USERNAME} --reset)`,
  ];
}

function loginLines(url: string, password: string): string[] {
  return [`Console login ${url}  user: ${LOCAL_ADMIN_USERNAME}  password: ${password}  (local mode only)`];
}

async function writeSecretFile(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${content}\n`, { mode: 0o600 });
}
