import { api } from '../api/client';
import { fmtDateTime, fmtMoney, fmtNumber } from '../format';
import { t } from '../i18n';
import { Card, Empty, Link, ErrorBanner, Notice, PageHeader, Spinner } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { useState } from 'preact/hooks';

/** Manual points adjustments held over a role's cap (#16.5): an admin approves (applied once) or rejects. */
export default function ApprovalsPage() {
  const list = useLoad(() => api.approvals.list('pending'), []);
  const [message, setMessage] = useState('');
  const decide = useAction(async (id: string, approve: boolean) => {
    if (approve) await api.approvals.approve(id);
    else await api.approvals.reject(id);
    setMessage(approve ? t.approvals.approved : t.approvals.rejected);
    list.reload();
  });
  return (
    <div>
      <PageHeader title={t.approvals.title} />
      {message && (
        <Notice kind="ok">
          <span data-testid="approvals-message">{message}</span>
        </Notice>
      )}
      <ErrorBanner error={list.error ?? decide.error} />
      <Card testId="approvals">
        {!list.data ? (
          <Spinner />
        ) : list.data.approvals.length === 0 ? (
          <Empty>{t.approvals.empty}</Empty>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>{t.approvals.member}</th>
                <th>{t.approvals.delta}</th>
                <th>{t.approvals.reason}</th>
                <th>{t.approvals.requestedBy}</th>
                <th>{t.approvals.requestedAt}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.approvals.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link href={`/members/${a.memberId}`}>{a.memberId.slice(-6)}</Link>
                  </td>
                  <td class="num">
                    {a.delta > 0 ? '+' : ''}
                    {a.kind === 'credit' ? `${t.memberCredit.title} ${fmtMoney(a.delta)}` : fmtNumber(a.delta)}
                  </td>
                  <td>{a.reason}</td>
                  <td>{a.requestedBy.name ?? a.requestedBy.id}</td>
                  <td>{fmtDateTime(a.requestedAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="btn btn-small btn-primary"
                      disabled={decide.busy}
                      onClick={() => void decide.run(a.id, true)}>
                      {t.approvals.approve}
                    </button>{' '}
                    <button
                      type="button"
                      class="btn btn-small"
                      disabled={decide.busy}
                      onClick={() => void decide.run(a.id, false)}>
                      {t.approvals.reject}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
