import { useState } from 'preact/hooks';
import type { CouponTemplateRequest, CouponTemplateView } from '../../../api/contracts/console';
import { ApiError } from '@kit/http';
import { actionKey, api } from '../api/client';
import { fmtDate, fmtNumber } from '../format';
import { t } from '../i18n';
import { Badge, Card, Empty, ErrorBanner, Field, Modal, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

export default function CouponsPage() {
  const [showArchived, setShowArchived] = useState(false);
  const list = useLoad(() => api.coupons.templates(showArchived ? 'all' : 'active'), [showArchived]);
  const [editing, setEditing] = useState<CouponTemplateView | 'new' | null>(null);
  const [issuing, setIssuing] = useState<CouponTemplateView | null>(null);
  const archive = useAction(async (id: string) => {
    await api.coupons.archiveTemplate(id);
    list.reload();
  });
  return (
    <div>
      <PageHeader title={t.coupons.title}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          {t.coupons.new}
        </button>
      </PageHeader>
      <label class="check">
        <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} />
        {t.coupons.showArchived}
      </label>
      <ErrorBanner error={list.error ?? archive.error} />
      <Card title={t.coupons.templates}>
        {!list.data ? (
          <Spinner />
        ) : list.data.templates.length === 0 ? (
          <Empty />
        ) : (
          <table class="table" data-testid="coupon-templates">
            <thead>
              <tr>
                <th>{t.coupons.titleField}</th>
                <th>{t.coupons.kind}</th>
                <th>{t.coupons.validity}</th>
                <th class="num">{t.coupons.issued}</th>
                <th class="num">{t.coupons.used}</th>
                <th class="num">{t.coupons.remaining}</th>
                <th>{t.coupons.pointsCost}</th>
                <th>{t.common.actions}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.templates.map((x) => (
                <tr key={x.id}>
                  <td>
                    <strong>{x.title}</strong>
                    {x.status === 'archived' && <Badge>{t.coupons.archived}</Badge>}
                    <small class="muted block">{x.terms}</small>
                  </td>
                  <td>
                    <Badge tone="teal">{x.valueLabel}</Badge>
                    {x.minSpend > 0 && <small class="muted block">{t.counter.minSpend(fmtNumber(x.minSpend))}</small>}
                  </td>
                  <td>
                    {x.validity.mode === 'fixed'
                      ? `${fmtDate(x.validity.from)} – ${fmtDate(x.validity.until)}`
                      : `${t.coupons.relative} ${t.units.days(x.validity.days)}`}
                  </td>
                  <td class="num">{fmtNumber(x.issuedCount)}</td>
                  <td class="num">{fmtNumber(x.usedCount)}</td>
                  <td class="num">{x.quotaRemaining === null ? '∞' : fmtNumber(x.quotaRemaining)}</td>
                  <td>{x.pointsCost ? `${fmtNumber(x.pointsCost)} ${t.units.points}` : '—'}</td>
                  <td class="nowrap">
                    {x.status === 'active' && (
                      <>
                        <button type="button" class="btn btn-small" onClick={() => setIssuing(x)}>
                          {t.coupons.issue}
                        </button>{' '}
                        <button type="button" class="btn btn-small" onClick={() => setEditing(x)}>
                          {t.common.edit}
                        </button>{' '}
                        <button type="button" class="btn btn-small btn-ghost" onClick={() => void archive.run(x.id)}>
                          {t.coupons.archive}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {editing && (
        <TemplateForm
          template={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
      {issuing && (
        <IssueDialog
          template={issuing}
          onClose={() => {
            setIssuing(null);
            list.reload();
          }}
        />
      )}
    </div>
  );
}

interface TemplateDraft {
  title: string;
  terms: string;
  kind: 'amount' | 'percent' | 'gift';
  value: string;
  giftName: string;
  mode: 'fixed' | 'relative';
  from: string;
  until: string;
  days: string;
  totalQuota: string;
  perMemberLimit: string;
  minSpend: string;
  pointsCost: string;
  storeIds: string;
}

function draftOf(x: CouponTemplateView | null): TemplateDraft {
  return {
    title: x?.title ?? '',
    terms: x?.terms ?? '',
    kind: x?.kind ?? 'amount',
    value: String(x?.value ?? 100),
    giftName: x?.giftName ?? '',
    mode: x?.validity.mode ?? 'relative',
    from: x?.validity.mode === 'fixed' && x.validity.from ? x.validity.from.slice(0, 10) : '',
    until: x?.validity.mode === 'fixed' ? x.validity.until.slice(0, 10) : '',
    days: x?.validity.mode === 'relative' ? String(x.validity.days) : '30',
    totalQuota: x?.totalQuota ? String(x.totalQuota) : '',
    perMemberLimit: String(x?.perMemberLimit ?? 1),
    minSpend: String(x?.minSpend ?? 0),
    pointsCost: x?.pointsCost ? String(x.pointsCost) : '',
    storeIds: x?.storeIds.join(', ') ?? '',
  };
}

function TemplateForm(props: { template: CouponTemplateView | null; onClose: () => void; onSaved: () => void }) {
  const [d, setD] = useState<TemplateDraft>(draftOf(props.template));
  const set = (k: keyof TemplateDraft) => (e: Parameters<typeof valueOf>[0]) => setD({ ...d, [k]: valueOf(e) });
  const save = useAction(async () => {
    const validity: CouponTemplateRequest['validity'] =
      d.mode === 'fixed'
        ? {
            mode: 'fixed',
            ...(d.from ? { from: `${d.from}T00:00:00+08:00` } : {}),
            until: d.until ? `${d.until}T23:59:59+08:00` : '',
          }
        : { mode: 'relative', days: Number(d.days) };
    const body = {
      title: d.title,
      terms: d.terms,
      kind: d.kind,
      value: d.kind === 'gift' ? 0 : Number(d.value),
      ...(d.kind === 'gift' ? { giftName: d.giftName } : {}),
      validity,
      totalQuota: d.totalQuota ? Number(d.totalQuota) : null,
      perMemberLimit: Number(d.perMemberLimit),
      minSpend: Number(d.minSpend),
      pointsCost: d.pointsCost ? Number(d.pointsCost) : null,
      storeIds: d.storeIds
        .split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean),
    };
    if (props.template) await api.coupons.updateTemplate(props.template.id, body);
    else await api.coupons.createTemplate(body);
    props.onSaved();
  });
  const e = save.error?.fields ?? {};
  return (
    <Modal title={props.template ? t.common.edit : t.coupons.new} onClose={props.onClose} wide>
      <form
        class="grid grid-2 tight"
        onSubmit={(ev) => {
          ev.preventDefault();
          void save.run();
        }}>
        <Field label={t.coupons.titleField} error={e.title}>
          <input name="title" required value={d.title} onInput={set('title')} />
        </Field>
        <Field label={t.coupons.kind}>
          <select name="kind" value={d.kind} onChange={set('kind')}>
            {Object.entries(t.coupons.kinds).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        {d.kind === 'gift' ? (
          <Field label={t.coupons.giftName} error={e.giftName}>
            <input name="giftName" value={d.giftName} onInput={set('giftName')} />
          </Field>
        ) : (
          <Field label={d.kind === 'amount' ? t.coupons.amountValue : t.coupons.percentValue} error={e.value}>
            <input name="value" type="number" min={1} value={d.value} onInput={set('value')} />
          </Field>
        )}
        <Field label={t.coupons.minSpend} error={e.minSpend}>
          <input type="number" min={0} value={d.minSpend} onInput={set('minSpend')} />
        </Field>
        <Field label={t.coupons.validity}>
          <select value={d.mode} onChange={set('mode')}>
            <option value="relative">{t.coupons.relative}</option>
            <option value="fixed">{t.coupons.fixed}</option>
          </select>
        </Field>
        {d.mode === 'relative' ? (
          <Field label={t.coupons.days} error={e['validity.days']}>
            <input type="number" min={1} value={d.days} onInput={set('days')} />
          </Field>
        ) : (
          <div class="grid grid-2 tight">
            <Field label={t.coupons.from}>
              <input type="date" value={d.from} onInput={set('from')} />
            </Field>
            <Field label={t.coupons.until} error={e['validity.until'] ?? e.validity}>
              <input type="date" value={d.until} onInput={set('until')} />
            </Field>
          </div>
        )}
        <Field label={t.coupons.totalQuota} error={e.totalQuota}>
          <input type="number" min={1} value={d.totalQuota} onInput={set('totalQuota')} />
        </Field>
        <Field label={t.coupons.perMemberLimit} error={e.perMemberLimit}>
          <input type="number" min={1} value={d.perMemberLimit} onInput={set('perMemberLimit')} />
        </Field>
        <Field label={t.coupons.pointsCost} error={e.pointsCost}>
          <input type="number" min={1} value={d.pointsCost} onInput={set('pointsCost')} />
        </Field>
        <Field label={t.coupons.storeIds}>
          <input value={d.storeIds} onInput={set('storeIds')} />
        </Field>
        <Field label={t.coupons.terms} class="span-2">
          <textarea rows={3} value={d.terms} onInput={set('terms')} />
        </Field>
        <div class="span-2">
          <ErrorBanner error={save.error} />
        </div>
        <div class="form-actions span-2">
          <button type="button" class="btn btn-ghost" onClick={props.onClose}>
            {t.common.cancel}
          </button>
          <button type="submit" class="btn btn-primary" disabled={save.busy}>
            {t.common.save}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function IssueDialog(props: { template: CouponTemplateView; onClose: () => void }) {
  const segments = useLoad(() => api.segments.list(), []);
  const [target, setTarget] = useState<'member' | 'segment'>('member');
  const [code, setCode] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [notify, setNotify] = useState(true);
  const [result, setResult] = useState('');
  const issue = useAction(async () => {
    let body: Record<string, unknown>;
    if (target === 'member') {
      const found = await api.members.search({ q: code, pageSize: 2 });
      const m =
        // Rows carry masked phones: a typed phone is matched by the search itself (one row for a full number).
        found.rows.find((r) => r.memberCode === code.trim().toUpperCase()) ??
        (found.rows.length === 1 ? found.rows[0] : undefined);
      if (!m) throw new ApiError('member_not_found', 404, t.coupons.memberNotFound);
      body = { memberId: m.id };
    } else body = { segmentId };
    const res = await api.coupons.issue(props.template.id, { ...body, key: actionKey(), notify });
    setResult(t.coupons.issueDone(fmtNumber(res.issued)));
  });
  return (
    <Modal title={`${t.coupons.issue}：${props.template.title}`} onClose={props.onClose}>
      <div class="radio-group inline">
        <label>
          <input type="radio" checked={target === 'member'} onChange={() => setTarget('member')} />
          {t.coupons.issueMember}
        </label>
        <label>
          <input type="radio" checked={target === 'segment'} onChange={() => setTarget('segment')} />
          {t.coupons.issueSegment}
        </label>
      </div>
      {target === 'member' ? (
        <Field label={t.members.columns.code}>
          <input value={code} onInput={(e) => setCode(valueOf(e))} />
        </Field>
      ) : (
        <Field label={t.members.segment}>
          <select value={segmentId} onChange={(e) => setSegmentId(e.currentTarget.value)}>
            <option value="">—</option>
            {segments.data?.segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}（{fmtNumber(s.lastCount)}）
              </option>
            ))}
          </select>
        </Field>
      )}
      <label class="check">
        <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} />
        {t.coupons.notify}
      </label>
      <ErrorBanner error={issue.error} />
      {result && <Notice kind="ok">{result}</Notice>}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={props.onClose}>
          {t.common.close}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          disabled={issue.busy || (target === 'member' ? !code.trim() : !segmentId)}
          onClick={() => void issue.run()}>
          {t.coupons.issue}
        </button>
      </div>
    </Modal>
  );
}
