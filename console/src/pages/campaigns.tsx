import { CAMPAIGN_STATUSES } from '../../../api/contracts/console-views';
import { api } from '../api/client';
import { fmtDateTime, fmtNumber } from '../format';
import { t } from '../i18n';
import { navigate, setQuery, useRoute } from '../router';
import { Badge, Card, Empty, ErrorBanner, Link, PageHeader, Pager, Spinner } from '../ui/components';
import { useLoad } from '../ui/use-load';

export const STATUS_TONE: Record<string, 'green' | 'gray' | 'red' | 'amber' | 'blue' | 'teal'> = {
  draft: 'gray',
  scheduled: 'blue',
  sending: 'teal',
  held: 'amber',
  completed: 'green',
  cancelled: 'gray',
  failed: 'red',
};

export default function CampaignsPage() {
  const route = useRoute();
  const status = CAMPAIGN_STATUSES.find((s) => s === route.params.get('status')) ?? '';
  const page = Number(route.params.get('page')) || 1;
  const list = useLoad(() => api.campaigns.list({ status: status || undefined, page }), [status, page]);
  return (
    <div>
      <PageHeader title={t.campaigns.title}>
        <Link href="/campaigns/new" class="btn btn-primary">
          {t.campaigns.new}
        </Link>
      </PageHeader>
      <div class="chips">
        {['', 'scheduled', 'sending', 'held', 'completed', 'draft', 'cancelled'].map((s) => (
          <button
            key={s}
            type="button"
            class={`chip ${status === s ? 'active' : ''}`}
            onClick={() => setQuery({ status: s || undefined })}>
            {s ? (t.campaigns.statuses[s] ?? s) : t.common.all}
          </button>
        ))}
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : list.data.items.length === 0 ? (
          <Empty />
        ) : (
          <table class="table" data-testid="campaigns-table">
            <thead>
              <tr>
                <th>{t.campaigns.name}</th>
                <th>{t.campaigns.status}</th>
                <th>{t.campaigns.schedule}</th>
                <th>{t.campaigns.nextRun}</th>
                <th>{t.campaigns.lastRun}</th>
                <th class="num">{t.campaigns.sent}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id} class="clickable" onClick={() => navigate(`/campaigns/${c.id}`)}>
                  <td>
                    <Link href={`/campaigns/${c.id}`}>
                      <strong>{c.name}</strong>
                    </Link>
                  </td>
                  <td>
                    <Badge tone={STATUS_TONE[c.status]}>{c.statusLabel}</Badge>
                  </td>
                  <td>
                    {(c.schedule as { type: string }).type === 'recurring'
                      ? `${t.campaigns.recurring} ${(c.schedule as { cron: string }).cron}`
                      : t.campaigns.once}
                  </td>
                  <td>{fmtDateTime(c.deferredUntil ?? c.nextRunAt)}</td>
                  <td>{fmtDateTime(c.lastRunAt)}</td>
                  <td class="num">{fmtNumber(c.runs[0]?.sent ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.data && (
          <Pager
            page={list.data.page}
            pageSize={list.data.pageSize}
            total={list.data.total}
            onPage={(p) => setQuery({ status: status || undefined, page: p })}
          />
        )}
      </Card>
    </div>
  );
}
