import { useState } from 'preact/hooks';
import type { CouponView, MemberDetail } from '../../../api/contracts/console';
import { actionKey, api } from '../api/client';
import { fmtDate } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Badge, Card, ErrorBanner, Tabs } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

type WalletTab = 'active' | 'used' | 'expired';

export function CouponsCard(props: { member: MemberDetail; onChanged: () => void }) {
  const session = useSession();
  const [tab, setTab] = useState<WalletTab>('active');
  const list: CouponView[] = props.member.wallet[tab];
  return (
    <Card title={t.member.coupons} testId="member-coupons">
      <Tabs<WalletTab>
        tabs={[
          ['active', `${t.member.couponsActive} ${props.member.wallet.active.length}`],
          ['used', `${t.member.couponsUsed} ${props.member.wallet.used.length}`],
          ['expired', `${t.member.couponsExpired} ${props.member.wallet.expired.length}`],
        ]}
        active={tab}
        onChange={setTab}
      />
      <ul class="coupon-list">
        {list.map((c) => (
          <li key={c.id}>
            <div>
              <strong>{c.title}</strong> <Badge tone="teal">{c.valueLabel}</Badge>
            </div>
            <small class="muted">
              <span class="mono">{c.displayCode}</span> ·{' '}
              {c.state === 'used'
                ? `${t.counter.couponState.used} ${fmtDate(c.usedAt)}`
                : t.counter.validUntil(fmtDate(c.validUntil))}
            </small>
          </li>
        ))}
        {list.length === 0 && <li class="muted">{t.common.none}</li>}
      </ul>
      {session.can('coupons.manage') && <IssueCouponForm memberId={props.member.id} onDone={props.onChanged} />}
    </Card>
  );
}

function IssueCouponForm(props: { memberId: string; onDone: () => void }) {
  const templates = useLoad(() => api.coupons.templates(), []);
  const [templateId, setTemplateId] = useState('');
  const issue = useAction(async () => {
    await api.coupons.issue(templateId, { memberId: props.memberId, key: actionKey(), notify: true });
    setTemplateId('');
    props.onDone();
  });
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void issue.run();
      }}>
      <select
        name="templateId"
        value={templateId}
        onChange={(e) => setTemplateId(e.currentTarget.value)}
        aria-label={t.member.issueCoupon}>
        <option value="">{t.member.issueCoupon}…</option>
        {templates.data?.templates.map((x) => (
          <option key={x.id} value={x.id}>
            {x.title}（{x.valueLabel}）
          </option>
        ))}
      </select>
      <button type="submit" class="btn" disabled={!templateId || issue.busy}>
        {t.coupons.issue}
      </button>
      <ErrorBanner error={issue.error} />
    </form>
  );
}
