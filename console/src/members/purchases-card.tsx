import { useState } from 'preact/hooks';
import type { MemberPurchaseRow } from '../../../api/contracts/console';
import { actionKey, api } from '../api/client';
import { fmtDateTime, fmtMoney, fmtNumber } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Badge, Card, ErrorBanner, Field, Modal, Pager, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

/**
 * The member's orders on the member page (#16): total, what was paid with 購物金 and points, status; whoever may
 * refund (`purchases.refund`) refunds one in full or in part after a zh-TW confirmation.
 */
export function PurchasesCard(props: { memberId: string; revision: number; onChanged: () => void }) {
  const tr = t.memberPurchases;
  const session = useSession();
  const [page, setPage] = useState(1);
  const [refunding, setRefunding] = useState<MemberPurchaseRow | null>(null);
  const list = useLoad(() => api.members.purchases(props.memberId, page), [props.memberId, page, props.revision]);
  return (
    <Card title={tr.title} testId="member-purchases">
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {!list.data ? (
        <Spinner />
      ) : list.data.total === 0 ? (
        <p class="muted small">{tr.empty}</p>
      ) : (
        <ul class="ledger purchase-list">
          {list.data.items.map((p) => (
            <li key={p.id} data-testid="member-purchase" data-status={p.voided ? 'voided' : p.status}>
              <div>
                <strong>{fmtMoney(p.grossAmount)}</strong>{' '}
                <span class="mono small muted">{p.orderId.startsWith('counter-') ? tr.counterOrder : p.orderId}</span>{' '}
                {p.voided ? (
                  <Badge tone="red">{tr.voided}</Badge>
                ) : p.status !== 'completed' ? (
                  <Badge tone={p.status === 'refunded' ? 'red' : 'amber'}>{tr.status[p.status]}</Badge>
                ) : null}
                {(p.creditUsed > 0 || p.pointsUsed > 0) && (
                  <small class="muted block">
                    {tr.paidWith(fmtMoney(p.creditUsed), fmtNumber(p.pointsUsed), fmtMoney(p.netPaid))}
                  </small>
                )}
              </div>
              <div class="purchase-side">
                <small class="muted">{fmtDateTime(p.at)}</small>
                {session.can('purchases.refund') && p.refundable > 0 && (
                  <button type="button" class="btn btn-small" onClick={() => setRefunding(p)}>
                    {tr.refund}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {list.data && list.data.total > list.data.pageSize && (
        <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
      )}
      {refunding && (
        <RefundDialog
          purchase={refunding}
          asCreditAllowed={list.data?.refundAsCredit ?? false}
          onClose={() => setRefunding(null)}
          onDone={() => {
            setRefunding(null);
            list.reload();
            props.onChanged();
          }}
        />
      )}
    </Card>
  );
}

/** Amount (all that is left by default) and a reason, then 確定退款: the refund use case gives back through the ledgers. */
function RefundDialog(props: {
  purchase: MemberPurchaseRow;
  asCreditAllowed: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const tr = t.memberPurchases;
  const p = props.purchase;
  const [amount, setAmount] = useState(String(p.refundable));
  const [reason, setReason] = useState('');
  const [asCredit, setAsCredit] = useState(false);
  const [key] = useState(actionKey);
  const [done, setDone] = useState<string | null>(null);
  const submit = useAction(async () => {
    const n = Number(amount);
    const res = await api.purchases.refund(p.id, {
      ...(n === p.refundable ? {} : { amount: n }),
      reason,
      key,
      ...(asCredit ? { refundAs: 'credit' as const } : {}),
    });
    const r = res.refund;
    setDone(
      tr.done(
        fmtMoney(r.amount),
        fmtMoney(r.creditReturned),
        fmtNumber(r.pointsReturned),
        fmtNumber(r.pointsReversed),
      ) + (r.creditGranted ? tr.grantedAsCredit(fmtMoney(r.creditGranted)) : ''),
    );
  });
  return (
    <Modal title={tr.dialogTitle} onClose={done ? props.onDone : props.onClose}>
      {done ? (
        <>
          <p class="ok" role="status" data-testid="refund-done">
            {done}
          </p>
          <button type="button" class="btn btn-primary" onClick={props.onDone}>
            {t.common.close}
          </button>
        </>
      ) : (
        <form
          class="stack-form"
          data-testid="refund-dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void submit.run();
          }}>
          <p>{tr.confirm(fmtMoney(p.grossAmount), fmtMoney(p.refundable))}</p>
          {(p.creditUsed > 0 || p.pointsUsed > 0) && <p class="muted small">{tr.givesBack}</p>}
          <Field label={tr.amount} error={submit.error?.fields.amount}>
            <input
              name="refundAmount"
              type="number"
              inputMode="decimal"
              step="0.01"
              required
              value={amount}
              onInput={(e) => setAmount(valueOf(e))}
            />
          </Field>
          <Field label={tr.reason} error={submit.error?.fields.reason}>
            <input name="refundReason" required maxLength={200} value={reason} onInput={(e) => setReason(valueOf(e))} />
          </Field>
          {props.asCreditAllowed && (
            <label class="check">
              <input
                type="checkbox"
                name="refundAsCredit"
                checked={asCredit}
                onChange={(e) => setAsCredit((e.target as HTMLInputElement).checked)}
              />{' '}
              {tr.asCredit}
            </label>
          )}
          {submit.error && !Object.keys(submit.error.fields).length && <ErrorBanner error={submit.error} />}
          <div class="actions">
            <button type="button" class="btn" onClick={props.onClose}>
              {t.common.cancel}
            </button>
            <button type="submit" class="btn btn-danger" disabled={submit.busy || !amount || !reason.trim()}>
              {tr.submit}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
