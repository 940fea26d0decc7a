/**
 * A V8 CPU profile of what runs between start and stop, in this process, through its own inspector: for the
 * benches' BENCH_CPU_PROFILE=dir (the timed part only, not the seeding).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

/** Starts profiling when BENCH_CPU_PROFILE names a directory; stop(name) writes dir/<name>.cpuprofile. */
export async function startProfile(): Promise<{ stop: (name: string) => Promise<void> } | null> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async (name) => {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}
