import { useState } from 'preact/hooks';
import type { CampaignStats, CampaignView } from '../../../api/contracts/console';
import { api } from '../api/client';
import { LinePreview } from '../campaigns/line-preview';
import { fmtDateTime, fmtMoney, fmtNumber, fmtPercent } from '../format';
import { jt } from '../journeys/journey-texts';
import { t } from '../i18n';
import { Badge, Card, ErrorBanner, Link, Notice, PageHeader, Spinner, Stat, Tabs } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { STATUS_TONE } from './campaigns';

export default function CampaignPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const campaign = useLoad(() => api.campaigns.get(id).then((r) => r.campaign), [id]);
  const stats = useLoad(() => api.campaigns.stats(id).then((r) => r.stats), [id]);
  const act = useAction(async (step: (campaignId: string) => Promise<{ campaign: CampaignView }>) => {
    campaign.setData((await step(id)).campaign);
    stats.reload();
  });
  if (campaign.error) return <ErrorBanner error={campaign.error} />;
  if (!campaign.data) return <Spinner />;
  const c = campaign.data;
  const s = stats.data;
  const editable = ['draft', 'scheduled', 'held'].includes(c.status);
  return (
    <div>
      <PageHeader title={c.name} back={{ href: '/campaigns', label: `← ${t.campaigns.title}` }}>
        <Badge tone={STATUS_TONE[c.status]}>{c.statusLabel}</Badge>
        {editable && (
          <Link href={`/campaigns/${id}/edit`} class="btn">
            {t.common.edit}
          </Link>
        )}
        {c.status === 'held' && (
          <button type="button" class="btn" onClick={() => void act.run(api.campaigns.resume)}>
            {t.campaigns.resume}
          </button>
        )}
        {c.status === 'held' && (
          <button
            type="button"
            class="btn"
            onClick={() => void act.run((c) => api.campaigns.resume(c, { sendPartial: true }))}>
            {t.campaigns.resumePartial}
          </button>
        )}
        {!['completed', 'cancelled'].includes(c.status) && (
          <button
            type="button"
            class="btn btn-danger"
            onClick={() => confirm(t.campaigns.cancelConfirm) && void act.run(api.campaigns.cancel)}>
            {t.campaigns.cancelCampaign}
          </button>
        )}
      </PageHeader>
      <ErrorBanner error={act.error ?? stats.error} />
      {c.heldReason && <Notice kind="warn">{c.heldReason}</Notice>}
      {c.failedReason && <LineRefusal reason={c.failedReason} line={c.lineError} />}
      <Card title={t.campaigns.stats} testId="campaign-stats">
        {!s ? (
          <Spinner />
        ) : (
          <div class="stat-grid">
            <Stat
              label={t.campaigns.audience}
              value={fmtNumber(s.audience)}
              hint={`${t.campaigns.matched} ${fmtNumber(s.matched)}`}
            />
            <Stat label={t.campaigns.sent} value={fmtNumber(s.sent)} testId="stat-sent" />
            <Stat label={t.campaigns.failed} value={fmtNumber(s.failed)} />
            <Stat
              label={t.campaigns.clicks}
              value={fmtNumber(s.clicks)}
              hint={s.uniqueClickers ? `${t.campaigns.uniqueClickers} ${fmtNumber(s.uniqueClickers)}` : undefined}
            />
            <Stat
              label={t.campaigns.redemptions}
              value={fmtNumber(s.couponRedemptions)}
              hint={`${t.campaigns.couponsIssued} ${fmtNumber(s.couponsIssued)}`}
            />
            <Stat
              label={t.campaigns.revenue}
              value={fmtMoney(s.attributedPurchases.revenue)}
              hint={`${t.campaigns.attributed(String(s.attributionDays))}：${t.units.rows(fmtNumber(s.attributedPurchases.count))}`}
            />
          </div>
        )}
        {s && Object.keys(s.skipped).length > 0 && (
          <p class="muted small">
            {t.campaigns.skipped}：
            {Object.entries(s.skipped)
              .map(([k, n]) => `${t.campaigns.skipReasons[k] ?? k} ${fmtNumber(n)}`)
              .join('、')}
          </p>
        )}
        {s && s.links.length > 0 && (
          <table class="table compact">
            <thead>
              <tr>
                <th>{t.campaigns.links}</th>
                <th class="num">{t.campaigns.clicks}</th>
              </tr>
            </thead>
            <tbody>
              {s.links.map((l) => (
                <tr key={l.id}>
                  <td class="break">
                    {l.variant ? `${t.campaigns.abVariant(l.variant)}：` : ''}
                    {l.url}
                  </td>
                  <td class="num">{fmtNumber(l.clicks)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {s?.ab && <AbCard ab={s.ab} />}
      {s?.line && <LineFiguresCard line={s.line} />}
      <div class="grid grid-2">
        <Card title={t.campaigns.runs}>
          <table class="table compact">
            <thead>
              <tr>
                <th>{t.campaigns.planned}</th>
                <th>{t.campaigns.status}</th>
                <th class="num">{t.campaigns.audience}</th>
                <th class="num">{t.campaigns.sent}</th>
                <th class="num">{t.campaigns.failed}</th>
              </tr>
            </thead>
            <tbody>
              {c.runs.map((r) => (
                <tr key={r.occurrence}>
                  <td>{fmtDateTime(r.plannedAt)}</td>
                  <td>{t.campaigns.runStatus[r.status] ?? r.status}</td>
                  <td class="num">{fmtNumber(r.audience)}</td>
                  <td class="num">{fmtNumber(r.sent)}</td>
                  <td class="num">{fmtNumber(r.failed)}</td>
                </tr>
              ))}
              {c.runs.length === 0 && (
                <tr>
                  <td colSpan={5} class="muted">
                    {c.nextRunAt
                      ? `${t.campaigns.nextRun}：${fmtDateTime(c.deferredUntil ?? c.nextRunAt)}`
                      : t.common.none}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </Card>
        <CampaignPreviewCard campaign={c} />
      </div>
    </div>
  );
}

/** Why LINE refused the campaign: our zh-TW summary, then LINE's own words per property. */
function LineRefusal(props: { reason: string; line: CampaignView['lineError'] }) {
  return (
    <div class="banner banner-warn" role="alert" data-testid="campaign-line-error">
      <p>{props.reason}</p>
      {props.line && props.line.details.length > 0 && (
        <ul class="small">
          {props.line.details.map((d, i) => (
            <li key={i}>
              <code>{d.property}</code> {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The A/B test: each variant's figures, the verdict by the chosen metric, and what the metric means. */
function AbCard(props: { ab: NonNullable<CampaignStats['ab']> }) {
  const { ab } = props;
  const v = ab.verdict;
  return (
    <Card
      title={`${t.campaigns.ab}（${t.campaigns.abMetric}：${t.campaigns.abMetrics[ab.metric]}）`}
      testId="campaign-ab">
      <p class="ab-verdict" data-testid="ab-verdict">
        <strong>{v.winner ? t.campaigns.abWinner(v.winner) : t.campaigns.abNoWinner}</strong>
        {!v.winner && <span class="muted small">（{t.campaigns.abNoWinnerWhy[v.reason]}）</span>}
      </p>
      <table class="table compact">
        <thead>
          <tr>
            <th>{t.campaigns.abVariantColumn}</th>
            <th class="num">{t.campaigns.abShare}</th>
            <th class="num">{t.campaigns.abSent}</th>
            <th class="num">{t.campaigns.clicks}</th>
            <th class="num">{t.campaigns.abClickRate}</th>
            <th class="num">{t.campaigns.abPurchases}</th>
            <th class="num">{t.campaigns.abPurchaseRate}</th>
          </tr>
        </thead>
        <tbody>
          {ab.variants.map((x) => (
            <tr key={x.variant} data-testid={`ab-row-${x.variant}`}>
              <td>{t.campaigns.abVariant(x.variant)}</td>
              <td class="num">{x.share}%</td>
              <td class="num">{fmtNumber(x.sent)}</td>
              <td class="num">{fmtNumber(x.uniqueClickers || x.clicks)}</td>
              <td class="num">{fmtPercent(x.clickRate)}</td>
              <td class="num">{fmtNumber(x.buyers)}</td>
              <td class="num">{fmtPercent(x.purchaseRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">
        {ab.definition}
        {ab.rule}
      </p>
    </Card>
  );
}

/** LINE's own figures from the insight API; null ones are below LINE's threshold. */
function LineFiguresCard(props: { line: NonNullable<CampaignStats['line']> }) {
  const l = props.line;
  const cell = (n: number | null) => (!l.available ? jt.lineUnavailable : n === null ? jt.lineTooFew : fmtNumber(n));
  return (
    <Card title={t.campaigns.lineFigures} testId="campaign-line">
      <div class="stat-grid">
        <Stat label={t.campaigns.lineDelivered} value={fmtNumber(l.delivered)} />
        <Stat label={t.campaigns.lineImpressions} value={cell(l.uniqueImpression)} testId="line-impressions" />
        <Stat label={t.campaigns.lineClicks} value={cell(l.uniqueClick)} testId="line-clicks" />
      </div>
      <p class="muted small">{t.campaigns.lineHint(l.period.from, l.period.to)}</p>
    </Card>
  );
}

/** What a recipient gets, as the server renders it (per variant in an A/B test). */
function CampaignPreviewCard(props: { campaign: CampaignView }) {
  const c = props.campaign;
  const keys = c.ab ? c.ab.variants.map((_, i) => 'ABCD'[i]) : [];
  const [variant, setVariant] = useState(keys[0] ?? '');
  const preview = useLoad(() => api.campaigns.preview(c.id, variant || undefined), [c.id, c.updatedAt, variant]);
  return (
    <Card title={t.campaigns.preview} testId="campaign-preview">
      {keys.length > 0 && (
        <Tabs tabs={keys.map((k) => [k, t.campaigns.abVariant(k)])} active={variant} onChange={setVariant} />
      )}
      <ErrorBanner error={preview.error} />
      {preview.data ? <LinePreview messages={preview.data.messages} /> : <Spinner />}
      <p class="muted small">{t.campaigns.previewHint}</p>
    </Card>
  );
}
