/**
 * `npm run job -- <name> [--date YYYY-MM-DD[THH:mm]] [--force]` runs one occurrence of a scheduled job through the
 * same lease runner as the scheduler (so it never runs an occurrence another instance already ran or is running).
 * `npm run job -- --list` lists the jobs and their schedules.
 *
 * - no --date: now; `--date 2025-05-20`: 12:00 that day (Asia/Taipei, or TZ_APP); `--date 2025-05-20T10:00`: that minute.
 * - jobs with a configured time (birthday) run even before it when --date or --force is given.
 * Connects with the server's own config and runtime (MONGODB_URI and LINE credentials; in local mode the stand-in
 * with its saved data and the emulator). Do not run it in local mode while `npm start` uses the same data folder.
 */
import { loadConfig } from '../server/config';
import { startRuntime } from '../server/runtime';
import { zonedTimeToUtc } from '../domain/shared/clock';
import { rootLogger } from '../domain/shared/logger';
import { allJobs } from '../jobs/index';
import { runJobOnce } from '../jobs/runner';

export interface JobArgs {
  name?: string;
  date?: string;
  force: boolean;
  list: boolean;
}

/** Parses the CLI arguments; throws with a usage message on anything unexpected. */
export function parseJobArgs(argv: string[]): JobArgs {
  const args: JobArgs = { force: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--date') args.date = argv[++i];
    else if (a.startsWith('--date=')) args.date = a.slice(7);
    else if (a === '--force') args.force = true;
    else if (a === '--list') args.list = true;
    else if (!a.startsWith('--') && !args.name) args.name = a;
    else throw new Error(`unexpected argument "${a}"`);
  }
  if (args.date !== undefined && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(args.date))
    throw new Error('--date must look like 2025-05-20 or 2025-05-20T10:00');
  if (!args.list && !args.name) throw new Error('which job? (npm run job -- --list)');
  return args;
}

/** The instant the job runs for. */
export function instantFor(date: string | undefined, timeZone: string, now: Date): Date {
  if (!date) return now;
  const [day, time] = date.split('T');
  return zonedTimeToUtc(day, time ?? '12:00', timeZone);
}

async function main(): Promise<number> {
  let args: JobArgs;
  try {
    args = parseJobArgs(process.argv.slice(2));
  } catch (err) {
    console.error(
      `${(err as Error).message}\nusage: npm run job -- <name> [--date YYYY-MM-DD[THH:mm]] [--force] | --list`,
    );
    return 2;
  }
  if (args.list) {
    for (const j of allJobs) console.log(`${j.name.padEnd(20)} ${j.schedule.padEnd(14)} ${j.description}`);
    return 0;
  }
  const config = loadConfig();
  rootLogger.level = config.logLevel;
  const runtime = await startRuntime({ ...config, port: 0 }, { scheduler: false, sweeper: false });
  try {
    const now = instantFor(args.date, config.timeZone, runtime.deps.clock());
    const outcome = await runJobOnce(runtime.deps, args.name!, now, {
      trigger: 'cli',
      force: args.force || Boolean(args.date),
    });
    console.log(JSON.stringify(outcome, null, 2));
    return outcome.status === 'failed' ? 1 : 0;
  } finally {
    await runtime.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
