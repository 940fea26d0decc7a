import type { AppDeps } from '../server/deps';
import { claimEvent, failEvent, findUnfinishedEventIds, finishEvent, MAX_ATTEMPTS, parseEvent } from './event-store';
import { apologizeForFailure, handleEvent } from './handlers';

/** Processing started by webhook requests or the sweeper that has not finished yet. */
const active = new Set<Promise<void>>();

/**
 * Processes stored events one at a time, each in its own try/catch so one bad event never blocks the others.
 * Only the instance that wins the claim handles an event.
 */
export function processEvents(deps: AppDeps, ids: string[]): Promise<void> {
  const work = (async () => {
    for (const id of ids) await processOne(deps, id);
  })();
  active.add(work);
  void work.catch(() => undefined).finally(() => active.delete(work));
  return work;
}

/**
 * Shutdown: waits (up to `timeoutMs`) for events already being processed, so a deploy does not cut a reply or a
 * reward in half. Whatever is still running after that stays claimed and is resumed by the next sweep.
 */
export async function drainEventProcessing(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (active.size && Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    });
    await Promise.race([Promise.allSettled([...active]), timeout]);
    clearTimeout(timer);
  }
}

async function processOne(deps: AppDeps, webhookEventId: string): Promise<void> {
  const log = deps.logger.child({ webhookEventId });
  const claimed = await claimEvent(webhookEventId, deps.clock()).catch((err) => {
    log.error({ err }, 'claim failed');
    return null;
  });
  if (!claimed) return;
  const event = parseEvent(claimed.payload, { webhookEventId, now: deps.clock() });
  await inUserOrder(claimed.userId ?? null, async () => {
    try {
      const outcome = await handleEvent(deps, event, { webhookEventId, log, attempt: claimed.attempts ?? 1 });
      await finishEvent(webhookEventId, outcome === 'ignored' ? 'ignored' : 'done', deps.clock());
    } catch (err) {
      const attempts = claimed.attempts ?? 1;
      log.error({ err, type: claimed.type, attempts }, 'event handler failed');
      await failEvent(webhookEventId, attempts, err instanceof Error ? err.message : String(err)).catch(
        () => undefined,
      );
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
