/**
 * `npm run affinity:rebuild [-- --min-support=N --min-lift=X]`: recomputes the product affinity (co-purchase
 * figures per category and SKU) from the members' purchase aggregates (domain/purchases/affinity.service.ts) and
 * prints how long it took. Safe to run again at any time: the result replaces the previous build.
 */
import { loadConfig } from '../server/config';
import { startRuntime } from '../server/runtime';
import { rootLogger } from '../domain/shared/logger';
import { rebuildAffinity } from '../domain/purchases/affinity.service';

function numberFlag(name: string): number | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return undefined;
  const v = Number(arg.slice(name.length + 3));
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
}

async function main(): Promise<number> {
  const config = loadConfig();
  rootLogger.level = config.logLevel;
  const minSupport = numberFlag('min-support');
  const minLift = numberFlag('min-lift');
  const runtime = await startRuntime({ ...config, port: 0 }, { scheduler: false, sweeper: false });
  try {
    const r = await rebuildAffinity({
      rule: { ...(minSupport !== undefined ? { minSupport } : {}), ...(minLift !== undefined ? { minLift } : {}) },
    });
    console.log(
      `affinity:rebuild: ${r.members} buying members, ${r.categories} categories, ${r.skus} SKUs in ${r.ms} ms`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`affinity:rebuild failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
