import { archiveOldInteractions } from '../domain/interactions/interaction-retention.service';
import { getProgramSettings } from '../domain/program/settings.service';
import { zonedDate } from '../domain/shared/clock';
import type { JobDefinition } from './job';

/**
 * Nightly: when the program keeps the member timeline for a limited time (設定 → 資料保留), interactions older
 * than that are archived to INTERACTIONS_ARCHIVE_DIR and then deleted, in batches (docs/deployment.md). Kept for
 * ever by default. Safe to re-run: what was archived and deleted is gone; an interrupted batch is redone in place.
 */
export const interactionsRetentionJob: JobDefinition = {
  name: 'interactions-retention',
  description: '互動紀錄保留：依設定把超過保留期間的會員互動紀錄封存到檔案後刪除（預設永久保留）',
  schedule: '40 3 * * *',
  async occurrenceOf(deps, now) {
    return { key: zonedDate(now, deps.config.timeZone), due: true };
  },
  async run(deps, now) {
    const settings = await getProgramSettings();
    const r = await archiveOldInteractions({
      months: settings.retention.interactionsMonths,
      archiveDir: deps.config.archive.interactionsDir,
      now,
      timeZone: deps.config.timeZone,
    });
    if (r.outcome === 'no_archive_dir' && settings.retention.interactionsMonths !== null)
      deps.logger.warn(
        { module: 'jobs' },
        'interactions retention is set but INTERACTIONS_ARCHIVE_DIR is not: nothing deleted',
      );
    return {
      outcome: r.outcome,
      archived: r.archived,
      deleted: r.deleted,
      files: r.files,
      batches: r.batches,
      ...(r.cutoff ? { cutoff: r.cutoff.toISOString() } : {}),
    };
  },
};
