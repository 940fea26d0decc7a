import { reviewTiers } from '../domain/tiers/tier.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/** Nightly tier review: downgrades members whose rolling-12-month spend fell below their tier (upgrades happen on purchase). */
export const tierReviewJob: JobDefinition = {
  name: 'tier-review',
  description: '會員等級檢視：每晚依近 12 個月消費調整等級（升級於消費時即時生效）',
  schedule: '40 2 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(deps, now) {
    const r = await reviewTiers(deps.messenger, now, { timeZone: deps.config.timeZone });
    return {
      checked: r.checked,
      upgraded: r.upgraded,
      downgraded: r.downgraded,
      richMenuBulkCalls: r.richMenuBulkCalls,
    };
  },
};
