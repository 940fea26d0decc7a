import { useState } from 'preact/hooks';
import type { ExchangeOffer, ExchangeResult } from '../../../api/contracts/member';
import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { navigate } from '../router';
import { Dialog } from '../ui/dialog';
import { EmptyState, ErrorState, InlineError, Skeleton } from '../ui/states';
import { asApiError, useLoad } from '../ui/use-load';
import { formatDate, formatPoints, requestId } from './format';

/** Points → coupon: pick an offer, confirm (cost and balance after), see the result and open the new coupon. */
export function ExchangeView() {
  const { session } = useSession();
  const offers = useLoad(() => session.api.offers());
  const [picked, setPicked] = useState<{ offer: ExchangeOffer; requestId: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ExchangeResult | null>(null);

  const confirm = async () => {
    if (!picked) return;
    setBusy(true);
    setError(null);
    try {
      const result = await session.api.exchange({ templateId: picked.offer.templateId, requestId: picked.requestId });
      setPicked(null);
      setDone(result);
      offers.reload();
    } catch (err) {
      setError(asApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  if (offers.error) return <ErrorState error={offers.error} onRetry={offers.reload} />;
  if (!offers.data) return <Skeleton lines={4} />;
  const balance = offers.data.pointsBalance;
  return (
    <div class="stack" data-testid="exchange">
      <button class="back" onClick={() => navigate('coupons')}>
        ‹ {t.nav.coupons}
      </button>
      <h1>{t.coupons.exchangeTitle}</h1>
      <p class="muted" data-testid="exchange-balance">
        {t.coupons.yourPoints(balance)}
      </p>
      {offers.data.offers.length === 0 ? (
        <EmptyState icon="star" text={t.coupons.exchangeEmpty} />
      ) : (
        <ul class="offer-list">
          {offers.data.offers.map((o) => (
            <li key={o.templateId} class="offer" data-testid="offer">
              <div class="grow">
                <div class="coupon-title">{o.title}</div>
                {o.valueLabel && <div class="muted">{o.valueLabel}</div>}
                {o.validDays ? (
                  <div class="muted small">{t.coupons.validDays(o.validDays)}</div>
                ) : (
                  o.validUntil && <div class="muted small">{t.coupons.validUntil(formatDate(o.validUntil))}</div>
                )}
                {o.unavailableReason && (
                  <div class="small warn" data-testid="offer-unavailable">
                    {o.unavailableReason}
                  </div>
                )}
              </div>
              <div class="offer-side">
                <div class="offer-cost">{t.coupons.exchangeCost(o.pointsCost)}</div>
                <button
                  class="btn btn-small"
                  disabled={!o.affordable}
                  data-testid="exchange-button"
                  onClick={() => {
                    setError(null);
                    setPicked({ offer: o, requestId: requestId() });
                  }}>
                  {o.affordable
                    ? t.coupons.exchangeAction
                    : o.unavailableReason
                      ? t.coupons.unavailable
                      : t.coupons.notEnough}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {picked && (
        <Dialog
          title={t.coupons.exchangeConfirmTitle}
          onClose={() => !busy && setPicked(null)}
          testId="exchange-confirm">
          <p>
            {t.coupons.exchangeConfirmBody(
              picked.offer.title,
              picked.offer.pointsCost,
              balance - picked.offer.pointsCost,
            )}
          </p>
          <InlineError message={error} />
          <div class="actions">
            <button class="btn btn-secondary" disabled={busy} onClick={() => setPicked(null)}>
              {t.cancel}
            </button>
            <button class="btn" disabled={busy} data-testid="exchange-confirm-button" onClick={confirm}>
              {busy ? t.coupons.exchanging : t.confirm}
            </button>
          </div>
        </Dialog>
      )}
      {done && (
        <Dialog title={t.coupons.exchangeDone} onClose={() => setDone(null)} testId="exchange-done">
          <p>{t.coupons.exchangeDoneBody(done.coupon.title, done.pointsBalance)}</p>
          <p class="muted">
            {formatPoints(done.pointsBalance)} {t.card.pointsUnit}
          </p>
          <div class="actions">
            <button class="btn btn-secondary" onClick={() => setDone(null)}>
              {t.close}
            </button>
            <button class="btn" data-testid="view-new-coupon" onClick={() => navigate(`coupons/${done.coupon.id}`)}>
              {t.coupons.viewCoupon}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
