import { moduleLogger } from '../shared/logger';
import { type InboxEventRecord, readInboxEvents } from './inbox-events.service';
import { conversationRows, countInbox, type ConversationRow, type InboxCounts } from './inbox.service';

const log = moduleLogger('inbox-feed');

export interface FeedEvent {
  seq: number;
  type: InboxEventRecord['type'];
  conversation: ConversationRow | null;
  counts: InboxCounts;
}

export interface InboxFeed {
  /** Calls `onEvents` with every event after `afterSeq`, in order, until the returned function is called. */
  subscribe(afterSeq: number, onEvents: (events: FeedEvent[]) => void): () => void;
  subscribers(): number;
}

interface Subscriber {
  lastSeq: number;
  onEvents: (events: FeedEvent[]) => void;
}

/**
 * One server instance's reader of the shared inbox feed (models/inbox-event.model.ts). It polls `seq > last` only
 * while someone listens, reads each batch once for all of this instance's listeners (plus the conversations it
 * names and the counts), and hands each listener what it has not seen. Sequence numbers are taken before the
 * insert, so another instance's event can appear a moment after a later one: at a gap the reader waits up to
 * `gapWaitMs` for it, then moves on (the event expired or its writer failed).
 */
export function createInboxFeed(opts: { pollMs?: number; gapWaitMs?: number } = {}): InboxFeed {
  const pollMs = opts.pollMs ?? 250;
  const gapWaitMs = opts.gapWaitMs ?? 2000;
  const subs = new Set<Subscriber>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let gapSince: { seq: number; at: number } | null = null;

  const schedule = () => {
    if (timer || !subs.size) return;
    timer = setTimeout(() => {
      timer = undefined;
      void tick().finally(schedule);
    }, pollMs);
    timer.unref();
  };

  const tick = async () => {
    if (running || !subs.size) return;
    running = true;
    try {
      const from = Math.min(...[...subs].map((s) => s.lastSeq));
      const batch = acceptedPrefix(from, await readInboxEvents(from, 500));
      if (!batch.length) return;
      const [rows, counts] = await Promise.all([
        conversationRows([...new Set(batch.map((e) => e.conversationId))]),
        countInbox(),
      ]);
      const events = batch.map((e) => ({
        seq: e.seq,
        type: e.type,
        conversation: rows.get(e.conversationId) ?? null,
        counts,
      }));
      for (const sub of subs) {
        const fresh = events.filter((e) => e.seq > sub.lastSeq);
        if (!fresh.length) continue;
        sub.lastSeq = fresh[fresh.length - 1].seq;
        sub.onEvents(fresh);
      }
    } catch (err) {
      log.error({ err }, 'inbox feed poll failed');
    } finally {
      running = false;
    }
  };

  /** The events up to the first gap that is still young (its event may yet be inserted). */
  const acceptedPrefix = (from: number, events: InboxEventRecord[]): InboxEventRecord[] => {
    let expected = from + 1;
    const out: InboxEventRecord[] = [];
    for (const e of events) {
      if (e.seq !== expected) {
        if (!gapSince || gapSince.seq !== expected) gapSince = { seq: expected, at: Date.now() };
        if (Date.now() - gapSince.at < gapWaitMs) break;
      }
      out.push(e);
      expected = e.seq + 1;
    }
    return out;
  };

  return {
    subscribe(afterSeq, onEvents) {
      const sub: Subscriber = { lastSeq: afterSeq, onEvents };
      subs.add(sub);
      schedule();
      return () => {
        subs.delete(sub);
        if (!subs.size && timer) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    subscribers: () => subs.size,
  };
}
