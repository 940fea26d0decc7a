import { useEffect } from 'preact/hooks';
import type { Card } from '../../../api/contracts/member';
import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { linkProps } from '../router';
import { Barcode, QrCode } from '../ui/codes';
import { ErrorState, Skeleton } from '../ui/states';
import { useLoad } from '../ui/use-load';
import { formatDate, formatMoney, formatPoints } from './format';
import { Icon } from '../ui/icons';
import { rememberCard } from '../offline/device';
import { chosenMockUser } from '../session/liff-session';
import { BrandFooter, BrandHeader } from './brand-parts';
import { StampCards } from './stamp-cards';
import { tierBenefitLines } from '../../../shared/vocabulary';

let firstCardUsed = false;
let markedRendered = false;

/** The member card: who, tier and progress, points (and what expires first), and the code the store scans. */
export function CardView() {
  const { session, firstCard } = useSession();
  const card = useLoad<Card>(() => {
    // The sign-in already fetched the card: show it at once instead of a second request.
    if (firstCard && !firstCardUsed) {
      firstCardUsed = true;
      return Promise.resolve(firstCard);
    }
    return session.api.card().then(async (fresh) => {
      // Every fresh card is what the phone shows next time it has no signal.
      await rememberCard(fresh, session.config.timeZone, session.config.mock ? chosenMockUser() : null);
      return fresh;
    });
  });
  useEffect(() => {
    // Time-to-card for real-user monitoring and bench/liff.bench.ts: once, when the first card is on screen.
    if (card.data && !markedRendered) {
      markedRendered = true;
      performance.mark('huigo:card-rendered');
    }
  }, [card.data]);
  if (card.error) return <ErrorState error={card.error} onRetry={card.reload} />;
  if (!card.data) return <Skeleton card lines={3} />;
  const c = card.data;
  return (
    <div class="stack" data-testid="card">
      <BrandHeader brand={c.brand} />
      <section class={`member-card tier-${c.tier.code}`} aria-label={t.appTitle}>
        <header class="member-card-head">
          {c.pictureUrl ? (
            <img class="avatar" src={c.pictureUrl} alt="" width={44} height={44} />
          ) : (
            <div class="avatar avatar-empty" aria-hidden="true">
              {c.displayName.slice(0, 1) || '會'}
            </div>
          )}
          <div class="grow">
            <div class="member-name" data-testid="display-name">
              {c.displayName || t.appTitle}
            </div>
            <span class="tier-badge" data-testid="tier">
              {c.tier.label}
            </span>
            {c.tier.multiplier > 1 && <span class="tier-mult">{t.card.multiplier(c.tier.multiplier)}</span>}
          </div>
        </header>
        <div class="points-row">
          <span class="points-label">{t.card.points}</span>
          <span class="points-value" data-testid="points-balance">
            {formatPoints(c.pointsBalance)}
          </span>
          <span class="points-unit">{t.card.pointsUnit}</span>
        </div>
        <p class="expiring" data-testid="expiring">
          {c.pointsBalance < 0
            ? t.card.refundDebt(-c.pointsBalance)
            : c.soonestExpiring
              ? t.card.expiring(c.soonestExpiring.points, formatDate(c.soonestExpiring.expiresAt))
              : t.card.noExpiring}
        </p>
        {c.credit && <CreditRow credit={c.credit} />}
        <TierProgress tier={c.tier} />
      </section>

      <section class="panel code-panel" aria-label={t.card.memberCode}>
        <QrCode value={c.memberCode} size={176} label={`${t.card.memberCode} ${c.memberCode}`} />
        <Barcode value={c.memberCode} label={`${t.card.memberCode} ${c.memberCode}`} />
        <div class="member-code" data-testid="member-code">
          {c.memberCode}
        </div>
        <p class="hint">{t.card.showToStaff}</p>
      </section>

      {c.tier.benefits && <TierBenefits tier={c.tier} benefits={c.tier.benefits} />}

      <StampCards cards={c.stampCards ?? []} />

      {c.profileIncomplete && (
        <a class="banner" {...linkProps('profile')}>
          <span>{t.card.completeProfile}</span>
          <strong>{t.card.completeProfileAction} ›</strong>
        </a>
      )}

      <nav class="quick-links">
        <a class="quick" {...linkProps('coupons')}>
          <Icon name="ticket" size={26} />
          {t.card.activeCoupons(c.activeCoupons)}
        </a>
        <a class="quick" {...linkProps('points')}>
          <Icon name="star" size={26} />
          {t.card.pointsHistory}
        </a>
        <a class="quick" {...linkProps('referral')}>
          <Icon name="users" size={26} />
          {t.card.invite}
        </a>
      </nav>

      <BrandFooter brand={c.brand} />
    </div>
  );
}

/** 會員權益 of the member's tier: the same lines as the 會員權益 page and the upgrade message, and the review date. */
function TierBenefits({ tier, benefits }: { tier: Card['tier']; benefits: NonNullable<Card['tier']['benefits']> }) {
  return (
    <section class="panel" data-testid="tier-benefits" aria-label={t.benefits.mine(tier.label)}>
      <h2>{t.benefits.mine(tier.label)}</h2>
      <ul class="benefit-lines">
        {tierBenefitLines(benefits).map((line) => (
          <li key={line} data-testid="tier-benefit">
            {line}
          </li>
        ))}
      </ul>
      {tier.reviewAt && (
        <p class="small muted" data-testid="tier-review-date">
          {t.benefits.reviewOn(formatDate(tier.reviewAt))}
        </p>
      )}
      <p class="small">
        <a {...linkProps('benefits')}>{t.benefits.all} ›</a>
      </p>
    </section>
  );
}

/** 購物金 NT$120 · NT$50 將於 2026/12/31 到期 (older cached cards have no credit: nothing shown). */
function CreditRow({ credit }: { credit: Card['credit'] }) {
  return (
    <p class="credit-row" data-testid="credit">
      <span class="credit-label">{t.card.credit}</span>{' '}
      <strong data-testid="credit-balance">{formatMoney(credit.balance)}</strong>
      {credit.soonestExpiring && (
        <span class="credit-expiring" data-testid="credit-expiring">
          {' · '}
          {t.card.creditExpiring(
            formatMoney(credit.soonestExpiring.amount),
            formatDate(credit.soonestExpiring.expiresAt),
          )}
        </span>
      )}
    </p>
  );
}

function TierProgress({ tier }: { tier: Card['tier'] }) {
  const pct = Math.round(Math.min(1, Math.max(0, tier.progress)) * 100);
  return (
    <div class="tier-progress">
      <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div class="bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <p data-testid="tier-next">
        {!tier.next
          ? t.card.tierTop
          : tier.next.spendNeeded > 0
            ? t.card.tierNext(formatMoney(tier.next.spendNeeded), tier.next.label)
            : t.card.tierReached(tier.next.label)}
      </p>
    </div>
  );
}
