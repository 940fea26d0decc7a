import { api } from '../api/client';
import { fmtNumber } from '../format';
import { jt } from '../journeys/journey-texts';
import { navigate } from '../router';
import { Badge, Card, Empty, ErrorBanner, Link, PageHeader, Spinner } from '../ui/components';
import { useLoad } from '../ui/use-load';

export const JOURNEY_TONE: Record<string, 'green' | 'gray' | 'amber'> = {
  draft: 'gray',
  active: 'green',
  paused: 'amber',
};

/** The journey list (status, members in it now, entered / completed / goal reached) and "create from a template". */
export default function JourneysPage() {
  const list = useLoad(() => api.journeys.list(), []);
  const templates = useLoad(() => api.journeys.templates(), []);
  return (
    <div>
      <PageHeader title={jt.title}>
        <Link href="/journeys/new" class="btn btn-primary">
          {jt.newBlank}
        </Link>
      </PageHeader>
      <p class="muted">{jt.hint}</p>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : list.data.journeys.length === 0 ? (
          <Empty>{jt.empty}</Empty>
        ) : (
          <table class="table" data-testid="journeys-table">
            <thead>
              <tr>
                <th>{jt.name}</th>
                <th>{jt.status}</th>
                <th>{jt.triggerCol}</th>
                <th class="num">{jt.active}</th>
                <th class="num">{jt.entered}</th>
                <th class="num">{jt.completed}</th>
                <th class="num">{jt.goalReached}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.journeys.map((j) => (
                <tr key={j.id} class="clickable" onClick={() => navigate(`/journeys/${j.id}`)}>
                  <td>
                    <Link href={`/journeys/${j.id}`}>
                      <strong>{j.name}</strong>
                    </Link>
                  </td>
                  <td>
                    <Badge tone={JOURNEY_TONE[j.status]}>{jt.statuses[j.status] ?? j.status}</Badge>
                  </td>
                  <td>{jt.triggers[j.triggerType] ?? j.triggerType}</td>
                  <td class="num">{fmtNumber(j.stats.active)}</td>
                  <td class="num">{fmtNumber(j.stats.entered)}</td>
                  <td class="num">{fmtNumber(j.stats.completed)}</td>
                  <td class="num">{fmtNumber(j.stats.goal)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={jt.fromTemplate} testId="journey-templates">
        <p class="muted small">{jt.templateHint}</p>
        <ErrorBanner error={templates.error} onRetry={templates.reload} />
        <div class="form-actions">
          {templates.data?.templates.map((x) => (
            <Link key={x.key} href={`/journeys/new?template=${x.key}`} class="btn">
              {x.journey.name}
            </Link>
          ))}
        </div>
      </Card>
    </div>
  );
}
