import mongoose from 'mongoose';
import { loadConfig } from '../server/config';
import { systemClock } from '../domain/shared/clock';
import { createLineMessenger } from '../server/line-messenger';
import { seedDemoData } from '../server/demo-seed';
import { resolveErasureSecret } from '../server/erasure-secret';

/**
 * `npm run seed`: writes the demo brand into the database named by MONGODB_URI (idempotent). Local mode seeds
 * itself on `npm start`; this is for a real MongoDB. Nothing is pushed to LINE for the seeded history.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.mongo.uri) {
    console.error('npm run seed needs MONGODB_URI (local mode seeds the stand-in by itself on npm start).');
    process.exit(1);
  }
  await mongoose.connect(config.mongo.uri, { serverSelectionTimeoutMS: 5000 });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const messenger = createLineMessenger({
    channelAccessToken: config.line.channelAccessToken,
    baseURL: config.line.apiBaseURL ?? undefined,
  });
  const result = await seedDemoData({
    messenger,
    now: systemClock(),
    timeZone: config.timeZone,
    erasureSecret: resolveErasureSecret(config),
  });
  console.log(
    result.created ? `Demo data created: ${result.members} members.` : 'Demo data already present; nothing changed.',
  );
  await mongoose.disconnect();
}

main().catch((err) => {
  console.error(`Seeding failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
