import { useState } from 'preact/hooks';
import type { CouponView, Wallet } from '../../../api/contracts/member';
import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { linkProps } from '../router';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { useLoad } from '../ui/use-load';
import { formatDate } from './format';
import { Icon } from '../ui/icons';
import { keepOnlyActiveCoupons } from '../offline/last-view';

type Tab = keyof Wallet;
const TABS: Tab[] = ['active', 'used', 'expired'];

/** The coupon wallet: 可使用 / 已使用 / 已過期, and the way to exchange points for more. */
export function CouponsView() {
  const { session } = useSession();
  const wallet = useLoad(() =>
    session.api.wallet().then((w) => {
      keepOnlyActiveCoupons(w.active.map((c) => c.id)); // a used or expired coupon leaves the offline card
      return w;
    }),
  );
  const [tab, setTab] = useState<Tab>('active');
  return (
    <div class="stack">
      <div class="title-row">
        <h1>{t.nav.coupons}</h1>
        <a class="btn btn-small" data-testid="open-exchange" {...linkProps('coupons/exchange')}>
          {t.coupons.exchangeOpen}
        </a>
      </div>
      <div class="tabs" role="tablist">
        {TABS.map((k) => (
          <button
            key={k}
            role="tab"
            aria-selected={tab === k}
            class={tab === k ? 'tab-btn active' : 'tab-btn'}
            data-testid={`tab-${k}`}
            onClick={() => setTab(k)}>
            {t.coupons.tabs[k]}
            {wallet.data && <span class="count">{wallet.data[k].length}</span>}
          </button>
        ))}
      </div>
      {wallet.error ? (
        <ErrorState error={wallet.error} onRetry={wallet.reload} />
      ) : !wallet.data ? (
        <Skeleton lines={4} />
      ) : wallet.data[tab].length === 0 ? (
        <EmptyState icon="ticket" text={t.coupons.empty[tab]} />
      ) : (
        <ul class="coupon-list" data-testid={`coupons-${tab}`}>
          {wallet.data[tab].map((c) => (
            <CouponItem key={c.id} coupon={c} />
          ))}
        </ul>
      )}
    </div>
  );
}

export function couponDateLine(c: CouponView): string {
  if (c.status === 'used' && c.usedAt) return t.coupons.usedAt(formatDate(c.usedAt));
  if (c.status === 'expired' && c.validUntil) return t.coupons.expiredAt(formatDate(c.validUntil));
  return c.validUntil ? t.coupons.validUntil(formatDate(c.validUntil)) : t.coupons.noExpiry;
}

function CouponItem({ coupon }: { coupon: CouponView }) {
  return (
    <li>
      <a class={`coupon coupon-${coupon.status}`} data-testid="coupon-item" {...linkProps(`coupons/${coupon.id}`)}>
        <div class="coupon-value">{coupon.valueLabel ?? <Icon name="gift" />}</div>
        <div class="coupon-body">
          <div class="coupon-title">{coupon.title}</div>
          <div class="coupon-date">{couponDateLine(coupon)}</div>
        </div>
        <span class="chev" aria-hidden="true">
          ›
        </span>
      </a>
    </li>
  );
}
