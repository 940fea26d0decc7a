import { useState } from 'preact/hooks';
import { actionKey, api } from '../api/client';
import { fmtDate, fmtDateTime, fmtMoney } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, Field, Pager, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

/** 購物金 on the member page (#16.2): balance, soonest expiry, the ledger (paged) and the manual form. */
export function CreditCard(props: { memberId: string; onChanged: () => void; revision?: number }) {
  const session = useSession();
  const [page, setPage] = useState(1);
  const [revision, setRevision] = useState(0);
  const data = useLoad(
    () => api.members.credit(props.memberId, page),
    [props.memberId, page, revision, props.revision],
  );
  const tc = t.memberCredit;
  return (
    <Card title={tc.title} testId="member-credit">
      {!data.data ? (
        <Spinner />
      ) : (
        <>
          <div class="points-big">
            <strong>{fmtMoney(data.data.balance)}</strong>
          </div>
          {data.data.soonestExpiring && (
            <p class="muted small">
              {tc.expiring(fmtMoney(data.data.soonestExpiring.amount), fmtDate(data.data.soonestExpiring.expiresAt))}
            </p>
          )}
          {session.can('points.adjust') && (
            <AdjustCreditForm
              memberId={props.memberId}
              onDone={() => {
                setRevision((r) => r + 1);
                props.onChanged();
              }}
            />
          )}
          <h3>{tc.history}</h3>
          {data.data.total === 0 && <p class="muted small">{tc.noHistory}</p>}
          <ul class="ledger">
            {data.data.items.map((e) => (
              <li key={e.id}>
                <span class={e.delta > 0 ? 'plus' : 'minus'}>
                  {e.delta > 0 ? '+' : '−'}
                  {fmtMoney(Math.abs(e.delta))}
                </span>
                <span>
                  {tc.reasons[e.reason] ?? e.reason}
                  {e.note ? `：${e.note}` : ''}
                  {e.expiresAt ? `（${tc.until(fmtDate(e.expiresAt))}）` : ''}
                </span>
                <small class="muted">{fmtDateTime(e.at)}</small>
              </li>
            ))}
          </ul>
          {data.data.total > data.data.pageSize && (
            <Pager page={data.data.page} pageSize={data.data.pageSize} total={data.data.total} onPage={setPage} />
          )}
        </>
      )}
      <ErrorBanner error={data.error} />
    </Card>
  );
}

/** Manual grant/deduction with a required reason; the key makes a double click one entry. Shared with the counter. */
export function AdjustCreditForm(props: { memberId: string; onDone: () => void; viaCounter?: boolean }) {
  const tc = t.memberCredit;
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [key, setKey] = useState(actionKey);
  const [done, setDone] = useState<string | null>(null);
  const submit = useAction(async () => {
    const body = { delta: Number(delta), reason, key, ...(expiresOn ? { expiresOn } : {}) };
    const res = props.viaCounter
      ? await api.counter.adjustCredit({ memberId: props.memberId, ...body })
      : await api.members.adjustCredit(props.memberId, body);
    setDone(
      res.pendingApproval
        ? tc.pending(fmtMoney(res.pendingApproval.delta), fmtMoney(res.pendingApproval.cap))
        : tc.done(fmtMoney(res.balance)),
    );
    setDelta('');
    setReason('');
    setExpiresOn('');
    setKey(actionKey());
    props.onDone();
  });
  return (
    <form
      class="adjust-form"
      data-testid="adjust-credit"
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}>
      <Field label={tc.delta} error={submit.error?.fields.delta}>
        <input name="delta" type="number" step="1" required value={delta} onInput={(e) => setDelta(valueOf(e))} />
      </Field>
      <Field label={t.member.reason} error={submit.error?.fields.reason}>
        <input name="reason" required maxLength={200} value={reason} onInput={(e) => setReason(valueOf(e))} />
      </Field>
      <Field label={tc.expiresOn} error={submit.error?.fields.expiresOn}>
        <input name="expiresOn" type="date" value={expiresOn} onInput={(e) => setExpiresOn(valueOf(e))} />
      </Field>
      <button type="submit" class="btn" disabled={submit.busy || !delta || !reason.trim()}>
        {tc.submit}
      </button>
      {submit.error && !Object.keys(submit.error.fields).length && <ErrorBanner error={submit.error} />}
      {done && (
        <p class="ok small" role="status">
          {done}
        </p>
      )}
    </form>
  );
}
