import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { navigate } from '../router';
import { Barcode, QrCode } from '../ui/codes';
import { ErrorState, Skeleton } from '../ui/states';
import { useLoad } from '../ui/use-load';
import { formatMoney } from '../../../shared/format';
import { couponDateLine } from './coupons-view';
import { rememberCoupon } from '../offline/last-view';

/** One coupon full screen, for the cashier: big QR, the code in large type, validity and terms. */
export function CouponDetailView({ id }: { id: string }) {
  const { session } = useSession();
  const coupon = useLoad(
    () =>
      session.api.coupon(id).then((c) => {
        rememberCoupon(c); // an opened coupon is shown offline too (dropped again once used)
        return c;
      }),
    [id],
  );
  const back = () => (history.length > 1 ? history.back() : navigate('coupons'));
  return (
    <div class="fullscreen" data-testid="coupon-detail">
      <button class="back" onClick={back} aria-label={t.back}>
        ‹ {t.back}
      </button>
      {coupon.error ? (
        <ErrorState error={coupon.error} onRetry={coupon.reload} />
      ) : !coupon.data ? (
        <Skeleton card lines={2} />
      ) : (
        <div class={`coupon-full coupon-${coupon.data.status}`}>
          <h1 class="coupon-full-title">{coupon.data.title}</h1>
          {coupon.data.valueLabel && <div class="coupon-full-value">{coupon.data.valueLabel}</div>}
          {coupon.data.status === 'active' ? (
            <>
              <p class="hint strong">{t.coupons.showToCashier}</p>
              <QrCode value={coupon.data.code} size={220} label={`${t.coupons.code} ${coupon.data.displayCode}`} />
              <Barcode value={coupon.data.code} label={`${t.coupons.code} ${coupon.data.displayCode}`} />
            </>
          ) : (
            <div class="stamp" data-testid="coupon-stamp">
              {coupon.data.status === 'used' ? t.coupons.statusUsed : t.coupons.statusExpired}
            </div>
          )}
          <div class="code-label">{t.coupons.code}</div>
          <div class="coupon-code" data-testid="coupon-code">
            {coupon.data.displayCode}
          </div>
          <p class="coupon-date">{couponDateLine(coupon.data)}</p>
          <section class="terms">
            <h2>{t.coupons.terms}</h2>
            {/* The conditions the cashier checks, from the coupon itself (a cached copy may predate them). */}
            {(coupon.data.minSpend ?? 0) > 0 && (
              <p data-testid="coupon-min-spend">{t.coupons.minSpend(formatMoney(coupon.data.minSpend))}</p>
            )}
            {(coupon.data.stores?.length ?? 0) > 0 && (
              <p data-testid="coupon-stores">{t.coupons.storesOnly(coupon.data.stores.join('、'))}</p>
            )}
            <p>{coupon.data.terms || t.coupons.noTerms}</p>
          </section>
        </div>
      )}
    </div>
  );
}
