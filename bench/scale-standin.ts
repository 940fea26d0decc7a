/**
 * The MongoDB stand-in in a process of its own, started the way local mode starts it (server/local-services.ts,
 * with persistence into LOCAL_DATA_DIR), for bench/scale.bench.ts. Talks to the parent over IPC: sends
 * `{ ready, uri }`, answers `stall` (the longest event-loop stall since the last `stall-reset`, from
 * `perf_hooks.monitorEventLoopDelay`), `rss` and `cpu` (user + system µs so far), `profile-start` and
 * `profile-stop` (a V8 CPU profile of what runs between them, written to BENCH_STANDIN_CPU_PROFILE/<name>), and on
 * `close` saves and exits.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../server/config';
import { startLocalMongo } from '../server/local-services';

async function main(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env, LOCAL_PERSIST: 'true' };
  delete env.MONGODB_URI;
  const config = loadConfig(env, { dotenv: false });
  const started = Date.now();
  const standin = await startLocalMongo(config);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let session: Session | undefined;
  process.on('message', (msg: { op: string; id: number; name?: string }) => {
    const reply = (body: Record<string, unknown>) => process.send!({ id: msg.id, ...body });
    if (msg.op === 'stall-reset') {
      delay.reset();
      reply({});
    } else if (msg.op === 'stall') reply({ maxMs: delay.max / 1e6 });
    else if (msg.op === 'rss') reply({ rss: process.memoryUsage().rss });
    else if (msg.op === 'cpu') {
      const { user, system } = process.cpuUsage();
      reply({ micros: user + system });
    } else if (msg.op === 'profile-start') {
      session = new Session();
      session.connect();
      void session
        .post('Profiler.enable')
        .then(() => session!.post('Profiler.start'))
        .then(() => reply({}));
    } else if (msg.op === 'profile-stop') {
      const dir = process.env.BENCH_STANDIN_CPU_PROFILE;
      void session!.post('Profiler.stop').then(({ profile }) => {
        session!.disconnect();
        if (dir) {
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, `${msg.name ?? 'standin'}.cpuprofile`), JSON.stringify(profile));
        }
        reply({});
      });
    } else if (msg.op === 'close')
      void standin.close().then(() => {
        reply({});
        process.exit(0);
      });
  });
  process.send!({ ready: true, uri: standin.uri, startMs: Date.now() - started });
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
