import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench`: runs every bench/*.bench.ts in turn. Each prints its own figures; nothing is asserted
 * (machines are shared and noisy). `npm run bench -- ingest` runs only the benches whose name matches (an exact name, only that one).
 */
async function main(): Promise<void> {
  const filter = process.argv[2];
  const all = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts'));
  // An exact name runs that bench alone (`webhook` is not also `webhook-burst`); otherwise every match runs.
  const files = all.includes(`${filter}.bench.ts`)
    ? [`${filter}.bench.ts`]
    : all.filter((f) => !filter || f.includes(filter)).sort();
  for (const file of files) {
    console.log(`\n=== ${file} ===`);
    const mod = (await import(path.join(__dirname, file))) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
    await mod.run();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
