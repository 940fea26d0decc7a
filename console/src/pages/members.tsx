import { useState } from 'preact/hooks';
import type { MemberListRow, RuleMeta } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtAgo, fmtMoney, fmtNumber } from '../format';
import { t } from '../i18n';
import { useRoute, setQuery, navigate } from '../router';
import { useSession } from '../session';
import { Badge, Card, Empty, ErrorBanner, Link, Modal, PageHeader, Pager, Spinner, valueOf } from '../ui/components';
import { useLoad } from '../ui/use-load';
import { PhoneProposalList } from '../members/phone-proposal';

const FILTER_KEYS = ['q', 'segmentId', 'rfm', 'tier', 'tags', 'consent', 'status', 'persona', 'sort'] as const;
type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

type Meta = Pick<RuleMeta, 'tiers' | 'rfmSegments' | 'tags'>;
interface SegmentOption {
  id: string;
  name: string;
}

export default function MembersPage() {
  const route = useRoute();
  const session = useSession();
  const filters: Filters = Object.fromEntries(
    FILTER_KEYS.map((k) => [k, route.params.get(k) ?? undefined]).filter(([, v]) => v),
  );
  const page = Number(route.params.get('page')) || 1;
  const [draft, setDraft] = useState<Filters>(filters);
  const [exporting, setExporting] = useState(false);
  const list = useLoad(() => api.members.search({ ...filters, page, pageSize: 25 }), [route.params.toString()]);
  const meta = useLoad<Meta>(
    () => (session.can('segments') ? api.segments.meta() : Promise.resolve({ tiers: [], rfmSegments: [], tags: [] })),
    [],
  );
  const segments = useLoad(
    () => (session.can('segments') ? api.segments.list() : Promise.resolve({ segments: [] })),
    [],
  );
  const apply = (next: Filters) => setQuery({ ...next, page: undefined });
  const tierLabel = (code: string) => meta.data?.tiers.find((x) => x.code === code)?.label ?? code;

  return (
    <div>
      <PageHeader title={t.members.title}>
        {session.can('members.import') && (
          <Link href="/import" class="btn">
            {t.nav.import}
          </Link>
        )}
        {session.can('members.export') && (
          <button type="button" class="btn" onClick={() => setExporting(true)}>
            {t.members.export}
          </button>
        )}
      </PageHeader>
      <PhoneProposalList />
      <MemberFilters
        draft={draft}
        setDraft={setDraft}
        onApply={apply}
        meta={meta.data}
        segments={segments.data?.segments ?? []}
      />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : list.data.rows.length === 0 ? (
          <Empty>{t.members.none}</Empty>
        ) : (
          <MembersTable rows={list.data.rows} tierLabel={tierLabel} />
        )}
        {list.data && (
          <Pager
            page={list.data.page}
            pageSize={list.data.pageSize}
            total={list.data.total}
            onPage={(p) => setQuery({ ...filters, page: p })}
          />
        )}
      </Card>
      {exporting && <ExportDialog filters={filters} onClose={() => setExporting(false)} />}
    </div>
  );
}

function MemberFilters(props: {
  draft: Filters;
  setDraft: (f: Filters) => void;
  onApply: (f: Filters) => void;
  meta: Meta | null;
  segments: SegmentOption[];
}) {
  const { draft, setDraft, meta } = props;
  const set = (k: keyof Filters) => (e: Parameters<typeof valueOf>[0]) =>
    setDraft({ ...draft, [k]: valueOf(e) || undefined });
  const apply = props.onApply;
  return (
    <form
      class="filters card"
      onSubmit={(e) => {
        e.preventDefault();
        apply(draft);
      }}
      data-testid="member-filters">
      <input
        type="search"
        name="q"
        class="grow"
        placeholder={t.members.searchPlaceholder}
        value={draft.q ?? ''}
        onInput={set('q')}
        aria-label={t.common.search}
      />
      <select name="segmentId" value={draft.segmentId ?? ''} onChange={set('segmentId')} aria-label={t.members.segment}>
        <option value="">
          {t.members.segment}：{t.common.all}
        </option>
        {props.segments.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <select name="rfm" value={draft.rfm ?? ''} onChange={set('rfm')} aria-label={t.members.rfm}>
        <option value="">
          {t.members.rfm}：{t.common.all}
        </option>
        {meta?.rfmSegments.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <select name="tier" value={draft.tier ?? ''} onChange={set('tier')} aria-label={t.members.tier}>
        <option value="">
          {t.members.tier}：{t.common.all}
        </option>
        {meta?.tiers.map((x) => (
          <option key={x.code} value={x.code}>
            {x.label}
          </option>
        ))}
      </select>
      <input
        name="tags"
        list="tag-options"
        placeholder={`${t.members.tags}（${t.members.tagsPlaceholder}）`}
        value={draft.tags ?? ''}
        onInput={set('tags')}
        aria-label={t.members.tags}
      />
      <datalist id="tag-options">
        {meta?.tags.map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      <select name="consent" value={draft.consent ?? ''} onChange={set('consent')} aria-label={t.members.consent}>
        <option value="">
          {t.members.consent}：{t.common.all}
        </option>
        {Object.entries(t.members.consentOptions).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
      <select name="status" value={draft.status ?? ''} onChange={set('status')} aria-label={t.members.status}>
        <option value="">
          {t.members.status}：{t.common.all}
        </option>
        {Object.entries(t.members.statusOptions).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
      <select name="persona" value={draft.persona ?? ''} onChange={set('persona')} aria-label={t.members.persona}>
        <option value="">
          {t.members.persona}：{t.common.all}
        </option>
        {Object.entries(t.members.personaOptions).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
      <select name="sort" value={draft.sort ?? 'recent'} onChange={set('sort')} aria-label={t.members.sort}>
        {Object.entries(t.members.sortOptions).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
      <button type="submit" class="btn btn-primary">
        {t.common.search}
      </button>
      <button
        type="button"
        class="btn btn-ghost"
        onClick={() => {
          setDraft({});
          apply({});
        }}>
        {t.common.reset}
      </button>
    </form>
  );
}

function MembersTable(props: { rows: MemberListRow[]; tierLabel: (code: string) => string }) {
  const { tierLabel } = props;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="members-table">
        <thead>
          <tr>
            <th>{t.members.columns.member}</th>
            <th>{t.members.columns.code}</th>
            <th>{t.members.columns.phone}</th>
            <th>{t.members.columns.tier}</th>
            <th class="num">{t.members.columns.points}</th>
            <th class="num">{t.members.columns.spend}</th>
            <th>{t.members.columns.rfm}</th>
            <th>{t.members.columns.tags}</th>
            <th>{t.members.columns.lastInteraction}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((m) => (
            <tr key={m.id} class="clickable" onClick={() => navigate(`/members/${m.id}`)}>
              <td>
                <Link href={`/members/${m.id}`} class="member-cell">
                  <span class="avatar">
                    {m.pictureUrl ? <img src={m.pictureUrl} alt="" /> : (m.name || m.displayName || '?').slice(0, 1)}
                  </span>
                  <span>
                    <strong>{m.name || m.displayName || '—'}</strong>
                    {m.name && m.displayName && m.name !== m.displayName && <small>{m.displayName}</small>}
                  </span>
                </Link>
                {m.status !== 'active' && (
                  <Badge tone={m.status === 'blocked' ? 'red' : 'amber'}>{t.members.statusOptions[m.status]}</Badge>
                )}
                {!m.marketingConsent && <Badge>{t.members.noConsent}</Badge>}
              </td>
              <td class="mono">{m.memberCode}</td>
              <td class="mono">{m.phoneMasked ?? '—'}</td>
              <td>{tierLabel(m.tier)}</td>
              <td class="num">{fmtNumber(m.pointsBalance)}</td>
              <td class="num">{fmtMoney(m.totalSpend)}</td>
              <td>{m.rfmSegment ?? '—'}</td>
              <td class="tags">
                {m.tags.slice(0, 4).map((x) => (
                  <Badge key={x} tone="teal">
                    {x}
                  </Badge>
                ))}
                {m.tags.length > 4 && <small>+{m.tags.length - 4}</small>}
              </td>
              <td>{fmtAgo(m.lastInteractionAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ExportDialog(props: { filters: Filters; onClose: () => void }) {
  const fields = useLoad(() => api.members.exportFields(), []);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const selected = chosen ?? fields.data?.defaults ?? [];
  const toggle = (key: string) =>
    setChosen(selected.includes(key) ? selected.filter((k) => k !== key) : [...selected, key]);
  // The export has no order: the list's sort is left out.
  const href = api.members.exportUrl({ ...props.filters, sort: undefined, fields: selected.join(',') });
  return (
    <Modal title={t.members.exportTitle} onClose={props.onClose}>
      <p class="muted">{t.members.exportHint}</p>
      <h3>{t.members.exportFields}</h3>
      {!fields.data ? (
        <Spinner />
      ) : (
        <div class="checkbox-grid">
          {fields.data.fields.map((f) => (
            <label key={f.key} class="check">
              <input type="checkbox" checked={selected.includes(f.key)} onChange={() => toggle(f.key)} />
              {f.label}
              {f.importable && <small class="muted">（{t.members.importable}）</small>}
            </label>
          ))}
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={props.onClose}>
          {t.common.cancel}
        </button>
        <a
          class={`btn btn-primary ${selected.length ? '' : 'disabled'}`}
          href={href}
          download
          onClick={() => setTimeout(props.onClose, 300)}>
          {t.members.exportStart}
        </a>
      </div>
    </Modal>
  );
}
