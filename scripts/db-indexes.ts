/**
 * `npm run db:indexes`: builds every index the models declare on MONGODB_URI (what each instance also does at
 * start through `Model.init()`), then lists indexes the database has that no model declares. Run it before a
 * deploy that adds indexes, so the build (minutes on a large collection) does not happen during the rollout.
 * `-- --drop-extra` also drops the undeclared ones (mongoose `syncIndexes`); never by default, since an operator
 * may have added one on purpose. Exits 1 when it cannot connect or a build fails (e.g. duplicates under a new
 * unique index: the error names the index).
 */
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../server/config';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.mongo.uri) {
    console.error('db:indexes needs MONGODB_URI (the local stand-in builds its indexes at every start).');
    return 1;
  }
  const dropExtra = process.argv.includes('--drop-extra');
  const modelsDir = path.resolve(__dirname, '../models');
  for (const file of fs
    .readdirSync(modelsDir)
    .filter((f) => f.endsWith('.model.ts'))
    .sort())
    await import(path.join(modelsDir, file));
  await mongoose.connect(config.mongo.uri, { serverSelectionTimeoutMS: 5000, autoIndex: false });
  try {
    for (const model of Object.values(mongoose.models)) {
      await model.createCollection().catch(() => undefined);
      const started = Date.now();
      await model.createIndexes();
      const { toDrop } = await model.diffIndexes();
      console.log(
        `${model.collection.name}: ${model.schema.indexes().length} declared indexes ok (${Date.now() - started} ms)` +
          (toDrop.length ? `; not declared: ${toDrop.join(', ')}${dropExtra ? ' (dropping)' : ''}` : ''),
      );
      if (dropExtra && toDrop.length) await model.syncIndexes();
    }
    return 0;
  } finally {
    await mongoose.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
