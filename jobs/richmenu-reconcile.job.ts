import { reconcileRichMenus } from '../domain/richmenus/richmenu-assign.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/**
 * Nightly rich-menu reconcile, after the tier review (02:40) and RFM (03:30): segment menus follow the night's segment
 * membership, and any drift (a missed event, a failed link, a menu published or deleted) is fixed in bulk.
 */
export const richMenuReconcileJob: JobDefinition = {
  name: 'richmenu-reconcile',
  description: '圖文選單校正：每晚依會員狀態、等級、標籤與分眾重新套用選單（批次連結）',
  schedule: '10 4 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(deps, now) {
    const r = await reconcileRichMenus(deps.messenger.richMenus, now, { timeZone: deps.config.timeZone });
    return { checked: r.checked, changed: r.changed, bulkCalls: r.bulkCalls, failed: r.failed };
  },
};
