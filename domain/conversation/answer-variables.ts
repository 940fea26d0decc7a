import type { ProgramSettings } from '../program/program-settings.schema';
import { formatNumber } from '../../shared/format';

/**
 * Variables an FAQ answer or a rule reply may use, filled when the answer is sent, so an answer that quotes a
 * number (points rate, tier thresholds, the birthday gift) always says what the program settings say today. Pure.
 */
export const ANSWER_VARIABLES = [
  'name',
  'card_url',
  'spend_per_point',
  'tier_list',
  'birthday_points',
  'referrer_points',
  'referee_points',
  'persona_points',
  'points_expiry',
  'expiry_warn_days',
  'brand_name',
  'store_list',
  'store_hours',
] as const;
export type AnswerVariable = (typeof ANSWER_VARIABLES)[number];

/** The program's values as answer variables. */
export function programVariables(settings: ProgramSettings): Record<string, string> {
  const tiers = [...settings.tiers].sort((a, b) => a.minSpend - b.minSpend);
  return {
    spend_per_point: formatNumber(settings.earn.spendPerPoint),
    tier_list: tiers
      .map((t) =>
        t.minSpend === 0
          ? `・${t.label}：加入即享，點數 ${t.multiplier} 倍`
          : `・${t.label}：累積消費滿 NT$${formatNumber(t.minSpend)}，點數 ${t.multiplier} 倍`,
      )
      .join('\n'),
    birthday_points: formatNumber(settings.birthday.points),
    referrer_points: formatNumber(settings.referral.referrerReward.points),
    referee_points: formatNumber(settings.referral.refereeReward.points),
    persona_points: formatNumber(settings.personaCompletionPoints),
    points_expiry:
      settings.expiry.mode === 'never'
        ? '點數沒有期限，不會過期'
        : settings.expiry.mode === 'months'
          ? `點數在獲得後 ${settings.expiry.months} 個月到期`
          : '點數在獲得的隔年年底到期（例如今年拿到的點數，明年 12/31 到期）',
    expiry_warn_days: formatNumber(settings.expiry.warnDaysBefore),
    // The brand settings' store list (#14.1): one place for names, addresses and hours.
    brand_name: settings.brand.name,
    store_list: settings.brand.stores.map((st) => `・${st.name}：${st.address}`).join('\n'),
    store_hours: settings.brand.stores.map((st) => `・${st.name}：${st.hours}`).join('\n'),
  };
}

/** `{name}`-style variables replaced by their values; unknown names stay as typed (the console flags them). */
export function fillVariables(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => (key in values ? values[key] : whole));
}

/** Variables a template uses that are not known: the console refuses them at the field. */
export function unknownVariables(template: string): string[] {
  const known = new Set<string>(ANSWER_VARIABLES);
  return [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).filter((k) => !known.has(k));
}
