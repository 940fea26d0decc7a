/**
 * `npm run backfill:birthday-keys`: gives members stored before `birthdayKey` existed their key (`MM-DD`), which the
 * birthday job reads through an index. Safe to run again, and while the server runs (MONGODB_URI); in local mode
 * it opens the stand-in's saved data, so stop `npm start` first.
 */
import { backfillBirthdayKeys } from '../domain/members/birthday-keys.service';
import { rootLogger } from '../domain/shared/logger';
import { loadConfig } from '../server/config';
import { startRuntime } from '../server/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  rootLogger.level = 'warn';
  const runtime = await startRuntime({ ...config, port: 0 }, { scheduler: false, sweeper: false });
  try {
    const { updated } = await backfillBirthdayKeys();
    console.log(`birthdayKey written for ${updated} members`);
  } finally {
    await runtime.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
