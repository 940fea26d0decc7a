import { runBirthdayProgram } from '../domain/campaigns/birthday.service';
import { getProgramSettings } from '../domain/program/settings.service';
import { zonedDate, zonedParts } from '../domain/shared/clock';
import { programContext } from '../domain/shared/context';
import type { JobDefinition } from './job';

/**
 * Birthday gifts, once a day at the configured send time. Ticks every minute so a changed send time applies the
 * same day; the occurrence is the date, so it runs once per day whatever the tick.
 */
export const birthdayJob: JobDefinition = {
  name: 'birthday',
  description: '生日禮：在設定的時間發送生日點數／優惠券與祝福訊息（每人每年一次）',
  schedule: '* * * * *',
  async occurrenceOf(deps, now) {
    const { sendTime } = (await getProgramSettings()).birthday;
    const p = zonedParts(now, deps.config.timeZone);
    const minutes = p.hour * 60 + p.minute;
    const due = minutes >= Number(sendTime.slice(0, 2)) * 60 + Number(sendTime.slice(3, 5));
    return { key: zonedDate(now, deps.config.timeZone), due };
  },
  run: (deps, now) => runBirthdayProgram(programContext(deps, { now, actor: 'birthday' }), now),
};
