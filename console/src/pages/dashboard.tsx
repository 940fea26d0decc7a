import { useState } from 'preact/hooks';
import type { ActiveCouponRow, CampaignResultRow, FunnelReport, RfmOverview } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime, fmtMoney, fmtNumber, fmtPercent } from '../format';
import { t } from '../i18n';
import { navigate } from '../router';
import { Badge, Card, Empty, ErrorBanner, Link, PageHeader, Spinner, Stat } from '../ui/components';
import { LineChart } from '../ui/line-chart';
import { useLoad } from '../ui/use-load';
import { STATUS_TONE } from './campaigns';
import { CsvButton, RevenueSection } from './dashboard-revenue';

const STAGE_COLORS = ['#0f766e', '#0891b2', '#6366f1', '#d97706', '#e11d48', '#16a34a'];

export default function DashboardPage() {
  const [range, setRange] = useState({ from: '', to: '' });
  const [applied, setApplied] = useState(range);
  const data = useLoad(
    () =>
      api.dashboard.get({
        from: applied.from ? `${applied.from}T00:00:00+08:00` : undefined,
        to: applied.to ? `${applied.to}T23:59:59+08:00` : undefined,
        months: 12,
      }),
    [applied.from, applied.to],
  );
  const d = data.data;
  return (
    <div>
      <PageHeader title={t.dashboard.title}>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(range);
          }}>
          <label class="muted small">{t.dashboard.range}</label>
          <input
            type="date"
            aria-label={t.dashboard.from}
            value={range.from}
            onInput={(e) => setRange({ ...range, from: e.currentTarget.value })}
          />
          <span>–</span>
          <input
            type="date"
            aria-label={t.dashboard.to}
            value={range.to}
            onInput={(e) => setRange({ ...range, to: e.currentTarget.value })}
          />
          <button type="submit" class="btn btn-small">
            {t.dashboard.apply}
          </button>
        </form>
      </PageHeader>
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {!d ? (
        <Spinner />
      ) : (
        <>
          <div class="stat-grid kpis">
            <Stat label={t.dashboard.members} value={fmtNumber(d.kpis.members)} testId="kpi-members" />
            <Stat
              label={t.dashboard.following}
              value={fmtNumber(d.kpis.following)}
              hint={`${t.dashboard.blocked} ${fmtNumber(d.kpis.blocked)}`}
            />
            <Stat
              label={t.dashboard.consented}
              value={fmtNumber(d.kpis.consented)}
              title={d.revenue.definitions.consentedFriends?.definition}
              hint={d.kpis.consentedGuests ? t.dashboard.consentedGuests(fmtNumber(d.kpis.consentedGuests)) : undefined}
              testId="kpi-consented"
            />
            <Stat label={t.dashboard.active30d} value={fmtNumber(d.kpis.active30d)} />
            <Stat label={t.dashboard.new30d} value={fmtNumber(d.kpis.new30d)} />
          </div>
          <RevenueSection r={d.revenue} />
          <div class="grid grid-2">
            <FunnelCard funnel={d.funnel} />
            <Card title={t.dashboard.cohorts}>
              <p class="muted small">{t.dashboard.cohortsHint}</p>
              <LineChart
                ariaLabel={t.dashboard.cohorts}
                xLabel={t.dashboard.cohortMonth}
                labels={d.funnel.cohorts.map((c) => c.month.slice(2).replace('-', '/'))}
                series={d.funnel.stages.map((s, i) => ({
                  label: s.label,
                  color: STAGE_COLORS[i],
                  values: d.funnel.cohorts.map((c) => c.counts[s.key]),
                }))}
              />
            </Card>
          </div>
          <div class="grid grid-2">
            <RfmCard rfm={d.rfm} />
            <CouponsCard rows={d.coupons} />
          </div>
          <CampaignsCard rows={d.campaigns} />
        </>
      )}
    </div>
  );
}

function FunnelCard({ funnel }: { funnel: FunnelReport }) {
  const top = Math.max(1, funnel.stages[0]?.count ?? 0);
  return (
    <Card
      title={t.dashboard.funnel}
      testId="funnel"
      actions={
        <CsvButton
          name="會員漏斗"
          headers={[t.dashboard.stage, t.dashboard.memberCount, t.dashboard.ofPrev, t.dashboard.ofTop]}
          rows={funnel.stages.map((s) => [s.label, s.count, s.ofPrevious, s.ofTop])}
        />
      }>
      <p class="muted small">{t.dashboard.funnelHint}</p>
      <ol class="funnel">
        {funnel.stages.map((s, i) => (
          <li key={s.key}>
            <div class="funnel-label">
              <strong>{s.label}</strong>
              <span>{fmtNumber(s.count)}</span>
            </div>
            <div class="funnel-track">
              <div
                class="funnel-bar"
                style={{ width: `${Math.max(2, (s.count / top) * 100)}%`, background: STAGE_COLORS[i] }}
              />
            </div>
            <small class="muted">
              {i > 0
                ? `${t.dashboard.ofPrev} ${fmtPercent(s.ofPrevious)} · ${t.dashboard.ofTop} ${fmtPercent(s.ofTop)}`
                : '100%'}
              {s.reached !== s.count && ` · ${t.dashboard.reachedAny(fmtNumber(s.reached))}`}
            </small>
          </li>
        ))}
      </ol>
    </Card>
  );
}

function RfmCard({ rfm }: { rfm: RfmOverview }) {
  const max = Math.max(1, ...rfm.segments.map((s) => s.count));
  return (
    <Card
      title={t.dashboard.rfm}
      testId="dashboard-rfm"
      actions={
        <Link href="/segments" class="btn btn-small btn-ghost">
          {t.nav.segments}
        </Link>
      }>
      {!rfm.lastRun ? (
        <Empty>{t.dashboard.rfmNotScored}</Empty>
      ) : (
        <ul class="bars">
          {rfm.segments.map((s) => (
            <li
              key={s.name}
              class="clickable"
              onClick={() => navigate(`/members?rfm=${encodeURIComponent(s.name)}`)}
              title={s.rule}>
              <span class="bar-label">{s.name}</span>
              <span class="bar-track">
                <span class="bar" style={{ width: `${(s.count / max) * 100}%` }} />
              </span>
              <span class="bar-value">
                {fmtNumber(s.count)} <small class="muted">{fmtPercent(s.share)}</small>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function CouponsCard({ rows }: { rows: ActiveCouponRow[] }) {
  return (
    <Card
      title={t.dashboard.coupons}
      testId="dashboard-coupons"
      actions={
        <CsvButton
          name="可使用的優惠券"
          headers={[
            t.coupons.titleField,
            t.counter.couponState.active,
            t.dashboard.expiringSoon,
            t.dashboard.redemptionRate,
          ]}
          rows={rows.map((r) => [r.title, r.active, r.expiringIn7Days, r.redemptionRate])}
        />
      }>
      {rows.length === 0 ? (
        <Empty />
      ) : (
        <table class="table compact">
          <thead>
            <tr>
              <th>{t.coupons.titleField}</th>
              <th class="num">{t.counter.couponState.active}</th>
              <th class="num">{t.dashboard.expiringSoon}</th>
              <th class="num">{t.dashboard.redemptionRate}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, 8).map((r) => (
              <tr key={r.templateId}>
                <td>
                  {r.title} <Badge tone="teal">{r.valueLabel}</Badge>
                </td>
                <td class="num">{fmtNumber(r.active)}</td>
                <td class="num">
                  {r.expiringIn7Days ? <Badge tone="amber">{fmtNumber(r.expiringIn7Days)}</Badge> : 0}
                </td>
                <td class="num">{fmtPercent(r.redemptionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function CampaignsCard({ rows }: { rows: CampaignResultRow[] }) {
  return (
    <Card
      title={t.dashboard.campaigns}
      testId="dashboard-campaigns"
      actions={
        <>
          <CsvButton
            name="近期活動成效"
            headers={[
              t.campaigns.name,
              t.campaigns.status,
              t.campaigns.sent,
              t.campaigns.clicks,
              t.campaigns.redemptions,
              t.campaigns.revenue,
            ]}
            rows={rows.map((c) => [c.name, c.statusLabel, c.sent, c.clicks, c.couponRedemptions, c.attributedRevenue])}
          />
          <Link href="/campaigns" class="btn btn-small btn-ghost">
            {t.nav.campaigns}
          </Link>
        </>
      }>
      {rows.length === 0 ? (
        <Empty />
      ) : (
        <table class="table compact">
          <thead>
            <tr>
              <th>{t.campaigns.name}</th>
              <th>{t.campaigns.status}</th>
              <th>{t.campaigns.lastRun}</th>
              <th class="num">{t.campaigns.sent}</th>
              <th class="num">{t.campaigns.clicks}</th>
              <th class="num">{t.campaigns.redemptions}</th>
              <th class="num">{t.campaigns.revenue}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} class="clickable" onClick={() => navigate(`/campaigns/${c.id}`)}>
                <td>{c.name}</td>
                <td>
                  <Badge tone={STATUS_TONE[c.status]}>{c.statusLabel}</Badge>
                </td>
                <td>
                  {c.lastRunAt || !c.nextRunAt
                    ? fmtDateTime(c.lastRunAt)
                    : `${t.campaigns.planned} ${fmtDateTime(c.nextRunAt)}`}
                </td>
                <td class="num">{fmtNumber(c.sent)}</td>
                <td class="num">{fmtNumber(c.clicks)}</td>
                <td class="num">{fmtNumber(c.couponRedemptions)}</td>
                <td class="num">{fmtMoney(c.attributedRevenue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
