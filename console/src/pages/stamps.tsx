import { useState } from 'preact/hooks';
import type { StampRewardInput, StampTemplateInput, StampTemplateView } from '../../../api/contracts/console-stamps';
import { api } from '../api/client';
import { fmtDate } from '../format';
import { t } from '../i18n';
import { Badge, Card, Empty, ErrorBanner, Field, Modal, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

type Coupons = Array<{ id: string; title: string }>;

/** 集點卡 (#16.1): the stamp card templates — how stamps are earned, what they give, how long a card lasts. */
export default function StampsPage() {
  const list = useLoad(() => api.stamps.templates(), []);
  const coupons = useLoad(() => api.coupons.templates('active'), []);
  const [editing, setEditing] = useState<StampTemplateView | 'new' | null>(null);
  const couponList: Coupons = coupons.data?.templates.map((c) => ({ id: c.id, title: c.title })) ?? [];
  const rewardLabel = (r: StampRewardInput | null) =>
    !r
      ? '—'
      : r.kind === 'points'
        ? t.stamps.pointsLabel(r.points)
        : `「${couponList.find((c) => c.id === r.couponTemplateId)?.title ?? t.stamps.coupon}」`;
  return (
    <div>
      <PageHeader title={t.stamps.title}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          {t.stamps.new}
        </button>
      </PageHeader>
      <ErrorBanner error={list.error ?? coupons.error} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : list.data.templates.length === 0 ? (
          <Empty>{t.stamps.empty}</Empty>
        ) : (
          <table class="table" data-testid="stamp-templates">
            <thead>
              <tr>
                <th>{t.stamps.name}</th>
                <th>{t.stamps.earnRule}</th>
                <th>{t.stamps.milestones}</th>
                <th>{t.stamps.validity}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.templates.map((x) => (
                <tr key={x.id}>
                  <td>
                    <strong>{x.name}</strong>{' '}
                    <Badge tone={x.status === 'active' ? 'teal' : undefined}>
                      {x.status === 'active' ? t.stamps.active : t.stamps.archived}
                    </Badge>
                    <small class="muted block">
                      {t.stamps.rewardSummary(x.stampsNeeded, rewardLabel(x.completionReward))}
                    </small>
                  </td>
                  <td>{t.stamps.rules[x.earn.rule]}</td>
                  <td>
                    {x.milestones.map((m) => (
                      <small key={m.at} class="block">
                        {t.stamps.rewardSummary(m.at, rewardLabel(m.reward))}
                      </small>
                    ))}
                  </td>
                  <td>
                    {x.validity.mode === 'days_from_first_stamp'
                      ? `${t.stamps.validityModes.days_from_first_stamp} ${x.validity.days}`
                      : x.validity.mode === 'fixed_end' && x.validity.endsAt
                        ? fmtDate(x.validity.endsAt)
                        : t.stamps.validityModes.none}
                  </td>
                  <td>
                    <button type="button" class="btn btn-small" onClick={() => setEditing(x)}>
                      {t.common.edit}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {editing && (
        <StampTemplateForm
          template={editing === 'new' ? null : editing}
          templates={list.data?.templates ?? []}
          coupons={couponList}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
    </div>
  );
}

interface RewardDraft {
  kind: 'points' | 'coupon';
  points: string;
  couponTemplateId: string;
}
const rewardDraft = (r: StampRewardInput | null | undefined): RewardDraft => ({
  kind: r?.kind ?? 'coupon',
  points: r?.kind === 'points' ? String(r.points) : '',
  couponTemplateId: r?.kind === 'coupon' ? r.couponTemplateId : '',
});
const rewardBody = (r: RewardDraft): StampRewardInput =>
  r.kind === 'points'
    ? { kind: 'points', points: Number(r.points) }
    : { kind: 'coupon', couponTemplateId: r.couponTemplateId };

function RewardFields(props: {
  value: RewardDraft;
  coupons: Coupons;
  error?: string;
  onChange: (r: RewardDraft) => void;
}) {
  const r = props.value;
  return (
    <div class="grid grid-2 tight">
      <Field label={t.stamps.rewardKind}>
        <select value={r.kind} onChange={(e) => props.onChange({ ...r, kind: valueOf(e) as RewardDraft['kind'] })}>
          <option value="coupon">{t.stamps.coupon}</option>
          <option value="points">{t.stamps.points}</option>
        </select>
      </Field>
      {r.kind === 'points' ? (
        <Field label={t.stamps.points} error={props.error}>
          <input type="number" min={1} value={r.points} onInput={(e) => props.onChange({ ...r, points: valueOf(e) })} />
        </Field>
      ) : (
        <Field label={t.stamps.pickCoupon} error={props.error}>
          <select value={r.couponTemplateId} onChange={(e) => props.onChange({ ...r, couponTemplateId: valueOf(e) })}>
            <option value="">—</option>
            {props.coupons.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </Field>
      )}
    </div>
  );
}

function StampTemplateForm(props: {
  template: StampTemplateView | null;
  templates: StampTemplateView[];
  coupons: Coupons;
  onClose: () => void;
  onSaved: () => void;
}) {
  const x = props.template;
  const [d, setD] = useState({
    name: x?.name ?? '',
    status: x?.status ?? 'active',
    stampsNeeded: String(x?.stampsNeeded ?? 10),
    rule: x?.earn.rule ?? 'per_purchase',
    amountPerStamp: x?.earn.amountPerStamp ? String(x.earn.amountPerStamp) : '',
    dailyCap: x?.earn.dailyCap ? String(x.earn.dailyCap) : '1',
    categories: x?.earn.categories.join(', ') ?? '',
    mode: x?.validity.mode ?? 'days_from_first_stamp',
    days: String(x?.validity.days ?? 180),
    endsAt: x?.validity.endsAt?.slice(0, 10) ?? '',
    nextTemplateId: x?.nextTemplateId ?? '',
    manualDailyLimit: String(x?.manualDailyLimit ?? 1),
  });
  const [milestones, setMilestones] = useState(
    (x?.milestones ?? []).map((m) => ({ at: String(m.at), reward: rewardDraft(m.reward) })),
  );
  const [completion, setCompletion] = useState(rewardDraft(x?.completionReward));
  const set = (k: keyof typeof d) => (e: Parameters<typeof valueOf>[0]) => setD({ ...d, [k]: valueOf(e) });
  const save = useAction(async () => {
    const body: StampTemplateInput = {
      name: d.name,
      status: d.status as 'active' | 'archived',
      stampsNeeded: Number(d.stampsNeeded),
      earn: {
        rule: d.rule as StampTemplateInput['earn']['rule'],
        amountPerStamp: d.rule === 'per_amount' && d.amountPerStamp ? Number(d.amountPerStamp) : null,
        dailyCap: d.rule === 'per_visit' ? Number(d.dailyCap) : null,
        categories:
          d.rule === 'per_category'
            ? d.categories
                .split(/[,，、]/)
                .map((s) => s.trim())
                .filter(Boolean)
            : [],
      },
      milestones: milestones.map((m) => ({ at: Number(m.at), reward: rewardBody(m.reward) })),
      completionReward: rewardBody(completion),
      validity:
        d.mode === 'days_from_first_stamp'
          ? { mode: 'days_from_first_stamp', days: Number(d.days) }
          : d.mode === 'fixed_end'
            ? { mode: 'fixed_end', endsAt: d.endsAt ? `${d.endsAt}T23:59:59+08:00` : '' }
            : { mode: 'none' },
      nextTemplateId: d.nextTemplateId || null,
      manualDailyLimit: Number(d.manualDailyLimit),
    };
    if (x) await api.stamps.updateTemplate(x.id, body);
    else await api.stamps.createTemplate(body);
    props.onSaved();
  });
  const e = save.error?.fields ?? {};
  return (
    <Modal title={x ? t.common.edit : t.stamps.new} onClose={props.onClose} wide>
      <form
        class="grid grid-2 tight"
        data-testid="stamp-template-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          void save.run();
        }}>
        <Field label={t.stamps.name} error={e.name}>
          <input name="name" value={d.name} onInput={set('name')} />
        </Field>
        <Field label={t.stamps.stampsNeeded} error={e.stampsNeeded}>
          <input
            name="stampsNeeded"
            type="number"
            min={2}
            max={50}
            value={d.stampsNeeded}
            onInput={set('stampsNeeded')}
          />
        </Field>
        <Field label={t.stamps.earnRule}>
          <select value={d.rule} onChange={set('rule')}>
            {Object.entries(t.stamps.rules).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        {d.rule === 'per_amount' && (
          <Field label={t.stamps.amountPerStamp} error={e['earn.amountPerStamp']}>
            <input type="number" min={1} value={d.amountPerStamp} onInput={set('amountPerStamp')} />
          </Field>
        )}
        {d.rule === 'per_visit' && (
          <Field label={t.stamps.dailyCap} error={e['earn.dailyCap']}>
            <input type="number" min={1} max={10} value={d.dailyCap} onInput={set('dailyCap')} />
          </Field>
        )}
        {d.rule === 'per_category' && (
          <Field label={t.stamps.categories} error={e['earn.categories']}>
            <input value={d.categories} onInput={set('categories')} />
          </Field>
        )}
        <div class="span-2">
          <strong>{t.stamps.milestones}</strong>
          {milestones.map((m, i) => (
            <div key={i} class="grid grid-2 tight">
              <Field label={t.stamps.at} error={e[`milestones.${i}.at`]}>
                <input
                  type="number"
                  min={1}
                  value={m.at}
                  onInput={(ev) => setMilestones(milestones.map((y, j) => (j === i ? { ...y, at: valueOf(ev) } : y)))}
                />
              </Field>
              <div>
                <RewardFields
                  value={m.reward}
                  coupons={props.coupons}
                  error={e[`milestones.${i}.reward.points`] ?? e[`milestones.${i}.reward.couponTemplateId`]}
                  onChange={(r) => setMilestones(milestones.map((y, j) => (j === i ? { ...y, reward: r } : y)))}
                />
                <button
                  type="button"
                  class="btn btn-ghost btn-small"
                  onClick={() => setMilestones(milestones.filter((_, j) => j !== i))}>
                  {t.stamps.remove}
                </button>
              </div>
            </div>
          ))}
          {milestones.length < 5 && (
            <button
              type="button"
              class="btn btn-small"
              onClick={() =>
                setMilestones([...milestones, { at: '', reward: rewardDraft({ kind: 'points', points: 20 }) }])
              }>
              {t.stamps.addMilestone}
            </button>
          )}
        </div>
        <div class="span-2">
          <strong>{t.stamps.completion}</strong>
          <RewardFields
            value={completion}
            coupons={props.coupons}
            error={e['completionReward.points'] ?? e['completionReward.couponTemplateId'] ?? e.completionReward}
            onChange={setCompletion}
          />
        </div>
        <Field label={t.stamps.validity}>
          <select value={d.mode} onChange={set('mode')}>
            {Object.entries(t.stamps.validityModes).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        {d.mode === 'days_from_first_stamp' && (
          <Field label={t.stamps.days} error={e['validity.days']}>
            <input type="number" min={1} value={d.days} onInput={set('days')} />
          </Field>
        )}
        {d.mode === 'fixed_end' && (
          <Field label={t.stamps.endsAt} error={e['validity.endsAt']}>
            <input type="date" value={d.endsAt} onInput={set('endsAt')} />
          </Field>
        )}
        <Field label={t.stamps.next} error={e.nextTemplateId}>
          <select value={d.nextTemplateId} onChange={set('nextTemplateId')}>
            <option value="">{t.stamps.sameCard}</option>
            {props.templates
              .filter((o) => o.id !== x?.id)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </select>
        </Field>
        <Field label={t.stamps.manualDailyLimit} error={e.manualDailyLimit}>
          <input type="number" min={0} max={5} value={d.manualDailyLimit} onInput={set('manualDailyLimit')} />
        </Field>
        <Field label={t.stamps.status}>
          <select value={d.status} onChange={set('status')}>
            <option value="active">{t.stamps.active}</option>
            <option value="archived">{t.stamps.archived}</option>
          </select>
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
