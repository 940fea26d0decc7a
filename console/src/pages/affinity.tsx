import { useEffect, useState } from 'preact/hooks';
import type { AffinityItemResponse, AffinityListItemWire } from '../../../api/contracts/console-affinity';
import { api } from '../api/client';
import { fmtDateTime, fmtNumber, fmtPercent } from '../format';
import { Card, Empty, ErrorBanner, Field, Link, PageHeader, Spinner, Stat, Tabs } from '../ui/components';
import { useLoad } from '../ui/use-load';
import { CsvButton } from './dashboard-revenue';
import { at } from './affinity-texts';

type Kind = 'category' | 'sku';
const optionLabel = (i: AffinityListItemWire) =>
  `${i.kind === 'sku' && i.name !== i.key ? `${i.name}（${i.key}）` : i.name} · ${fmtNumber(i.buyers)} 位`;

/**
 * 商品關聯 (#17.2): pick a category or a SKU, see how many members bought it, what else they bought (co-buyers,
 * confidence, lift) and the rule behind {suggested_product}, all from the last build (npm run affinity:rebuild).
 */
export default function AffinityPage() {
  const list = useLoad(() => api.dashboard.affinity(), []);
  const [kind, setKind] = useState<Kind>('category');
  const [key, setKey] = useState('');
  const items = kind === 'category' ? list.data?.categories : list.data?.skus;
  useEffect(() => {
    // Checked against the key as it is when the update applies: a pick made between this render and its effect
    // (the tab switched, then an option chosen at once) is kept, not replaced by the first item.
    if (items && !items.some((i) => i.key === key))
      setKey((current) => (items.some((i) => i.key === current) ? current : (items[0]?.key ?? '')));
  }, [items, key]);
  const meta = list.data?.meta;
  return (
    <div>
      <PageHeader title={at.title} />
      <p class="muted">{at.subtitle}</p>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {!list.data || !meta ? (
        <Spinner />
      ) : (
        <>
          <Card testId="affinity-rule">
            <p class="small" data-testid="affinity-built">
              {meta.builtAt
                ? at.builtAt(fmtDateTime(meta.builtAt), fmtNumber(meta.members), fmtNumber(meta.ms))
                : at.noBuild}
            </p>
            <ul class="small">
              {at.definitions(meta.minSupport).map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
            <p class="small" data-testid="affinity-suggestion-rule">
              {at.rule(meta.minLift, meta.minSupport)}
            </p>
          </Card>
          <Card title={at.pick}>
            <Tabs<Kind>
              tabs={[
                ['category', at.category],
                ['sku', at.sku],
              ]}
              active={kind}
              onChange={setKind}
            />
            <Field label={at.kindLabel(kind)}>
              <select
                data-testid="affinity-pick"
                value={key}
                onChange={(e) => setKey((e.target as HTMLSelectElement).value)}>
                {(items ?? []).map((i) => (
                  <option key={i.key} value={i.key}>
                    {optionLabel(i)}
                  </option>
                ))}
              </select>
            </Field>
            {items?.length === 0 && <Empty />}
          </Card>
          {key && <ItemDetail kind={kind} itemKey={key} />}
        </>
      )}
    </div>
  );
}

function ItemDetail(props: { kind: Kind; itemKey: string }) {
  const d = useLoad(
    () => api.dashboard.affinityItem({ kind: props.kind, key: props.itemKey }),
    [props.kind, props.itemKey],
  );
  if (d.error) return <ErrorBanner error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Spinner />;
  const r: AffinityItemResponse = d.data;
  const headers = [at.item, 'SKU', at.coBuyers, at.confidence, at.lift];
  const rows = r.related.map((x) => [x.name, props.kind === 'sku' ? x.key : '', x.coBuyers, x.confidence, x.lift]);
  const segment = `/segments/new?bought=${props.kind}&value=${encodeURIComponent(r.key)}`;
  return (
    <>
      <div class="stat-grid kpis" data-testid="affinity-kpis">
        <Stat label={at.buyers} value={fmtNumber(r.buyers)} testId="affinity-buyers" />
        <Stat label={at.share} value={fmtPercent(r.share)} />
      </div>
      <Card
        title={`${r.name}：${at.item}`}
        testId="affinity-related"
        actions={
          <>
            <Link href={segment} class="btn btn-small">
              {at.viewSegment}
            </Link>{' '}
            <CsvButton name={at.csvName(r.name)} headers={headers} rows={rows} testId="csv-affinity" />
          </>
        }>
        {r.related.length === 0 ? (
          <Empty>{at.noRelated(r.meta.minSupport)}</Empty>
        ) : (
          <table class="table compact">
            <thead>
              <tr>
                <th>{at.item}</th>
                <th class="num">{at.coBuyers}</th>
                <th class="num">{at.confidence}</th>
                <th class="num">{at.lift}</th>
              </tr>
            </thead>
            <tbody>
              {r.related.map((x) => (
                <tr key={x.key}>
                  <td>
                    {x.name}
                    {props.kind === 'sku' && x.name !== x.key && <small class="muted"> {x.key}</small>}
                  </td>
                  <td class="num">{fmtNumber(x.coBuyers)}</td>
                  <td class="num">{fmtPercent(x.confidence)}</td>
                  <td class="num">{at.times(x.lift)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {props.kind === 'category' && r.topSkus.length > 0 && (
        <Card title={at.topSkus}>
          <table class="table compact">
            <tbody>
              {r.topSkus.map((s) => (
                <tr key={s.key}>
                  <td>
                    {s.name} <small class="muted">{s.key}</small>
                  </td>
                  <td class="num">{fmtNumber(s.buyers)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
