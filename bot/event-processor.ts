import type { AppDeps } from '../server/deps';
import { claimEvent, failEvent, findUnfinishedEventIds, finishEvent, type IncomingEvent, MAX_ATTEMPTS } from './event-store';
import { apologizeForFailure, handleEvent } from './handlers';

/**
 * Processes stored events one at a time, each in its own try/catch so one bad event never blocks the others.
 * Only the instance that wins the claim handles an event.
 */
export async function processEvents(deps: AppDeps, ids: string[]): Promise<void> {
  for (const id of ids) await processOne(deps, id);
}

async function processOne(deps: AppDeps, webhookEventId: string): Promise<void> {
  const log = deps.logger.child({ webhookEventId });
  const claimed = await claimEvent(webhookEventId, deps.clock()).catch((err) => {
    log.error({ err }, 'claim failed');
    return null;
  });
  if (!claimed) return;
  const event = claimed.payload as IncomingEvent;
  await inUserOrder(claimed.userId ?? null, async () => {
    try {
      const outcome = await handleEvent(deps, event, { webhookEventId, log });
      await finishEvent(webhookEventId, outcome === 'ignored' ? 'ignored' : 'done', deps.clock());
    } catch (err) {
      const attempts = claimed.attempts ?? 1;
      log.error({ err, type: claimed.type, attempts }, 'event handler failed');
      await failEvent(webhookEventId, attempts, err instanceof Error ? err.message : String(err)).catch(() => undefined);
      if (attempts >= MAX_ATTEMPTS) await apologizeForFailure(deps, event, { webhookEventId, log });
    }
  });
}

/**
 * One user's events are handled one after another in this process, in arrival order, even when they came in
 * separate webhook requests (a member tapping two answers quickly). Across instances the persona state's
 * compare-and-set keeps answers consistent.
 */
const userQueues = new Map<string, Promise<void>>();

async function inUserOrder(userId: string | null, work: () => Promise<void>): Promise<void> {
  if (!userId) return work();
  const previous = userQueues.get(userId) ?? Promise.resolve();
  const mine = previous.then(work, work);
  userQueues.set(userId, mine);
  try {
    await mine;
  } finally {
    if (userQueues.get(userId) === mine) userQueues.delete(userId);
  }
}

/** Picks up unfinished events on start and then periodically. Returns a stop function. */
export function startEventSweeper(deps: AppDeps, intervalMs: number): { stop(): void; sweep(): Promise<void> } {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const ids = await findUnfinishedEventIds(deps.clock(), Math.min(intervalMs, 10_000));
      if (ids.length) deps.logger.info({ count: ids.length }, 'resuming unfinished webhook events');
      await processEvents(deps, ids);
    } catch (err) {
      deps.logger.error({ err }, 'webhook sweep failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  void sweep();
  return { stop: () => clearInterval(timer), sweep };
}
