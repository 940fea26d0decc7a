import { useState } from 'preact/hooks';
import type { RfmOverview } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime, fmtNumber, fmtPercent } from '../format';
import { t } from '../i18n';
import { navigate } from '../router';
import { Card, Empty, ErrorBanner, Link, PageHeader, Spinner, Tabs } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

export default function SegmentsPage() {
  const [tab, setTab] = useState<'rules' | 'rfm'>('rules');
  return (
    <div>
      <PageHeader title={t.segments.title}>
        <Link href="/segments/new" class="btn btn-primary">
          {t.segments.newSegment}
        </Link>
      </PageHeader>
      <Tabs<'rules' | 'rfm'>
        tabs={[
          ['rules', t.segments.rules],
          ['rfm', t.segments.rfmTitle],
        ]}
        active={tab}
        onChange={setTab}
      />
      {tab === 'rules' ? <SegmentList /> : <RfmOverviewCard />}
    </div>
  );
}

function SegmentList() {
  const list = useLoad(() => api.segments.list({ recount: true }), []);
  return (
    <Card title={t.segments.list}>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {!list.data ? (
        <Spinner />
      ) : list.data.segments.length === 0 ? (
        <Empty />
      ) : (
        <table class="table" data-testid="segments-table">
          <thead>
            <tr>
              <th>{t.segments.name}</th>
              <th>{t.segments.ruleText}</th>
              <th class="num">{t.segments.audience}</th>
              <th>{t.common.actions}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.segments.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/segments/${s.id}`}>
                    <strong>{s.name}</strong>
                  </Link>
                  {s.description && <small class="muted block">{s.description}</small>}
                </td>
                <td class="rule-text">{s.ruleText}</td>
                <td class="num">{fmtNumber(s.lastCount)}</td>
                <td class="nowrap">
                  <Link href={`/members?segmentId=${s.id}`} class="btn btn-small">
                    {t.segments.viewMembers}
                  </Link>{' '}
                  <Link href={`/campaigns/new?segmentId=${s.id}`} class="btn btn-small">
                    {t.segments.useInCampaign}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** RFM: how many members in each named segment, the rule behind it, and the R×F grid of the latest scoring run. */
export function RfmOverviewCard(props: { compact?: boolean }) {
  const rfm = useLoad<{ overview: RfmOverview }>(() => api.segments.rfm(), []);
  const rescore = useAction(async () => rfm.setData(await api.segments.scoreRfm()));
  const o = rfm.data?.overview;
  return (
    <Card
      title={t.segments.rfmTitle}
      testId="rfm-overview"
      actions={
        <button type="button" class="btn btn-small" disabled={rescore.busy} onClick={() => void rescore.run()}>
          {t.segments.rescore}
        </button>
      }>
      <ErrorBanner error={rfm.error ?? rescore.error} />
      {!o ? (
        <Spinner />
      ) : (
        <>
          {o.lastRun && (
            <p class="muted small">
              {t.segments.scoredAt}：{fmtDateTime(o.lastRun.at)} · {t.units.people(fmtNumber(o.lastRun.scored))}
            </p>
          )}
          <div class="rfm-layout">
            <table class="table compact">
              <thead>
                <tr>
                  <th>{t.segments.segment}</th>
                  <th class="num">{t.segments.count}</th>
                  <th class="num">{t.segments.share}</th>
                  <th>{t.segments.rule}</th>
                  {!props.compact && <th>{t.segments.advice}</th>}
                </tr>
              </thead>
              <tbody>
                {o.segments.map((s) => (
                  <tr
                    key={s.name}
                    class="clickable"
                    onClick={() => navigate(`/members?rfm=${encodeURIComponent(s.name)}`)}>
                    <td>
                      <strong>{s.name}</strong>
                    </td>
                    <td class="num">{fmtNumber(s.count)}</td>
                    <td class="num">
                      <span class="share-bar" style={{ width: `${Math.round(s.share * 100)}%` }} />
                      {fmtPercent(s.share)}
                    </td>
                    <td class="muted">{s.rule}</td>
                    {!props.compact && <td class="muted small">{s.description}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
            {o.lastRun?.grid?.length ? <RfGrid grid={o.lastRun.grid} /> : null}
          </div>
        </>
      )}
    </Card>
  );
}

/** R (rows, 5 = most recent) × F (columns) heat grid. */
function RfGrid({ grid }: { grid: number[][] }) {
  const max = Math.max(1, ...grid.flat());
  return (
    <div class="rf-grid-wrap">
      <h3>{t.segments.rfmGrid}</h3>
      <table class="rf-grid" aria-label={t.segments.rfmGrid}>
        <thead>
          <tr>
            <th>R＼F</th>
            {[1, 2, 3, 4, 5].map((f) => (
              <th key={f}>{f}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[5, 4, 3, 2, 1].map((r) => (
            <tr key={r}>
              <th>{r}</th>
              {[1, 2, 3, 4, 5].map((f) => {
                const n = grid[r - 1]?.[f - 1] ?? 0;
                return (
                  <td
                    key={f}
                    style={{
                      background: `rgba(15, 118, 110, ${0.08 + (n / max) * 0.85})`,
                      color: n / max > 0.5 ? '#fff' : undefined,
                    }}>
                    {fmtNumber(n)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">{t.segments.gridAxes}</p>
    </div>
  );
}
