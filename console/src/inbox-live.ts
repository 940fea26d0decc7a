import type { InboxCounts, InboxStreamEvent } from '../../api/contracts/inbox';
import { api } from './api/client';

/**
 * One EventSource per console tab for the inbox stream, shared by the nav badge and the inbox page. The browser
 * reconnects by itself and sends `Last-Event-ID`, so the server replays what happened in between.
 */
type Listener = (e: InboxStreamEvent) => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<(live: boolean) => void>();
let source: EventSource | null = null;
let lastCounts: InboxCounts | null = null;

function connect() {
  if (source) return;
  source = new EventSource(api.inbox.streamUrl());
  source.addEventListener('inbox', (msg) => {
    const e = JSON.parse((msg as MessageEvent<string>).data) as InboxStreamEvent;
    lastCounts = e.counts;
    for (const l of listeners) l(e);
  });
  source.addEventListener('signed-out', () => disconnect());
  source.onopen = () => stateListeners.forEach((l) => l(true));
  source.onerror = () => stateListeners.forEach((l) => l(false));
}

function disconnect() {
  source?.close();
  source = null;
}

/** Listens to inbox events until the returned function is called. */
export function onInboxEvent(listener: Listener): () => void {
  listeners.add(listener);
  connect();
  return () => {
    listeners.delete(listener);
    if (!listeners.size) disconnect();
  };
}

export function onInboxConnection(listener: (live: boolean) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

export const latestCounts = (): InboxCounts | null => lastCounts;
