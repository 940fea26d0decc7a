import { StampsCard } from '../members/stamps-card';
import { useRef, useState } from 'preact/hooks';
import { AdjustCreditForm } from '../members/credit-card';
import { PurchaseForm } from '../counter/purchase-form';
import type { CounterLookup, CounterMember, CouponView } from '../../../api/contracts/console';
import { api } from '../api/client';
import { cameraAvailable, QrScanner } from '../counter/qr-scanner';
import { RedeemButton } from '../counter/coupon-redeem';
import { TodayList } from '../counter/today-list';
import { fmtDate, fmtMoney, fmtNumber } from '../format';
import { t } from '../i18n';
import { AdjustPointsForm } from '../members/points-card';
import { useSession } from '../session';
import { Badge, Card, ErrorBanner, Notice, PageHeader, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

/** The counter in one screen: scan or type → see who/what → redeem, record a purchase or adjust points. */
export default function CounterPage() {
  const [code, setCode] = useState('');
  const [scanning, setScanning] = useState(false);
  const [result, setResult] = useState<CounterLookup | null>(null);
  const [message, setMessage] = useState('');
  const [version, setVersion] = useState(0);
  // Anything done on the page is news for today's list.
  const say = (msg: string) => {
    setMessage(msg);
    setVersion((v) => v + 1);
  };
  const input = useRef<HTMLInputElement>(null);
  const lookup = useAction(async (value: string) => {
    setMessage('');
    setResult(await api.counter.lookup(value));
  });
  const refreshMember = async (memberId: string) => {
    const { member } = await api.counter.member(memberId);
    setResult({ kind: 'member', member });
  };
  const clear = () => {
    setResult(null);
    setCode('');
    setMessage('');
    input.current?.focus();
  };
  return (
    <div class="counter-page">
      <PageHeader title={t.counter.title}>
        {result && (
          <button type="button" class="btn" onClick={clear}>
            {t.counter.clear}
          </button>
        )}
      </PageHeader>
      <Card>
        <form
          class="counter-lookup"
          onSubmit={(e) => {
            e.preventDefault();
            if (code.trim()) void lookup.run(code);
          }}>
          <input
            ref={input}
            name="code"
            autoFocus
            inputMode="text"
            autocomplete="off"
            placeholder={t.counter.scanOrType}
            value={code}
            onInput={(e) => setCode(valueOf(e))}
            aria-label={t.counter.scanOrType}
          />
          <button type="submit" class="btn btn-primary btn-large" disabled={lookup.busy}>
            {t.counter.lookup}
          </button>
          {cameraAvailable() && (
            <button type="button" class="btn btn-large" onClick={() => setScanning(!scanning)}>
              {scanning ? t.counter.stopScan : t.counter.scan}
            </button>
          )}
        </form>
        {scanning && (
          <QrScanner
            onClose={() => setScanning(false)}
            onCode={(c) => {
              setScanning(false);
              setCode(c);
              void lookup.run(c);
            }}
          />
        )}
        <ErrorBanner error={lookup.error} />
      </Card>
      {message && (
        <Notice kind="ok">
          <strong data-testid="counter-message">{message}</strong>
        </Notice>
      )}
      {result?.kind === 'coupon' && (
        <CouponResult
          coupon={result.coupon}
          member={result.member}
          onRedeemed={(msg, memberId) => {
            say(msg);
            if (memberId) void refreshMember(memberId);
          }}
        />
      )}
      {result?.kind === 'member' && (
        <MemberResult member={result.member} onMessage={say} onChanged={() => void refreshMember(result.member.id)} />
      )}
      <TodayList version={version} onChanged={say} />
    </div>
  );
}

function MemberSummary({ m }: { m: CounterMember }) {
  return (
    <div class="counter-member" data-testid="counter-member">
      <span class="avatar avatar-large">{(m.name || m.displayName || '?').slice(0, 1)}</span>
      <div>
        <strong class="counter-name">{m.name || m.displayName}</strong>
        <div class="muted">
          <span class="mono">{m.memberCode}</span>
          {m.phoneMasked && (
            <>
              {' '}
              · <span class="mono">{m.phoneMasked}</span>
            </>
          )}
        </div>
      </div>
      <div class="stat">
        <span class="stat-label">{t.counter.tier}</span>
        <strong class="stat-value">{m.tier.label}</strong>
      </div>
      <div class="stat">
        <span class="stat-label">{t.counter.points}</span>
        <strong class="stat-value" data-testid="counter-points">
          {fmtNumber(m.pointsBalance)}
        </strong>
      </div>
      <div class="stat">
        <span class="stat-label">{t.counterPay.creditBalance}</span>
        <strong class="stat-value" data-testid="counter-credit">
          {fmtMoney(m.creditBalance)}
        </strong>
      </div>
    </div>
  );
}

function CouponLine({ c, action }: { c: CouponView; action?: preact.ComponentChildren }) {
  return (
    <li class="counter-coupon">
      <div>
        <strong>{c.title}</strong> <Badge tone="teal">{c.valueLabel}</Badge>
        <small class="muted block">
          <span class="mono">{c.displayCode}</span> · {t.counter.validUntil(fmtDate(c.validUntil))}
          {c.minSpend > 0 && ` · ${t.counter.minSpend(fmtMoney(c.minSpend))}`}
        </small>
      </div>
      {action}
    </li>
  );
}

function CouponResult(props: {
  coupon: CouponView;
  member: CounterMember | null;
  onRedeemed: (msg: string, memberId?: string) => void;
}) {
  const c = props.coupon;
  const session = useSession();
  const reverse = useAction(async () => {
    await api.counter.reverse({ couponId: c.id });
    props.onRedeemed(t.counter.reversed, props.member?.id);
  });
  return (
    <Card title={`${t.nav.coupons}：${c.title}`} testId="counter-coupon">
      <ul class="coupon-list">
        <CouponLine
          c={c}
          action={
            c.state === 'active' ? (
              <RedeemButton coupon={c} onDone={(msg) => props.onRedeemed(msg, props.member?.id)} />
            ) : (
              <span>
                <Badge tone="red">
                  {t.counter.couponState[c.state]}
                  {c.usedAt ? ` ${fmtDate(c.usedAt)}` : ''}
                </Badge>
                {c.state === 'used' && session.can('coupons.reverse') && (
                  <button
                    type="button"
                    class="btn btn-small btn-ghost"
                    disabled={reverse.busy}
                    onClick={() => void reverse.run()}>
                    {t.counter.reverse}
                  </button>
                )}
              </span>
            )
          }
        />
      </ul>
      <ErrorBanner error={reverse.error} />
      {props.member && (
        <>
          <h3>{t.counter.couponFor}</h3>
          <MemberSummary m={props.member} />
        </>
      )}
    </Card>
  );
}

function MemberResult(props: { member: CounterMember; onMessage: (m: string) => void; onChanged: () => void }) {
  const m = props.member;
  const session = useSession();
  return (
    <div class="grid grid-2">
      <Card title={t.counter.member}>
        <MemberSummary m={m} />
        <h3>{t.counter.activeCoupons}</h3>
        <ul class="coupon-list">
          {m.activeCoupons.map((c) => (
            <CouponLine
              key={c.id}
              c={c}
              action={
                <RedeemButton
                  coupon={c}
                  onDone={(msg) => {
                    props.onMessage(msg);
                    props.onChanged();
                  }}
                />
              }
            />
          ))}
          {m.activeCoupons.length === 0 && <li class="muted">{t.counter.noCoupons}</li>}
        </ul>
      </Card>
      <div class="stack">
        <PurchaseForm
          member={m}
          onDone={(msg) => {
            props.onMessage(msg);
            props.onChanged();
          }}
        />
        <StampsCard memberId={m.id} />
        {session.can('points.adjust') && (
          <Card title={t.counter.adjust}>
            <AdjustPointsForm memberId={m.id} viaCounter onDone={() => props.onChanged()} />
          </Card>
        )}
        {session.can('points.adjust') && (
          <Card title={t.counterPay.adjustCredit} testId="counter-adjust-credit">
            <AdjustCreditForm memberId={m.id} viaCounter onDone={() => props.onChanged()} />
          </Card>
        )}
      </div>
    </div>
  );
}
