import type { AppDeps } from '../server/deps';
import { claimEvent, failEvent, findUnfinishedEventIds, finishEvent, type IncomingEvent } from './event-store';
import { handleEvent } from './handlers';

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
  try {
    const outcome = await handleEvent(deps, claimed.payload as IncomingEvent, { webhookEventId, log });
    await finishEvent(webhookEventId, outcome === 'ignored' ? 'ignored' : 'done', deps.clock());
  } catch (err) {
    log.error({ err, type: claimed.type }, 'event handler failed');
    await failEvent(webhookEventId, claimed.attempts ?? 1, err instanceof Error ? err.message : String(err)).catch(() => undefined);
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
