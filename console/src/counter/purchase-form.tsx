import { useState } from 'preact/hooks';
import type { CounterMember } from '../../../api/contracts/console';
import { netToPay, orderPaymentLimits, pointsValueOf } from '../../../shared/order-payment';
import { actionKey, api } from '../api/client';
import { fmtMoney, fmtNumber } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, Field, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

const whole = (s: string) => (s.trim() ? Math.max(0, Math.floor(Number(s))) || 0 : 0);

/**
 * The counter's purchase form (#16.2–3): the amount, then 「使用購物金」 and 「點數折抵」 with the member's available
 * balance, the most this order may use (the same `orderPaymentLimits` the server enforces) and what is still to pay
 * in money. The server's zh-TW refusals show under the field they concern; an unusual amount asks to confirm.
 */
export function PurchaseForm(props: { member: CounterMember; onDone: (msg: string) => void }) {
  const m = props.member;
  const tp = t.counterPay;
  const session = useSession();
  const [amount, setAmount] = useState('');
  const [credit, setCredit] = useState('');
  const [points, setPoints] = useState('');
  const [orderId, setOrderId] = useState('');
  const [key, setKey] = useState(actionKey);
  const [unusual, setUnusual] = useState<string | null>(null);
  const gross = whole(amount);
  const creditN = whole(credit);
  const pointsN = whole(points);
  const balances = { credit: m.creditBalance, points: m.pointsBalance };
  const maxCredit = orderPaymentLimits(gross, m.payment, balances, { points: pointsN }).credit;
  const pointsLimits = orderPaymentLimits(gross, m.payment, balances, { credit: creditN });
  const toPay = netToPay(gross, creditN, pointsValueOf(pointsN, m.payment));
  const record = useAction(async (confirm: boolean) => {
    try {
      const res = await api.counter.purchase({
        memberId: m.id,
        amount: Number(amount),
        key,
        ...(creditN ? { credit: creditN } : {}),
        ...(pointsN ? { points: pointsN } : {}),
        ...(orderId.trim() ? { orderId: orderId.trim() } : {}),
        ...(session.user.storeId ? { storeId: session.user.storeId } : {}),
        ...(confirm ? { confirm: true } : {}),
      });
      setAmount('');
      setCredit('');
      setPoints('');
      setOrderId('');
      setUnusual(null);
      setKey(actionKey());
      const paidWith =
        res.creditUsed || res.pointsUsed
          ? tp.paidWith(fmtMoney(res.creditUsed), fmtNumber(res.pointsUsed), fmtMoney(res.netPaid))
          : '';
      props.onDone(t.counter.purchaseDone(fmtMoney(res.grossAmount), fmtNumber(res.pointsEarned)) + paidWith);
    } catch (e) {
      if ((e as { code?: string }).code === 'needs_confirmation') setUnusual((e as Error).message);
      throw e;
    }
  });
  const fields = record.error?.fields ?? {};
  return (
    <Card title={t.counter.purchase} testId="counter-purchase">
      <form
        class="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          void record.run(false);
        }}>
        <Field label={t.counter.amount} error={fields.amount}>
          <input
            name="amount"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            required
            value={amount}
            onInput={(e) => {
              setAmount(valueOf(e));
              setUnusual(null);
              record.setError(null);
            }}
          />
        </Field>
        <Field
          label={tp.credit}
          error={fields.credit}
          hint={tp.creditHint(fmtMoney(m.creditBalance), fmtMoney(maxCredit))}>
          <input
            name="credit"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            disabled={m.creditBalance <= 0}
            value={credit}
            onInput={(e) => {
              setCredit(valueOf(e));
              record.setError(null);
            }}
          />
        </Field>
        {m.payment.pointsPayment.enabled ? (
          <Field
            label={tp.points}
            error={fields.points}
            hint={tp.pointsHint(
              fmtNumber(m.pointsBalance),
              fmtNumber(pointsLimits.points),
              fmtNumber(pointsLimits.pointsStep),
            )}>
            <input
              name="points"
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              disabled={m.pointsBalance <= 0}
              value={points}
              onInput={(e) => {
                setPoints(valueOf(e));
                record.setError(null);
              }}
            />
          </Field>
        ) : (
          <p class="muted small">{tp.pointsOff}</p>
        )}
        <p class="counter-to-pay" data-testid="counter-to-pay">
          {tp.toPay} <strong>{fmtMoney(Math.max(0, toPay))}</strong>
        </p>
        <Field label={t.counter.orderId} error={fields.orderId}>
          <input name="orderId" maxLength={60} value={orderId} onInput={(e) => setOrderId(valueOf(e))} />
        </Field>
        {record.error && !Object.keys(fields).length && <ErrorBanner error={record.error} />}
        <button type="submit" class="btn btn-primary" disabled={record.busy || !amount}>
          {t.counter.recordPurchase}
        </button>
        {unusual && (
          <button type="button" class="btn" disabled={record.busy} onClick={() => void record.run(true)}>
            {t.counterDesk.confirmUnusual}
          </button>
        )}
      </form>
    </Card>
  );
}
