import { expireDuePoints, warnExpiringPoints } from '../domain/points/points-expiry.service';
import { repairInterruptedExchanges } from '../domain/coupons';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/**
 * Nightly, just after midnight: expire points whose horizon has passed (FIFO), warn members whose points expire
 * within the warning window (30 days by default), and finish any points→coupon exchange left half-done.
 * Each step is idempotent, so a re-run of the same night changes nothing.
 */
export const pointsExpiryJob: JobDefinition = {
  name: 'points-expiry',
  description: '點數到期：每晚扣除到期點數、提前 30 天提醒會員，並補完中斷的點數兌換',
  schedule: '10 0 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(deps, now) {
    const expired = await expireDuePoints(now);
    const warned = await warnExpiringPoints(deps.messenger, now, { timeZone: deps.config.timeZone });
    const repaired = await repairInterruptedExchanges(now, { timeZone: deps.config.timeZone });
    return {
      expiredMembers: expired.members,
      expiredPoints: expired.points,
      deferred: expired.deferred,
      warned: warned.warned,
      exchangesCompleted: repaired.completed,
      exchangesRefunded: repaired.refunded,
    };
  },
};
