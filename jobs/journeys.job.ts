import { runDueJourneySteps, type JourneyDeps } from '../domain/journeys/journey-engine.service';
import { evaluateScheduledTriggers } from '../domain/journeys/journey-triggers.service';
import type { AppDeps } from '../server/deps';
import type { JobDefinition } from './job';

/**
 * Every minute: the day's scheduled triggers (inactive, expiring points/coupons, birthday/anniversary, segments)
 * on the first tick of each day, then every journey step that is due. Safe to run on several instances at once:
 * runs are claimed atomically and each step's effects are keyed by (run, step).
 */
export const journeysJob: JobDefinition = {
  name: 'journeys',
  description: '會員旅程：每分鐘執行到期的旅程步驟（每天第一次另外檢查排程觸發條件）',
  schedule: '* * * * *',
  async run(deps, now) {
    const triggers = await evaluateScheduledTriggers(now, deps.config.timeZone);
    const steps = await runDueJourneySteps(journeyDepsOf(deps), now);
    return { ...steps, triggersEvaluated: triggers.evaluated, enteredByTriggers: triggers.entered };
  },
};

export function journeyDepsOf(deps: AppDeps): JourneyDeps {
  const { messenger, links, logger, clock, config } = deps;
  return {
    messenger,
    links,
    logger,
    clock,
    timeZone: config.timeZone,
    sending: config.sending,
    memberTokenSecret: config.line.channelSecret,
  };
}
