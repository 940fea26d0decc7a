/**
 * `npm run backfill:cities`: rewrites the city of members stored before one spelling per city existed
 * (臺北 → 台北市), so city conditions count them. Safe to run again, and while the server runs (MONGODB_URI); in local mode
 * it opens the stand-in's saved data, so stop `npm start` first.
 */
import { backfillCitySpelling } from '../domain/members/city-backfill.service';
import { rootLogger } from '../domain/shared/logger';
import { loadConfig } from '../server/config';
import { startRuntime } from '../server/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  rootLogger.level = 'warn';
  const runtime = await startRuntime({ ...config, port: 0 }, { scheduler: false, sweeper: false });
  try {
    const { updated } = await backfillCitySpelling();
    console.log(`city spelling fixed for ${updated} members`);
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
