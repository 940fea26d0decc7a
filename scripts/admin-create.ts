/**
 * `npm run admin:create -- --username alice [--name 王小美] [--role admin|marketer|staff] [--reset] [--password-stdin]`
 *
 * Creates a console account (the first admin of a production install) or, with --reset, gives an existing one a new
 * password and signs it out everywhere. The password is generated and printed once unless --password-stdin reads
 * it from standard input (for automation). Uses MONGODB_URI; in local mode (no MONGODB_URI) it opens the stand-in's
 * data in LOCAL_DATA_DIR, so stop `npm start` first.
 */
import mongoose from 'mongoose';
import { parseArgs } from 'node:util';
import { ConsoleUser, CONSOLE_ROLES, type ConsoleRole } from '../models/console-user.model';
import { recordAudit } from '../domain/staff/audit.service';
import { destroyUserSessions } from '../domain/staff/session.service';
import { createConsoleUser, normalizeUsername, setConsoleUserPassword } from '../domain/staff/user.service';
import { AppError } from '../domain/shared/errors';
import { loadConfig } from '../server/config';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      reset: { type: 'boolean', default: false },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  if (!values.username || !CONSOLE_ROLES.includes(values.role as ConsoleRole)) {
    console.error(
      'usage: npm run admin:create -- --username <name> [--name <display name>] [--role admin|marketer|staff] [--reset] [--password-stdin]',
    );
    return 2;
  }
  const password = values['password-stdin'] ? await readStdin() : undefined;
  const config = loadConfig();
  let closeLocal: (() => Promise<void>) | undefined;
  let uri = config.mongo.uri;
  if (!uri) {
    const { startLocalMongo } = await import('../server/local-services');
    const local = await startLocalMongo({ ...config, mongo: { ...config.mongo, persist: true } });
    closeLocal = () => local.close();
    uri = local.uri;
    console.log(`local mode: using the stand-in data in ${config.mongo.dataDir}/ (stop npm start first)`);
  }
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await ConsoleUser.init();
    const now = new Date();
    const username = normalizeUsername(values.username);
    const existing = await ConsoleUser.findOne({ username }).lean();
    let shown: string | undefined;
    if (existing) {
      if (!values.reset)
        throw new AppError(
          'username_taken',
          409,
          `"${username}" already exists; add --reset to give it a new password.`,
        );
      shown = (await setConsoleUserPassword(String(existing._id), now, password)).generatedPassword;
      await destroyUserSessions(String(existing._id));
      await recordAudit({
        actor: { id: 'cli', name: 'admin:create' },
        action: 'user.password.reset',
        target: { type: 'user', id: String(existing._id), label: username },
        at: now,
      });
      console.log(`password of "${username}" reset; its sessions were signed out.`);
    } else {
      const role = values.role as ConsoleRole;
      const created = await createConsoleUser(
        { username, displayName: values.name ?? username, role, password, createdBy: 'cli' },
        now,
      );
      shown = created.generatedPassword;
      await recordAudit({
        actor: { id: 'cli', name: 'admin:create' },
        action: 'user.create',
        target: { type: 'user', id: created.user.id, label: username },
        details: { role },
        at: now,
      });
      console.log(`created ${role} "${username}".`);
    }
    if (shown) console.log(`password (shown once): ${shown}`);
    return 0;
  } finally {
    await mongoose.disconnect();
    await closeLocal?.();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof AppError ? err.userMessage : err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
