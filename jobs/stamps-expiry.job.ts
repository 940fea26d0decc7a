import { expireStampCards } from '../domain/stamps/stamp.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/**
 * Nightly: ends the stamp cards whose validity has passed. One occurrence per day (the runner's lease lets one
 * instance run it); the conditional update makes a second run of the same night change nothing.
 */
export const stampsExpiryJob: JobDefinition = {
  name: 'stamps-expiry',
  description: '集點卡到期：每晚結束已過期的集點卡',
  schedule: '20 0 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(_deps, now) {
    const { expired } = await expireStampCards(now);
    return { expiredCards: expired };
  },
};
