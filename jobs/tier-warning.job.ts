import { warnTierDowngrades } from '../domain/tiers/tier-warning.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/** Daily downgrade warning: members whose yearly tier review is near and whose spend would not keep the tier. */
export const tierWarningJob: JobDefinition = {
  name: 'tier-warning',
  description: '降級提醒：等級檢視日前（設定天數）通知消費還不夠續保的會員，每次檢視一則',
  schedule: '30 10 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(deps, now) {
    const r = await warnTierDowngrades(deps.messenger, now, { timeZone: deps.config.timeZone });
    return { checked: r.checked, warned: r.warned, failed: r.failed };
  },
};
