/**
 * `npm run stats:rebuild`: recomputes the dashboard and campaign-stats counters (`statcounters`) from the records
 * (domain/reports/stat-rebuild.service.ts) and prints what it wrote. Connects with the server's own config and
 * runtime (MONGODB_URI, or in local mode the stand-in with its saved data); in local mode do not run it while
 * `npm start` uses the same data folder. Safe to run again at any time the program is quiet.
 */
import { loadConfig } from '../server/config';
import { startRuntime } from '../server/runtime';
import { rootLogger } from '../domain/shared/logger';
import { rebuildStatCounters } from '../domain/reports/stat-rebuild.service';

async function main(): Promise<number> {
  const config = loadConfig();
  rootLogger.level = config.logLevel;
  const runtime = await startRuntime({ ...config, port: 0 }, { scheduler: false, sweeper: false });
  try {
    const started = Date.now();
    const r = await rebuildStatCounters();
    console.log(
      `stats:rebuild: ${r.members} members, ${r.campaigns} campaigns → ${r.buckets} counter documents, ` +
        `${r.markers} markers in ${Date.now() - started} ms`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`stats:rebuild failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
