import { sendDueSurveys } from '../domain/surveys/survey.service';
import type { JobDefinition } from './job';

/** Every 10 minutes: push the satisfaction survey of purchases whose delay has passed (daytime only). */
export const surveyJob: JobDefinition = {
  name: 'survey',
  description: '滿意度問卷：消費後依設定的時間推播一題滿意度問卷（僅白天發送）',
  schedule: '*/10 * * * *',
  async run(deps, now) {
    const r = await sendDueSurveys(deps.messenger, now, { timeZone: deps.config.timeZone });
    return { sent: r.sent, skipped: r.skipped, deferred: r.deferred };
  },
};
