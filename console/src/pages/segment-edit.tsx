import { useEffect, useState } from 'preact/hooks';
import type { SegmentGroup } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtNumber } from '../format';
import { t } from '../i18n';
import { navigate, useRoute } from '../router';
import { RuleBuilder } from '../segments/rule-builder';
import { useAudienceCount } from '../segments/use-audience-count';
import { Card, ErrorBanner, Field, Link, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

const EMPTY: SegmentGroup = { op: 'and', conditions: [] };

/** `/segments/new?bought=category|sku&value=…` (the 商品關聯 page's link): a rule of the buyers of that item. */
function boughtRule(q: URLSearchParams): SegmentGroup | null {
  const kind = q.get('bought');
  const value = q.get('value')?.trim();
  if ((kind !== 'category' && kind !== 'sku') || !value) return null;
  return { op: 'and', conditions: [{ field: 'bought', kind, op: 'bought', values: [value] }] };
}

export default function SegmentEditPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const meta = useLoad(() => api.segments.meta(), []);
  const existing = useLoad(() => (id ? api.segments.get(id).then((r) => r.segment) : Promise.resolve(null)), [id]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const route = useRoute();
  const [rule, setRule] = useState<SegmentGroup>(() => (id ? EMPTY : (boughtRule(route.params) ?? EMPTY)));
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!existing.data) return;
    setName(existing.data.name);
    setDescription(existing.data.description);
    setRule(existing.data.rule);
  }, [existing.data]);
  const audience = useAudienceCount(rule);
  const save = useAction(async () => {
    const body = { name, description, rule };
    const res = id ? await api.segments.update(id, body) : await api.segments.create(body);
    setSaved(true);
    if (!id) navigate(`/segments/${res.segment.id}`, { replace: true });
  });
  const archive = useAction(async () => {
    if (!confirm(t.segments.archiveConfirm(name))) return;
    await api.segments.archive(id);
    navigate('/segments');
  });
  if (!meta.data || (id && !existing.data && !existing.error)) return <Spinner />;
  return (
    <div>
      <PageHeader
        title={id ? name || t.segments.title : t.segments.newSegment}
        back={{ href: '/segments', label: `← ${t.segments.title}` }}>
        {id && (
          <Link href={`/members?segmentId=${id}`} class="btn">
            {t.segments.viewMembers}
          </Link>
        )}
        {id && (
          <Link href={`/campaigns/new?segmentId=${id}`} class="btn">
            {t.segments.useInCampaign}
          </Link>
        )}
        {id && (
          <button type="button" class="btn btn-ghost" onClick={() => void archive.run()}>
            {t.segments.archive}
          </button>
        )}
      </PageHeader>
      <ErrorBanner error={existing.error ?? archive.error} />
      <div class="grid grid-main-side">
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void save.run();
          }}>
          <Card>
            <Field label={t.segments.name} error={save.error?.fields.name}>
              <input
                name="name"
                required
                maxLength={80}
                value={name}
                onInput={(e) => {
                  setName(valueOf(e));
                  setSaved(false);
                }}
              />
            </Field>
            <Field label={`${t.segments.description}${t.common.optional}`}>
              <input
                name="description"
                maxLength={500}
                value={description}
                onInput={(e) => setDescription(valueOf(e))}
              />
            </Field>
          </Card>
          <Card title={t.segments.builder}>
            <RuleBuilder
              rule={rule}
              meta={meta.data}
              errors={audience.error?.fields}
              onChange={(r) => {
                setRule(r);
                setSaved(false);
              }}
            />
          </Card>
          <ErrorBanner error={save.error} />
          {saved && <Notice kind="ok">{t.segments.saved}</Notice>}
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={save.busy || !name.trim()}>
              {save.busy ? t.common.saving : t.common.save}
            </button>
          </div>
        </form>
        <aside class="sticky">
          <Card title={t.segments.audience} testId="audience-count">
            <div class="big-number" aria-live="polite">
              {audience.counting ? (
                <span class="muted">{t.segments.counting}</span>
              ) : audience.count === null ? (
                '—'
              ) : (
                <strong data-testid="audience-value">{fmtNumber(audience.count)}</strong>
              )}
            </div>
            {audience.ruleText && <p class="rule-text">{audience.ruleText}</p>}
            {audience.error && <ErrorBanner error={audience.error} />}
            <p class="muted small">{t.segments.audienceHint}</p>
          </Card>
        </aside>
      </div>
    </div>
  );
}
