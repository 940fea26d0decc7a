import { useState } from 'preact/hooks';
import type { MemberDetail } from '../../../api/contracts/console';
import { actionKey, api } from '../api/client';
import { fmtDate, fmtDateTime, fmtNumber } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, Field, Pager, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

export function PointsCard(props: { member: MemberDetail; onChanged: () => void }) {
  const session = useSession();
  const m = props.member;
  const [page, setPage] = useState(1);
  const history = useLoad(() => api.members.points(m.id, page), [m.id, page, m.points.balance]);
  return (
    <Card title={t.member.points} testId="member-points">
      <div class="points-big">
        <strong>{fmtNumber(m.points.balance)}</strong>
        <span>{t.units.points}</span>
      </div>
      {m.points.soonestExpiring && (
        <p class="muted small">
          {t.member.expiring(fmtNumber(m.points.soonestExpiring.points), fmtDate(m.points.soonestExpiring.expiresAt))}
        </p>
      )}
      {session.can('points.adjust') && <AdjustPointsForm memberId={m.id} onDone={props.onChanged} />}
      <h3>{t.member.pointsHistory}</h3>
      {!history.data ? (
        <Spinner />
      ) : (
        <>
          <ul class="ledger">
            {history.data.items.map((e) => (
              <li key={e.id}>
                <span class={e.delta > 0 ? 'plus' : 'minus'}>
                  {e.delta > 0 ? '+' : ''}
                  {fmtNumber(e.delta)}
                </span>
                <span>
                  {e.reasonLabel}
                  {e.note ? `：${e.note}` : ''}
                </span>
                <small class="muted">{fmtDateTime(e.at)}</small>
              </li>
            ))}
          </ul>
          {history.data.total > history.data.pageSize && (
            <Pager
              page={history.data.page}
              pageSize={history.data.pageSize}
              total={history.data.total}
              onPage={setPage}
            />
          )}
        </>
      )}
    </Card>
  );
}

/** Manual points with a required reason; the key makes a double click adjust once. Shared with the counter. */
export function AdjustPointsForm(props: { memberId: string; onDone: (balance: number) => void; viaCounter?: boolean }) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [key, setKey] = useState(actionKey);
  const [done, setDone] = useState<string | null>(null);
  const submit = useAction(async () => {
    const body = { delta: Number(delta), reason, key };
    const res = props.viaCounter
      ? await api.counter.adjustPoints({ memberId: props.memberId, ...body })
      : await api.members.adjustPoints(props.memberId, body);
    setDone(
      res.pendingApproval
        ? t.counterDesk.pendingApproval(fmtNumber(res.pendingApproval.delta), fmtNumber(res.pendingApproval.cap))
        : t.counter.adjustDone(fmtNumber(res.balance)),
    );
    setDelta('');
    setReason('');
    setKey(actionKey());
    props.onDone(res.balance);
  });
  return (
    <form
      class="adjust-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}
      data-testid="adjust-points">
      <Field label={t.member.delta} error={submit.error?.fields.delta}>
        <input
          name="delta"
          type="number"
          step="1"
          required
          value={delta}
          onInput={(e) => {
            setDelta(valueOf(e));
            setDone(null);
          }}
        />
      </Field>
      <Field label={t.member.reason} error={submit.error?.fields.reason}>
        <input name="reason" required maxLength={200} value={reason} onInput={(e) => setReason(valueOf(e))} />
      </Field>
      <button type="submit" class="btn" disabled={submit.busy || !delta || !reason.trim()}>
        {t.member.adjustPoints}
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
