import type { RevenueReport } from '../../../api/contracts/console';
import { fmtMoney, fmtNumber, fmtPercent } from '../format';
import { t } from '../i18n';
import { Card, Empty, Stat } from '../ui/components';
import { downloadCsv, type CsvCell } from '../ui/csv';
import { LineChart } from '../ui/line-chart';

/** A card action that saves the card's table as CSV (zh-TW headers, UTF-8 BOM). */
export function CsvButton(props: { name: string; headers: string[]; rows: CsvCell[][]; testId?: string }) {
  return (
    <button
      type="button"
      class="btn btn-small btn-ghost"
      data-testid={props.testId}
      onClick={() => downloadCsv(props.name, props.headers, props.rows)}>
      {t.dashboard.exportCsv}
    </button>
  );
}

/**
 * The revenue section of the dashboard: headline figures (each with its definition from domain/reports/metrics.ts
 * as a tooltip), new vs returning revenue per month, per store per month, coupon cost and return, journey revenue.
 */
export function RevenueSection({ r }: { r: RevenueReport }) {
  const def = (key: string) => r.definitions[key];
  const label = (key: string) => def(key)?.label ?? key;
  const tip = (key: string) => def(key)?.definition;
  const monthHeaders = [
    t.dashboard.month,
    label('revenue'),
    label('orders'),
    label('aov'),
    label('newRevenue'),
    label('returningRevenue'),
  ];
  const monthRows = r.months.map((m) => [m.month, m.revenue, m.orders, m.aov, m.newRevenue, m.returningRevenue]);
  const storeHeaders = [t.dashboard.month, t.dashboard.store, ...monthHeaders.slice(1)];
  const couponHeaders = [
    t.coupons.titleField,
    t.dashboard.couponUsed,
    label('couponCost'),
    t.dashboard.couponWithOrder,
    label('couponReturn'),
    label('couponReturnRatio'),
  ];
  const storeRows = r.stores.map((s) => [
    s.month,
    s.storeId ?? t.dashboard.noStore,
    s.revenue,
    s.orders,
    s.aov,
    s.newRevenue,
    s.returningRevenue,
  ]);
  return (
    <>
      <div class="stat-grid kpis" data-testid="revenue-kpis">
        <Stat label={label('revenue')} title={tip('revenue')} value={fmtMoney(r.totals.revenue)} testId="kpi-revenue" />
        <Stat label={label('orders')} title={tip('orders')} value={fmtNumber(r.totals.orders)} />
        <Stat label={label('aov')} title={tip('aov')} value={fmtMoney(r.totals.aov)} />
        <Stat
          label={label('repeatRate')}
          title={tip('repeatRate')}
          value={fmtPercent(r.repeatRate)}
          hint={t.dashboard.buyers(fmtNumber(r.buyers), fmtNumber(r.repeatBuyers))}
        />
        <Stat
          label={label('pointsLiability')}
          title={tip('pointsLiability')}
          value={fmtNumber(r.pointsLiability)}
          hint={t.dashboard.liabilityHint}
        />
        <Stat
          label={label('creditLiability')}
          title={tip('creditLiability')}
          value={r.creditLiability === null ? t.dashboard.creditPending : fmtMoney(r.creditLiability)}
        />
      </div>
      <div class="grid grid-2">
        <Card
          title={t.dashboard.revenueByMonth}
          testId="revenue-months"
          actions={<CsvButton name="每月營收" headers={monthHeaders} rows={monthRows} testId="csv-revenue-months" />}>
          <p class="muted small" title={`${tip('newRevenue')}\n${tip('returningRevenue')}`}>
            {t.dashboard.revenueHint}
          </p>
          <LineChart
            ariaLabel={t.dashboard.revenueByMonth}
            xLabel={t.dashboard.month}
            labels={r.months.map((m) => m.month.slice(2).replace('-', '/'))}
            series={[
              { label: label('newRevenue'), color: '#0f766e', values: r.months.map((m) => m.newRevenue) },
              { label: label('returningRevenue'), color: '#d97706', values: r.months.map((m) => m.returningRevenue) },
            ]}
          />
          <FigureTable headers={monthHeaders} rows={monthRows} money={[1, 3, 4, 5]} />
        </Card>
        <Card
          title={t.dashboard.revenueByStore}
          testId="revenue-stores"
          actions={<CsvButton name="各門市營收" headers={storeHeaders} rows={storeRows} />}>
          {storeRows.length === 0 ? (
            <Empty />
          ) : (
            <FigureTable headers={storeHeaders} rows={storeRows} money={[2, 4, 5, 6]} />
          )}
        </Card>
      </div>
      <div class="grid grid-2">
        <Card
          title={t.dashboard.couponReturn}
          testId="revenue-coupons"
          actions={
            <CsvButton
              name="優惠券成本與報酬"
              headers={couponHeaders}
              rows={r.coupons.map((c) => [c.title, c.used, c.cost, c.withOrder, c.revenue, c.returnRatio])}
            />
          }>
          {r.coupons.length === 0 ? (
            <Empty />
          ) : (
            <table class="table compact">
              <thead>
                <tr>
                  <th>{t.coupons.titleField}</th>
                  <th class="num">{t.dashboard.couponUsed}</th>
                  <th class="num" title={tip('couponCost')}>
                    {label('couponCost')}
                  </th>
                  <th class="num">{t.dashboard.couponWithOrder}</th>
                  <th class="num" title={tip('couponReturn')}>
                    {label('couponReturn')}
                  </th>
                  <th class="num" title={tip('couponReturnRatio')}>
                    {label('couponReturnRatio')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.coupons.map((c) => (
                  <tr key={c.templateId}>
                    <td>{c.title}</td>
                    <td class="num">{fmtNumber(c.used)}</td>
                    <td class="num">{c.cost === null ? t.dashboard.couponCostPercent : fmtMoney(c.cost)}</td>
                    <td class="num">{fmtNumber(c.withOrder)}</td>
                    <td class="num">{fmtMoney(c.revenue)}</td>
                    <td class="num" data-testid="coupon-return-ratio">
                      {c.returnRatio === null ? '—' : t.dashboard.couponRatio(c.returnRatio)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card
          title={t.dashboard.journeys}
          testId="revenue-journeys"
          actions={
            <CsvButton
              name="旅程營收"
              headers={[t.campaigns.name, t.dashboard.journeyGoals, label('revenue')]}
              rows={r.journeys.map((j) => [j.name, j.goals, j.revenue])}
            />
          }>
          {r.journeys.length === 0 ? (
            <Empty />
          ) : (
            <table class="table compact">
              <thead>
                <tr>
                  <th>{t.campaigns.name}</th>
                  <th class="num">{t.dashboard.journeyGoals}</th>
                  <th class="num">{label('revenue')}</th>
                </tr>
              </thead>
              <tbody>
                {r.journeys.map((j) => (
                  <tr key={j.id}>
                    <td>{j.name}</td>
                    <td class="num">{fmtNumber(j.goals)}</td>
                    <td class="num">{fmtMoney(j.revenue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}

function FigureTable({ headers, rows, money }: { headers: string[]; rows: CsvCell[][]; money: number[] }) {
  return (
    <table class="table compact">
      <thead>
        <tr>
          {headers.map((h, i) => (
            <th key={h} class={i > 0 && typeof rows[0]?.[i] === 'number' ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, ri) => (
          <tr key={ri}>
            {row.map((v, i) => (
              <td key={i} class={typeof v === 'number' ? 'num' : undefined}>
                {typeof v === 'number' ? (money.includes(i) ? fmtMoney(v) : fmtNumber(v)) : v}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
