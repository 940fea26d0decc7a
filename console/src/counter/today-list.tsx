import type { CounterTodayRow } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Badge, Card, ErrorBanner, Spinner } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

/**
 * Today's transactions at the staff's store (#16.5): purchases, redemptions and adjustments, with void and undo
 * where the server says the viewer may. `version` changes after anything done on the page, to reload.
 */
export function TodayList(props: { version: number; onChanged: (msg: string) => void }) {
  const session = useSession();
  const storeId = session.user.storeId;
  const today = useLoad(() => api.counter.today(storeId), [storeId, props.version]);
  const act = useAction(async (row: CounterTodayRow) => {
    if (row.kind === 'purchase') {
      const reason = window.prompt(t.counterDesk.voidPrompt);
      if (!reason) return;
      await api.counter.voidPurchase(row.id, reason);
      props.onChanged(t.counterDesk.voided);
    } else {
      const res = await api.counter.undo(row.id);
      props.onChanged(t.counterDesk.undone(res.coupon.title));
    }
    today.reload();
  });
  if (!storeId && !session.can('counter.any-store')) return null;
  return (
    <Card title={t.counterDesk.today} testId="counter-today">
      <ErrorBanner error={today.error ?? act.error} />
      {!today.data ? (
        <Spinner />
      ) : today.data.rows.length === 0 ? (
        <p class="muted">{t.counterDesk.todayEmpty}</p>
      ) : (
        <ul class="today-list">
          {today.data.rows.map((r) => (
            <li key={`${r.kind}:${r.id}`} class={`today-row today-${r.kind}`} data-status={r.status}>
              <Badge tone="teal">{t.counterDesk.kind[r.kind]}</Badge>
              <span>{r.label}</span>
              <small class="muted">
                {r.member ? `${r.member.name}（${r.member.memberCode}）` : ''} · {fmtDateTime(r.at)}
              </small>
              {t.counterDesk.status[r.status] && <Badge tone="red">{t.counterDesk.status[r.status]}</Badge>}
              {r.canVoid && (
                <button type="button" class="btn btn-small" disabled={act.busy} onClick={() => void act.run(r)}>
                  {t.counterDesk.void}
                </button>
              )}
              {r.canUndo && (
                <button type="button" class="btn btn-small" disabled={act.busy} onClick={() => void act.run(r)}>
                  {t.counterDesk.undo}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
