import { useState } from 'preact/hooks';
import type { CouponView } from '../../../api/contracts/console';
import { actionKey, api } from '../api/client';
import { fmtDate, fmtDateTime, fmtMoney } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { ErrorBanner, Field, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

/** The coupon's terms as staff read them to the member: minimum spend, stores, validity, free text. */
export function CouponTerms({ c }: { c: CouponView }) {
  return (
    <dl class="coupon-terms" data-testid="coupon-terms">
      <dt>{t.counterDesk.terms}</dt>
      <dd>
        {c.minSpend > 0 && <span class="block">{t.counter.minSpend(fmtMoney(c.minSpend))}</span>}
        <span class="block">
          {c.storeIds.length ? t.counterDesk.stores(c.storeIds.join('、')) : t.counterDesk.allStores}
        </span>
        <span class="block">{t.counterDesk.validity(fmtDate(c.validFrom), fmtDate(c.validUntil))}</span>
        {c.terms && <span class="block muted">{c.terms}</span>}
      </dd>
    </dl>
  );
}

/**
 * Redeem at the counter (#16.5): the order amount when the coupon has a minimum spend (the server refuses below
 * it), optionally recorded as the linked purchase; an unusual amount asks once more; then an undo button for the
 * 10 minutes the redeeming staff may take it back.
 */
export function RedeemButton(props: { coupon: CouponView; onDone: (msg: string) => void }) {
  const session = useSession();
  const c = props.coupon;
  const [amount, setAmount] = useState('');
  const [withPurchase, setWithPurchase] = useState(false);
  const [key, setKey] = useState(actionKey);
  const [unusual, setUnusual] = useState<string | null>(null);
  const [undoable, setUndoable] = useState<{ until: string } | null>(null);
  const redeem = useAction(async (confirm: boolean) => {
    const orderAmount = amount.trim() ? Number(amount) : undefined;
    try {
      const res = await api.counter.redeem({
        code: c.code,
        storeId: session.user.storeId,
        key,
        ...(orderAmount !== undefined ? { orderAmount } : {}),
        ...(withPurchase ? { recordPurchase: true } : {}),
        ...(confirm ? { confirm: true } : {}),
      });
      setUnusual(null);
      setKey(actionKey());
      if (res.undoUntil) setUndoable({ until: res.undoUntil });
      props.onDone(
        res.purchase
          ? t.counterDesk.redeemedWithPurchase(res.coupon.title, fmtMoney(res.purchase.amount))
          : t.counter.redeemed(res.coupon.title),
      );
    } catch (e) {
      if ((e as { code?: string }).code === 'needs_confirmation')
        setUnusual((e as Error & { message: string }).message);
      throw e;
    }
  });
  const undo = useAction(async () => {
    const res = await api.counter.undo(c.id);
    setUndoable(null);
    props.onDone(t.counterDesk.undone(res.coupon.title));
  });
  if (undoable)
    return (
      <span class="counter-undo">
        <button type="button" class="btn btn-small" disabled={undo.busy} onClick={() => void undo.run()}>
          {t.counterDesk.undo}
        </button>
        <small class="muted">{t.counterDesk.undoUntil(fmtDateTime(undoable.until))}</small>
        <ErrorBanner error={undo.error} />
      </span>
    );
  return (
    <form
      class="counter-redeem"
      onSubmit={(e) => {
        e.preventDefault();
        void redeem.run(false);
      }}>
      <CouponTerms c={c} />
      <Field label={t.counterDesk.orderAmount} error={redeem.error?.fields.orderAmount}>
        <input
          name="orderAmount"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required={c.minSpend > 0}
          placeholder={c.minSpend > 0 ? t.counterDesk.orderAmountNeeded(fmtMoney(c.minSpend)) : ''}
          value={amount}
          onInput={(e) => setAmount(valueOf(e))}
        />
      </Field>
      <label class="check">
        <input
          type="checkbox"
          name="recordPurchase"
          checked={withPurchase}
          onChange={(e) => setWithPurchase((e.target as HTMLInputElement).checked)}
        />{' '}
        {t.counterDesk.recordWithPurchase}
      </label>
      <button type="submit" class="btn btn-primary" disabled={redeem.busy || (withPurchase && !amount)}>
        {t.counter.redeem}
      </button>
      {unusual ? (
        <button type="button" class="btn" disabled={redeem.busy} onClick={() => void redeem.run(true)}>
          {t.counterDesk.confirmUnusual}
        </button>
      ) : null}
      {redeem.error && !Object.keys(redeem.error.fields).length && <ErrorBanner error={redeem.error} />}
    </form>
  );
}
