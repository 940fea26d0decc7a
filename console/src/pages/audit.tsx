import { useEffect, useState } from 'preact/hooks';
import type { AuditEntryView } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { Card, ErrorBanner, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

export default function AuditPage() {
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<AuditEntryView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const load = useAction(async (cursor?: string) => {
    const res = await api.audit.list({ action, cursor, limit: 50 });
    setEntries((prev) => (cursor && prev ? [...prev, ...res.entries] : res.entries));
    setNext(res.nextCursor);
    return res.entries.length;
  });
  useEffect(() => {
    void load.run();
    // Deliberate: the first page once; filters reload on submit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div>
      <PageHeader title={t.audit.title} />
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          setEntries(null);
          void load.run();
        }}>
        <input class="grow" placeholder={t.audit.filterAction} value={action} onInput={(e) => setAction(valueOf(e))} />
        <button type="submit" class="btn btn-primary">
          {t.common.search}
        </button>
      </form>
      <ErrorBanner error={load.error} />
      <Card>
        {!entries ? (
          <Spinner />
        ) : (
          <table class="table compact" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t.audit.at}</th>
                <th>{t.audit.actor}</th>
                <th>{t.audit.action}</th>
                <th>{t.audit.target}</th>
                <th>{t.audit.details}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td class="nowrap">{fmtDateTime(e.at)}</td>
                  <td class="nowrap">
                    {e.actorName ?? e.actorId}
                    {e.actorRole && <small class="muted block">{t.roles[e.actorRole]}</small>}
                  </td>
                  <td class="nowrap">
                    {t.audit.actions[e.action] ?? e.action}
                    <small class="muted block mono">{e.action}</small>
                  </td>
                  <td>
                    {e.target
                      ? `${t.audit.targets[e.target.type] ?? e.target.type} ${e.target.label ?? e.target.id ?? ''}`
                      : '—'}
                  </td>
                  <td class="details">
                    <code>{JSON.stringify(e.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {entries && next && (
          <button
            type="button"
            class="btn btn-block btn-ghost"
            disabled={load.busy}
            onClick={() => void load.run(next)}>
            {t.audit.more}
          </button>
        )}
      </Card>
    </div>
  );
}
