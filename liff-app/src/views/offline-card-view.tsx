import { useEffect } from 'preact/hooks';
import { formatDate, formatTime } from '../../../shared/format';
import { t } from '../i18n/zh-TW';
import type { LastView } from '../offline/last-view';
import { Barcode, QrCode } from '../ui/codes';
import { Icon } from '../ui/icons';
import { BrandHeader } from './brand-parts';
import { formatPoints } from './format';

/**
 * The card without signal: the last member code view from this phone's storage, shown before (and without) the
 * LIFF SDK, which needs the network to start. The balance says when it was read; coupons the member opened are
 * there too, marked as offline data (one may have been used elsewhere since).
 */
export function OfflineCardView({ view, onRetry }: { view: LastView; onRetry: () => void }) {
  useEffect(() => {
    // Time to the code shown offline, for bench/liff.bench.ts and the e2e test's printout.
    if (!performance.getEntriesByName('huigo:offline-code-shown').length) performance.mark('huigo:offline-code-shown');
  }, []);
  const asOf = sameDay(view.asOf, view.timeZone)
    ? formatTime(view.asOf, view.timeZone)
    : `${formatDate(view.asOf, view.timeZone)} ${formatTime(view.asOf, view.timeZone)}`;
  const label = `${t.card.memberCode} ${view.memberCode}`;
  return (
    <div class="stack" data-testid="offline-card">
      <BrandHeader brand={view.brand} />
      <div class="offline-notice" role="status" data-testid="offline-notice">
        <Icon name="alert" size={18} />
        <span class="grow">{t.offline.notice(asOf)}</span>
        <button class="btn btn-secondary btn-small" onClick={onRetry}>
          {t.offline.retry}
        </button>
      </div>
      <section class={`member-card tier-${view.tier.code}`} aria-label={t.appTitle}>
        <div class="member-name" data-testid="display-name">
          {view.displayName || t.appTitle}
        </div>
        <span class="tier-badge" data-testid="tier">
          {view.tier.label}
        </span>
        <div class="points-row">
          <span class="points-label">{t.card.points}</span>
          <span class="points-value" data-testid="points-balance">
            {formatPoints(view.pointsBalance)}
          </span>
          <span class="points-unit">{t.card.pointsUnit}</span>
        </div>
      </section>
      <section class="panel code-panel" aria-label={t.card.memberCode}>
        <QrCode value={view.memberCode} size={176} label={label} />
        <Barcode value={view.memberCode} label={label} />
        <div class="member-code" data-testid="member-code">
          {view.memberCode}
        </div>
        <p class="hint">{t.card.showToStaff}</p>
      </section>
      {view.coupons.length > 0 && (
        <section class="panel" data-testid="offline-coupons">
          <h2>{t.offline.couponsTitle}</h2>
          <p class="small muted">{t.offline.couponHint}</p>
          {view.coupons.map((c) => (
            <div class="offline-coupon" key={c.id} data-testid="offline-coupon">
              <div class="title-row">
                <strong>{c.title}</strong>
                <span class="badge-offline">{t.offline.couponBadge}</span>
              </div>
              {c.valueLabel && <div class="small">{c.valueLabel}</div>}
              <QrCode value={c.code} size={150} label={`${t.coupons.code} ${c.displayCode}`} />
              <div class="coupon-code" data-testid="offline-coupon-code">
                {c.displayCode}
              </div>
              {c.validUntil && (
                <p class="small muted">{t.coupons.validUntil(formatDate(c.validUntil, view.timeZone))}</p>
              )}
            </div>
          ))}
        </section>
      )}
    </div>
  );
}

function sameDay(iso: string, timeZone: string): boolean {
  return formatDate(iso, timeZone) === formatDate(new Date(), timeZone);
}
