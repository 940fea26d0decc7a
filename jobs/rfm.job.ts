import { scoreRfm } from '../domain/segments/rfm.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/** Nightly RFM scoring of every member (after midnight, when purchases of the day are in). */
export const rfmJob: JobDefinition = {
  name: 'rfm',
  description: 'RFM 評分：每晚依最近消費、頻率、金額為會員評分並分群',
  schedule: '30 3 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(_deps, now) {
    const s = await scoreRfm(now);
    return {
      scored: s.scored,
      unscored: s.unscored,
      windowDays: s.windowDays,
      ...Object.fromEntries(Object.entries(s.segments).map(([k, v]) => [`segment:${k}`, v])),
    };
  },
};
