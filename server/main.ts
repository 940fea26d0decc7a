import { rootLogger } from '../domain/shared/logger';
import type { StorageInfo } from '../local/mongo-standin';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { startRuntime, type Runtime } from './runtime';
import { runStartupHooks } from './startup';

/** `npm start`: config → DB → LINE → HTTP → sweeper/scheduler; SIGTERM/SIGINT shut down cleanly. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(
        `Huigo cannot start: configuration problems\n${err.problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`,
      );
      process.exit(1);
    }
    throw err;
  }
  rootLogger.level = config.logLevel;
  const runtime = await startRuntime(config);

  // Before the start-up hooks: a Ctrl-C while they run still closes cleanly (the stand-in then writes its index
  // image, so the next start need not build the indexes).
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rootLogger.info({ signal }, 'shutting down');
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const notes = await runStartupHooks(runtime);
  if (!stopping) printBanner(runtime, notes);
}

function printBanner(rt: Runtime, notes: string[]): void {
  const base = `http://localhost:${rt.server.address() && typeof rt.server.address() === 'object' ? (rt.server.address() as { port: number }).port : rt.config.port}`;
  const lines = [
    '',
    `  回購 Huigo is running (${rt.config.mode} mode)`,
    '',
    `  Listening     ${rt.config.host === '127.0.0.1' ? '127.0.0.1 only (this machine; set HOST to change)' : (rt.config.host ?? 'all interfaces')}`,
    `  Health        ${base}/healthz`,
    `  Console       ${base}/console/`,
    `  LIFF card     ${base}/liff/`,
  ];
  if (rt.local.emulator) {
    lines.push(`  Dev chat      ${base}/dev/chat`);
    lines.push(`  LINE emulator ${rt.local.emulator.baseURL}  (control API under /_emulator)`);
  } else {
    lines.push(`  LINE          real platform; webhook URL: ${rt.config.publicBaseUrl}/webhook`);
  }
  if (rt.local.mongo) {
    lines.push(`  Database      in-process MongoDB stand-in at ${rt.local.mongo.uri}`);
    lines.push(`                ${describeStorage(rt.local.mongo.storage())}`);
  } else {
    lines.push('  Database      MONGODB_URI');
  }
  for (const note of notes) lines.push(`  ${note}`);
  console.log(`${lines.join('\n')}\n`);
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/** Where the stand-in keeps its data and how big it is. */
function describeStorage(s: StorageInfo): string {
  const size = `${s.documents.toLocaleString('en')} documents, ${mb(s.dataBytes)} of BSON`;
  if (!s.dir) return `data is in memory only (LOCAL_PERSIST=false): ${size}`;
  const held = s.spilledBytes
    ? `; documents held in memory ${mb(s.residentBytes)}, in a slab file there ${mb(s.spilledBytes)}`
    : '';
  return `data persists in ${s.dir}/ (${size}; on disk: snapshot ${mb(s.snapshotBytes)} + journal ${mb(s.journalBytes)}${held})`;
}

main().catch((err) => {
  rootLogger.fatal({ err }, 'startup failed');
  console.error(`Huigo failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
