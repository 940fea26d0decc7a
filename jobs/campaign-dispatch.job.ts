import { dispatchDueCampaigns } from '../domain/campaigns/dispatch.service';
import type { SendDeps } from '../domain/campaigns/run-send.service';
import type { AppDeps } from '../server/deps';
import type { JobDefinition } from './job';

/**
 * Every minute: start due campaign occurrences (respecting quiet hours, end dates and quota) and continue any
 * unfinished send, including one left behind by a crashed instance.
 */
export const campaignDispatchJob: JobDefinition = {
  name: 'campaign-dispatch',
  description: '活動發送：每分鐘檢查到期的活動並分批發送，或接續未完成的發送',
  schedule: '* * * * *',
  run: (deps, now) => dispatchDueCampaigns(sendDepsOf(deps), now),
};

function sendDepsOf(deps: AppDeps): SendDeps {
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
