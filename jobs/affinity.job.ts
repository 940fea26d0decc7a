import { rebuildAffinity } from '../domain/purchases/affinity.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/** Nightly product affinity (#17.2): co-purchase figures and the suggestion's inputs, rebuilt from `buys`. */
export const affinityJob: JobDefinition = {
  name: 'affinity',
  description: '商品關聯：每晚依會員的購買紀錄重新計算一起買的商品（共同購買人數、信賴度、提升度）',
  schedule: '50 3 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(_deps, now) {
    const r = await rebuildAffinity({ now });
    return { members: r.members, categories: r.categories, skus: r.skus, ms: r.ms };
  },
};
