/**
 * The parent side of bench/scale-standin.ts: starts the MongoDB stand-in in a process of its own (as local mode
 * and MongoDB itself run: not on the app's event loop), with persistence into `dataDir`, and asks it over IPC for
 * its event-loop stall and RSS. Used by the scale, webhook and burst benches.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export class StandinProcess {
  private seq = 0;
  private constructor(
    private child: ChildProcess,
    readonly uri: string,
    readonly startMs: number,
  ) {}

  static async start(dataDir: string, opts: { maxOldSpaceMb?: number } = {}): Promise<StandinProcess> {
    const child = fork(path.join(__dirname, 'scale-standin.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        LOCAL_DATA_DIR: dataDir,
        // No heap flag unless asked: the stand-in runs with Node's defaults, as `npm start` runs it.
        NODE_OPTIONS: opts.maxOldSpaceMb ? `--max-old-space-size=${opts.maxOldSpaceMb}` : '',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ uri: string; startMs: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { uri: string; startMs: number }));
      child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
    });
    return new StandinProcess(child, ready.uri, ready.startMs);
  }

  ask<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      const on = (m: { id?: number }) => {
        if (m.id !== id) return;
        this.child.off('message', on);
        resolve(m as T);
      };
      this.child.on('message', on);
      this.child.send({ ...args, op, id });
    });
  }

  /** SIGKILL, as a crash: no clean close; the next start reads the image of the last clean stop and replays the journal after it (index-image.ts). */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.ask('close');
    await exited;
  }
}
