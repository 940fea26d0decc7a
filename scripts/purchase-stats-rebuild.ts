/**
 * `npm run purchases:rebuild-stats`: recomputes every member's purchase aggregates (`buys`) from their purchases
 * (domain/purchases/purchase-stats.service.ts). Safe to run again at any time: each member is a recompute.
 */
import { loadConfig } from '../server/config';
import { startRuntime } from '../server/runtime';
import { rootLogger } from '../domain/shared/logger';
import { rebuildPurchaseStats } from '../domain/purchases/purchase-stats.service';

async function main(): Promise<number> {
  const config = loadConfig();
  rootLogger.level = config.logLevel;
  const runtime = await startRuntime({ ...config, port: 0 }, { scheduler: false, sweeper: false });
  try {
    const started = Date.now();
    const r = await rebuildPurchaseStats();
    console.log(`purchases:rebuild-stats: ${r.members} members in ${Date.now() - started} ms`);
    return 0;
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`purchases:rebuild-stats failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
