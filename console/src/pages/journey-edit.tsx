import { useEffect, useState } from 'preact/hooks';
import type { JourneyStepType } from '../../../api/contracts/journeys';
import { api } from '../api/client';
import { fmtNumber } from '../format';
import { t } from '../i18n';
import {
  emptyJourney,
  formFromRequest,
  formFromView,
  newStep,
  STEP_TYPES,
  stepErrors,
  toRequest,
  type JourneyForm,
} from '../journeys/journey-form';
import { StepStatsCard, TestRunCard } from '../journeys/journey-side';
import { jt } from '../journeys/journey-texts';
import { TriggerFields } from '../journeys/trigger-fields';
import { StepEditor } from '../journeys/step-editor';
import { navigate, useRoute } from '../router';
import { Badge, Card, ErrorBanner, Field, Modal, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { JOURNEY_TONE } from './journeys';

/**
 * The journey editor: trigger, a vertical list of steps (branches name their targets), goal and options; pause and
 * resume, test run, per-step figures, and a delete that asks what to do with the members still in the journey.
 */
export default function JourneyEditPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const template = useRoute().params.get('template') ?? '';
  const existing = useLoad(() => (id ? api.journeys.get(id).then((r) => r.journey) : Promise.resolve(null)), [id]);
  const templates = useLoad(
    () => (!id && template ? api.journeys.templates() : Promise.resolve({ templates: [] })),
    [id, template],
  );
  const segments = useLoad(() => api.segments.list(), []);
  const coupons = useLoad(() => api.coupons.templates().catch(() => ({ templates: [] })), []);
  const stats = useLoad(() => (id ? api.journeys.stats(id) : Promise.resolve(null)), [id]);
  const [form, setForm] = useState<JourneyForm | null>(id || template ? null : emptyJourney());
  const [notice, setNotice] = useState('');
  const [removing, setRemoving] = useState(false);
  const [addType, setAddType] = useState<JourneyStepType>('message');
  useEffect(() => {
    if (existing.data) setForm(formFromView(existing.data));
  }, [existing.data]);
  useEffect(() => {
    const found = templates.data?.templates.find((x) => x.key === template);
    if (found) setForm(formFromRequest(found.journey));
    else if (templates.data && !id) setForm(emptyJourney());
  }, [templates.data, template, id]);
  const wouldEnter = useWouldEnter(form);
  const set = (patch: Partial<JourneyForm>) => setForm((f) => (f ? { ...f, ...patch } : f));

  const save = useAction(async (status: 'draft' | 'active') => {
    const body = toRequest(form!, status);
    const res = id ? await api.journeys.update(id, body) : await api.journeys.create(body, template);
    setNotice(jt.saved);
    if (!id) navigate(`/journeys/${res.journey.id}`, { replace: true });
    else existing.reload();
    return res.journey;
  });
  const toggle = useAction(async () => {
    const j = existing.data!;
    await (j.status === 'paused' ? api.journeys.resume(j.id) : api.journeys.pause(j.id));
    existing.reload();
  });

  if (!form) return existing.error ? <ErrorBanner error={existing.error} /> : <Spinner />;
  const errors = save.error?.fields ?? {};
  const status = existing.data?.status ?? 'draft';
  const steps = form.steps;
  const setStep = (i: number, s: (typeof steps)[number]) => set({ steps: steps.map((x, j) => (j === i ? s : x)) });
  const move = (i: number, d: -1 | 1) => {
    const next = [...steps];
    [next[i], next[i + d]] = [next[i + d], next[i]];
    set({ steps: next });
  };
  const ids = steps.map((s) => s.id);
  return (
    <div>
      <PageHeader
        title={id ? form.name || jt.edit : jt.newJourney}
        back={{ href: '/journeys', label: `← ${jt.title}` }}>
        {id && <Badge tone={JOURNEY_TONE[status]}>{jt.statuses[status] ?? status}</Badge>}
        {id && (status === 'active' || status === 'paused') && (
          <button type="button" class="btn" disabled={toggle.busy} onClick={() => void toggle.run()}>
            {status === 'paused' ? jt.resume : jt.pause}
          </button>
        )}
        {id && (
          <button type="button" class="btn btn-ghost" onClick={() => setRemoving(true)}>
            {jt.remove}
          </button>
        )}
      </PageHeader>
      {status === 'paused' && <Notice kind="warn">{jt.paused}</Notice>}
      <ErrorBanner error={toggle.error} />
      {id && <StepStatsCard stats={stats.data} error={stats.error} />}
      <div class="grid grid-main-side">
        <div class="stack">
          <Card>
            <Field label={jt.name} error={errors.name}>
              <input name="name" maxLength={80} value={form.name} onInput={(e) => set({ name: valueOf(e) })} />
            </Field>
            <Field label={jt.description} error={errors.description}>
              <input
                name="description"
                maxLength={500}
                value={form.description ?? ''}
                onInput={(e) => set({ description: valueOf(e) })}
              />
            </Field>
            <Field label={jt.category} error={errors.category}>
              <select
                name="category"
                value={form.category ?? 'marketing'}
                onChange={(e) => set({ category: valueOf(e) as JourneyForm['category'] })}>
                {Object.entries(jt.categories).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            </Field>
          </Card>
          <Card title={jt.trigger}>
            <TriggerFields
              trigger={form.trigger}
              onChange={(trigger) => set({ trigger })}
              errors={errors}
              segments={segments.data?.segments ?? []}
              wouldEnter={wouldEnter}
            />
          </Card>
          <h2 class="section-title">{jt.steps}</h2>
          <p class="muted small">{jt.stepsHint}</p>
          {errors.steps && <p class="field-error">{errors.steps}</p>}
          {steps.map((s, i) => (
            <StepEditor
              key={i}
              step={s}
              index={i}
              count={steps.length}
              otherIds={ids.filter((x) => x !== s.id)}
              errors={stepErrors(errors, i)}
              coupons={coupons.data?.templates ?? []}
              tierTrigger={form.trigger.type === 'tier_changed'}
              onChange={(next) => setStep(i, next)}
              onMove={(d) => move(i, d)}
              onRemove={() => set({ steps: steps.filter((_, j) => j !== i) })}
            />
          ))}
          <div class="inline-form">
            <select aria-label={jt.addStep} value={addType} onChange={(e) => setAddType(valueOf(e) as JourneyStepType)}>
              {STEP_TYPES.map((k) => (
                <option key={k} value={k}>
                  {jt.stepTypes[k]}
                </option>
              ))}
            </select>
            <button type="button" class="btn" onClick={() => set({ steps: [...steps, newStep(addType, ids)] })}>
              {jt.addStep}
            </button>
          </div>
          <GoalCard form={form} set={set} errors={errors} />
          <ErrorBanner error={save.error} />
          {notice && !save.error && <Notice kind="ok">{notice}</Notice>}
          <div class="form-actions">
            {status === 'draft' && (
              <button type="button" class="btn" disabled={save.busy} onClick={() => void save.run('draft')}>
                {jt.saveDraft}
              </button>
            )}
            <button type="button" class="btn btn-primary" disabled={save.busy} onClick={() => void save.run('active')}>
              {status === 'draft' ? jt.saveActivate : jt.save}
            </button>
          </div>
        </div>
        <aside class="sticky stack">
          <TestRunCard journeyId={id} />
        </aside>
      </div>
      {removing && existing.data && (
        <RemoveModal
          id={existing.data.id}
          name={existing.data.name}
          active={existing.data.stats.active}
          onClose={() => setRemoving(false)}
        />
      )}
    </div>
  );
}

function GoalCard(props: {
  form: JourneyForm;
  set: (p: Partial<JourneyForm>) => void;
  errors: Record<string, string>;
}) {
  const { form, set, errors } = props;
  const options = form.options ?? {};
  const quiet = options.quietHours ?? { enabled: true, start: '21:00', end: '09:00' };
  return (
    <Card title={jt.goal}>
      <Field label={jt.goal} error={errors.goal ?? errors['goal.kind']}>
        <select
          name="goal"
          value={form.goal?.kind ?? 'none'}
          onChange={(e) => {
            const k = valueOf(e);
            set({
              goal: k === 'purchase' ? { kind: 'purchase', minAmount: 0 } : k === 'redeem' ? { kind: 'redeem' } : null,
            });
          }}>
          {Object.entries(jt.goalKinds).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </Field>
      {form.goal && (
        <label class="check">
          <input
            type="checkbox"
            checked={options.exitOnGoal !== false}
            onChange={(e) => set({ options: { ...options, exitOnGoal: e.currentTarget.checked } })}
          />
          {jt.exitOnGoal}
        </label>
      )}
      <Field label={jt.reentry} error={errors['options.reentryAfterDays']}>
        <input
          type="number"
          min={1}
          value={options.reentryAfterDays ?? ''}
          onInput={(e) => {
            const v = valueOf(e).trim();
            set({ options: { ...options, reentryAfterDays: v ? Number(v) : null } });
          }}
        />
      </Field>
      <label class="check">
        <input
          type="checkbox"
          checked={quiet.enabled}
          onChange={(e) => set({ options: { ...options, quietHours: { ...quiet, enabled: e.currentTarget.checked } } })}
        />
        {jt.quietHours}
      </label>
      {errors['options.quietHours'] && <p class="field-error">{errors['options.quietHours']}</p>}
    </Card>
  );
}

/** Deleting asks what to do with members still in the journey: they leave it now, or nothing is deleted. */
function RemoveModal(props: { id: string; name: string; active: number; onClose: () => void }) {
  const remove = useAction(async (exit: boolean) => {
    await api.journeys.remove(props.id, exit);
    navigate('/journeys');
  });
  return (
    <Modal title={jt.removeTitle} onClose={props.onClose}>
      <p>{jt.removeConfirm(props.name)}</p>
      {props.active > 0 && <Notice kind="warn">{jt.removeWithMembers(fmtNumber(props.active))}</Notice>}
      <ErrorBanner error={remove.error} />
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={props.onClose}>
          {t.common.cancel}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          disabled={remove.busy}
          data-testid="confirm-remove"
          onClick={() => void remove.run(props.active > 0)}>
          {props.active > 0 ? jt.removeExit : jt.removeOnly}
        </button>
      </div>
    </Modal>
  );
}

/** "Who would enter now" for a segment trigger, asked 500 ms after the last change. */
function useWouldEnter(form: JourneyForm | null): number | null {
  const [count, setCount] = useState<number | null>(null);
  const trigger = form?.trigger;
  const key = JSON.stringify(trigger ?? null);
  useEffect(() => {
    setCount(null);
    if (trigger?.type !== 'segment' || trigger.audience.type !== 'segment' || !trigger.audience.segmentId) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      api.journeys.wouldEnter(trigger).then(
        (r) => !cancelled && setCount(r.count),
        () => !cancelled && setCount(null),
      );
    }, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the trigger as the API reads it
  }, [key]);
  return count;
}
