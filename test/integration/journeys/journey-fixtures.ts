import { createCouponTemplate } from '../../../domain/coupons';
import { createJourney } from '../../../domain/journeys/journey.service';
import { journeyTemplates, type TemplateKey } from '../../../domain/journeys/journey-templates';
import { runJobOnce } from '../../../jobs/runner';
import type { TestEnv } from '../../helpers/test-env';

/** A virtual clock for a whole test env (the app, the webhook and the jobs read it). */
export function virtualClock(start: Date) {
  let now = start;
  return {
    clock: () => now,
    set(at: Date) {
      now = at;
    },
    get now() {
      return now;
    },
  };
}

/** The demo templates with real coupon templates behind them. */
export async function templates(env: TestEnv) {
  const mk = (title: string) =>
    createCouponTemplate({ title, kind: 'amount', value: 100, validity: { mode: 'relative', days: 30 } }, 'tester');
  const [welcome, winBack, birthday] = await Promise.all([
    mk('首購折 100 元'),
    mk('回流折 100 元'),
    mk('生日月折 100 元'),
  ]);
  return journeyTemplates({ welcome: welcome.id, winBack: winBack.id, birthday: birthday.id }, env.deps.links.card());
}

export async function startTemplate(env: TestEnv, key: TemplateKey) {
  const all = await templates(env);
  return createJourney({ ...all[key], status: 'active' }, 'tester', key);
}

/** One journeys job tick at `at` (its own minute occurrence). */
export async function tick(env: TestEnv, at: Date) {
  const out = await runJobOnce(env.deps, 'journeys', at);
  if (out.status === 'failed') throw new Error(out.error);
  return out;
}

/** Pushes/multicasts (not replies) the user got, as texts. */
export function pushedTexts(env: TestEnv, userId: string): string[] {
  return env.local
    .emulator!.messagesFor(userId)
    .filter((e) => e.via === 'push' || e.via === 'multicast')
    .map((e) => String(e.message.text ?? e.message.altText ?? ''));
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
