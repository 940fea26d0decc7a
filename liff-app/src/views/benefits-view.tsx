import type { Benefits } from '../../../api/contracts/member';
import {
  birthdayGiftText,
  earnRuleText,
  giftText,
  pointsExpiryRuleText,
  referralRewardText,
  tierBenefitLines,
  tierThresholdText,
  USE_POINTS_TEXT,
} from '../../../shared/vocabulary';
import { publicApi } from '../api/client';
import { t } from '../i18n/zh-TW';
import { linkProps } from '../router';
import { ErrorState, Skeleton } from '../ui/states';
import { useLoad } from '../ui/use-load';

/**
 * 會員權益 (/liff/benefits, the path the FAQ links to): the program's rules from the program settings, worded with
 * the shared vocabulary so the card and the chat say them alike.
 */
export function BenefitsView() {
  const benefits = useLoad<Benefits>(() => publicApi.benefits());
  if (benefits.error) return <ErrorState error={benefits.error} onRetry={benefits.reload} />;
  if (!benefits.data) return <Skeleton lines={6} />;
  const b = benefits.data;
  const birthdayGift = giftText(b.birthday.points, b.birthday.coupon);
  const referrerGift = giftText(b.referral.referrerPoints, b.referral.referrerCoupon);
  const refereeGift = giftText(b.referral.refereePoints, b.referral.refereeCoupon);
  return (
    <div class="stack" data-testid="benefits">
      <h1>{t.benefits.title}</h1>
      <section class="panel" data-testid="benefit-earn">
        <h2>{t.benefits.earnTitle}</h2>
        <p>{earnRuleText(b.spendPerPoint)}</p>
        {b.profileCompletionPoints > 0 && (
          <p class="small muted">
            <a {...linkProps('profile')}>{t.benefits.profileGift(b.profileCompletionPoints)}</a>
          </p>
        )}
      </section>
      <section class="panel" data-testid="benefit-use">
        <h2>{t.benefits.useTitle}</h2>
        <p>{USE_POINTS_TEXT}</p>
      </section>
      <section class="panel" data-testid="benefit-expiry">
        <h2>{t.benefits.expiryTitle}</h2>
        <p>{pointsExpiryRuleText(b.expiry.mode, b.expiry.months)}</p>
      </section>
      <section class="panel" data-testid="benefit-tiers">
        <h2>{t.benefits.tiersTitle}</h2>
        <ul class="tier-list">
          {b.tiers.map((tier) => (
            <li key={tier.code} data-testid="benefit-tier">
              <strong>{tier.label}</strong>
              <span class="small muted">{tierThresholdText(tier.minSpend)}</span>
              <ul class="benefit-lines">
                {tierBenefitLines(tier.benefits).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
        <p class="small muted">{t.benefits.tierMultiplierNote}</p>
      </section>
      {b.birthday.enabled && birthdayGift && (
        <section class="panel" data-testid="benefit-birthday">
          <h2>{t.benefits.birthdayTitle}</h2>
          <p>{birthdayGiftText(b.birthday.mode, birthdayGift)}</p>
        </section>
      )}
      {b.referral.enabled && (
        <section class="panel" data-testid="benefit-referral">
          <h2>{t.benefits.referralTitle}</h2>
          <p>{referralRewardText(referrerGift, refereeGift, b.referral.minPurchaseAmount)}</p>
          <p class="small">
            <a {...linkProps('referral')}>{t.card.invite} ›</a>
          </p>
        </section>
      )}
    </div>
  );
}
