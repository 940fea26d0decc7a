import { expireDueCredit } from '../domain/credit/credit.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/** Nightly: expire shopping credit whose lots are due (soonest first). A re-run of the same night changes nothing. */
export const creditExpiryJob: JobDefinition = {
  name: 'credit-expiry',
  description: '購物金到期：每晚扣除到期的購物金',
  schedule: '20 0 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(_deps, now) {
    const r = await expireDueCredit(now);
    return { expiredMembers: r.members, expiredAmount: r.amount, deferred: r.deferred };
  },
};
