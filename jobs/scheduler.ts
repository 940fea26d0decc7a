import type { AppDeps } from '../server/deps';

/** Starts the cron schedules (placeholder until the scheduler lands). */
export function startScheduler(_deps: AppDeps): { stop(): Promise<void> } {
  return { stop: async () => undefined };
}
