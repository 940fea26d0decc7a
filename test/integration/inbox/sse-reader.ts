/** Reads a server-sent event stream over real HTTP (fetch), for tests: each event's id, name and parsed data. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
}

export class SseReader {
  readonly events: SseEvent[] = [];
  status = 0;
  private buffer = '';
  private waiters: Array<() => void> = [];
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const r = new SseReader();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: r.abort.signal });
    r.status = res.status;
    if (!res.ok || !res.body) {
      await res.text().catch(() => undefined);
      return r;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    r.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          r.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // aborted
      }
    })();
    return r;
  }

  private feed(chunk: string) {
    this.buffer += chunk;
    let i: number;
    while ((i = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      let id: string | null = null;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (!data.length) continue;
      this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
      for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Waits for an event matching `pred` (already received or arriving within `timeoutMs`). */
  async waitFor(pred: (e: SseEvent) => boolean, timeoutMs = 8000): Promise<SseEvent> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      const left = until - Date.now();
      if (left <= 0)
        throw new Error(`no matching SSE event; got ${JSON.stringify(this.events.map((e) => e.data.type))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close() {
    this.abort.abort();
    await this.done;
  }
}
