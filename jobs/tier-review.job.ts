import { reviewTiers } from '../domain/tiers/tier-review.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/** Nightly tier review: the members whose yearly review is due keep or lose their tier; missed upgrades are caught up. */
export const tierReviewJob: JobDefinition = {
  name: 'tier-review',
  description:
    '會員等級檢視：每晚檢視到期的會員（達到或續保等級滿一年），依近 12 個月消費續保或調整等級（升級於消費時即時生效）',
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
      renewed: r.renewed,
      richMenuBulkCalls: r.richMenuBulkCalls,
      caughtUp: r.caughtUp,
    };
  },
};
