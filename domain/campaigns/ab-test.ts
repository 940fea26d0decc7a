import type { AbMetric } from './campaign.schema';

/**
 * The pure rules of A/B tests (#17.4): how the freeze splits an audience, and when a variant is named the winner.
 */

/**
 * Deals recipients to variants by position (the freeze reads members in `_id` order): each next recipient goes to
 * the variant furthest below its share so far (ties to the earlier letter). After any number of recipients every
 * variant holds its share within one member, and the same audience always splits the same way.
 * With no shares (no A/B test) every recipient is variant 0.
 */
export class VariantSplit {
  private readonly counts: number[];
  private dealt = 0;

  constructor(private readonly shares: number[]) {
    this.counts = shares.map(() => 0);
  }

  get size(): number {
    return this.shares.length;
  }

  next(): number {
    if (!this.shares.length) return 0;
    this.dealt++;
    let best = 0;
    let deficit = -Infinity;
    this.shares.forEach((share, k) => {
      const d = (this.dealt * share) / 100 - this.counts[k];
      if (d > deficit + 1e-9) {
        deficit = d;
        best = k;
      }
    });
    this.counts[best]++;
    return best;
  }
}

/** Each variant needs this many sends before a winner can be named. */
export const AB_MIN_SENT = 30;
/** Two-sided 95 % confidence: the best rate must beat the runner-up by this many standard errors. */
const Z_95 = 1.96;

export interface VariantOutcome {
  variant: string;
  sent: number;
  /** Members who clicked (or clicks, see the definition) / buyers, by the metric. */
  successes: number;
}

export type AbVerdict =
  { winner: string; reason: 'significant' } | { winner: null; reason: 'too_few' | 'tied' | 'not_significant' };

/** The rate of a variant (0 when nothing was sent); successes above the sends count as the sends. */
export const rateOf = (o: Pick<VariantOutcome, 'sent' | 'successes'>) =>
  o.sent > 0 ? Math.min(o.successes, o.sent) / o.sent : 0;

/**
 * The winner of an A/B test: the variant with the best rate, when every variant was sent to at least
 * `AB_MIN_SENT` members and a two-proportion z-test puts it ahead of the runner-up at 95 % confidence; otherwise
 * no winner, with why (too few sends, the same rate, a difference within chance).
 */
export function pickWinner(outcomes: VariantOutcome[]): AbVerdict {
  if (outcomes.length < 2 || outcomes.some((o) => o.sent < AB_MIN_SENT)) return { winner: null, reason: 'too_few' };
  const ranked = [...outcomes].sort((a, b) => rateOf(b) - rateOf(a));
  const [best, second] = ranked;
  const p1 = rateOf(best);
  const p2 = rateOf(second);
  if (p1 === p2) return { winner: null, reason: 'tied' };
  const pooled = (p1 * best.sent + p2 * second.sent) / (best.sent + second.sent);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / best.sent + 1 / second.sent));
  if (se === 0 || (p1 - p2) / se < Z_95) return { winner: null, reason: 'not_significant' };
  return { winner: best.variant, reason: 'significant' };
}

/** What each metric's rate is, for the campaign page (zh-TW). */
export function metricDefinition(metric: AbMetric, perMember: boolean): string {
  if (metric === 'purchase_rate') return '購買率 = 推播後歸因期間內有消費的人數 ÷ 該版本發送人數。';
  return perMember
    ? '點擊率 = 點擊連結的人數 ÷ 該版本發送人數（每人只算一次）。'
    : '點擊率 = 連結點擊次數 ÷ 該版本發送人數（群發無法辨識點擊者，同一人多次點擊會重複計算）。';
}

export const WINNER_RULE = `各版本至少發送 ${AB_MIN_SENT} 人，且最佳版本與次佳版本的差異達統計顯著（95% 信心）才判定勝出。`;
