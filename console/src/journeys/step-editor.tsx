import type { BranchConditionWire } from '../../../api/contracts/journeys';
import type { CouponTemplateView } from '../../../api/contracts/console';
import { api } from '../api/client';
import { LinePreview, useServerPreview } from '../campaigns/line-preview';
import { MessageEditor, toLineMessage } from '../campaigns/message-editor';
import { t } from '../i18n';
import { Field, valueOf } from '../ui/components';
import { listOf, type FormStep } from './journey-form';
import { jt } from './journey-texts';

type Props = {
  step: FormStep;
  index: number;
  count: number;
  /** Ids of the other steps (branch targets, "clicked"/"redeemed" conditions). */
  otherIds: string[];
  errors: Record<string, string>;
  coupons: CouponTemplateView[];
  tierTrigger: boolean;
  onChange: (s: FormStep) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
};

const num = (v: string) => (v.trim() === '' ? 0 : Number(v));

/** One step of the vertical list: its id, its type's fields, and move/remove; API errors shown at the field. */
export function StepEditor(props: Props) {
  const { step, errors } = props;
  const set = (patch: Record<string, unknown>) => props.onChange({ ...step, ...patch } as FormStep);
  return (
    <section class="card journey-step" data-testid={`journey-step-${props.index}`}>
      <div class="card-head">
        <h2>
          {props.index + 1}. {jt.stepTypes[step.type]}
        </h2>
        <div class="card-actions">
          <button
            type="button"
            class="btn btn-small btn-ghost"
            disabled={props.index === 0}
            aria-label={jt.moveUp}
            onClick={() => props.onMove(-1)}>
            ↑
          </button>
          <button
            type="button"
            class="btn btn-small btn-ghost"
            disabled={props.index === props.count - 1}
            aria-label={jt.moveDown}
            onClick={() => props.onMove(1)}>
            ↓
          </button>
          <button
            type="button"
            class="btn btn-small btn-ghost"
            disabled={props.count === 1}
            aria-label={jt.removeStep}
            onClick={props.onRemove}>
            ✕
          </button>
        </div>
      </div>
      <Field label={jt.stepId} error={errors.id}>
        <input name="stepId" value={step.id} maxLength={32} onInput={(e) => set({ id: valueOf(e) })} />
      </Field>
      {errors[''] && <p class="field-error">{errors['']}</p>}
      <StepFields {...props} set={set} />
    </section>
  );
}

function StepFields(props: Props & { set: (patch: Record<string, unknown>) => void }) {
  const { step, errors, set } = props;
  switch (step.type) {
    case 'wait':
      return (
        <>
          <div class="grid grid-3">
            <Field label={jt.waitDays} error={errors.days}>
              <input
                type="number"
                name="waitDays"
                min={0}
                value={step.days ?? 0}
                onInput={(e) => set({ days: num(valueOf(e)) })}
              />
            </Field>
            <Field label={jt.waitHours} error={errors.hours}>
              <input type="number" min={0} value={step.hours ?? 0} onInput={(e) => set({ hours: num(valueOf(e)) })} />
            </Field>
            <Field label={jt.waitMinutes} error={errors.minutes}>
              <input
                type="number"
                min={0}
                value={step.minutes ?? 0}
                onInput={(e) => set({ minutes: num(valueOf(e)) })}
              />
            </Field>
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={Boolean(step.until)}
              onChange={(e) => set({ until: e.currentTarget.checked ? { weekday: null, time: '12:00' } : null })}
            />
            {jt.waitUntil}
          </label>
          {step.until && (
            <Field label={jt.waitTime} error={errors['until.time'] ?? errors.until}>
              <input
                type="time"
                value={step.until.time}
                onInput={(e) => set({ until: { ...step.until!, time: valueOf(e) } })}
              />
            </Field>
          )}
        </>
      );
    case 'message':
      return (
        <>
          <MessageEditor messages={step.editor} onChange={(editor) => set({ editor })} errors={errors} max={5} />
          <label class="check">
            <input
              type="checkbox"
              checked={step.linkTracking === 'member'}
              onChange={(e) => set({ linkTracking: e.currentTarget.checked ? 'member' : 'link' })}
            />
            {jt.linkTracking}
          </label>
          <MessageStepPreview step={step} />
        </>
      );
    case 'coupon':
      return (
        <>
          <Field label={jt.coupon} error={errors.templateId}>
            <select name="couponTemplateId" value={step.templateId} onChange={(e) => set({ templateId: valueOf(e) })}>
              <option value="">{jt.chooseCoupon}</option>
              {props.tierTrigger && <option value="tier">{jt.tierCoupon}</option>}
              {props.coupons.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}（{c.valueLabel}）
                </option>
              ))}
            </select>
          </Field>
          <label class="check">
            <input
              type="checkbox"
              checked={step.notify !== false}
              onChange={(e) => set({ notify: e.currentTarget.checked })}
            />
            {jt.notify}
          </label>
        </>
      );
    case 'tags':
      return (
        <div class="grid grid-2">
          <Field label={jt.tagsAdd} error={errors.add ?? errors['add.0']}>
            <input value={(step.add ?? []).join('，')} onChange={(e) => set({ add: listOf(valueOf(e)) })} />
          </Field>
          <Field label={jt.tagsRemove} error={errors.remove ?? errors['remove.0']}>
            <input value={(step.remove ?? []).join('，')} onChange={(e) => set({ remove: listOf(valueOf(e)) })} />
          </Field>
        </div>
      );
    case 'points':
      return (
        <Field label={jt.points} error={errors.points}>
          <input type="number" min={1} value={step.points} onInput={(e) => set({ points: num(valueOf(e)) })} />
        </Field>
      );
    case 'branch':
      return <BranchFields {...props} />;
    default:
      return null;
  }
}

function BranchFields(props: Props & { set: (patch: Record<string, unknown>) => void }) {
  const { errors, set } = props;
  const step = props.step as Extract<FormStep, { type: 'branch' }>;
  const c = step.condition;
  const setCondition = (kind: string) => {
    const first = props.otherIds[0] ?? '';
    const next: BranchConditionWire =
      kind === 'tag'
        ? { kind, tag: '' }
        : kind === 'clicked' || kind === 'redeemed'
          ? { kind, stepId: first }
          : { kind: 'purchased' };
    set({ condition: next });
  };
  const targets = (
    <>
      <option value="end">{jt.endTarget}</option>
      {props.otherIds.map((id) => (
        <option key={id} value={id}>
          {id}
        </option>
      ))}
    </>
  );
  return (
    <>
      <div class="grid grid-2">
        <Field label={jt.condition} error={errors.condition ?? errors['condition.kind']}>
          <select value={c.kind} onChange={(e) => setCondition(valueOf(e))} disabled={c.kind === 'segment'}>
            {Object.entries(jt.conditions)
              .filter(([k]) => k !== 'segment' || c.kind === 'segment')
              .map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
          </select>
        </Field>
        {c.kind === 'tag' && (
          <Field label={jt.tag} error={errors['condition.tag']}>
            <input value={c.tag} onInput={(e) => set({ condition: { ...c, tag: valueOf(e) } })} />
          </Field>
        )}
        {(c.kind === 'clicked' || c.kind === 'redeemed') && (
          <Field label={jt.conditionStep} error={errors['condition.stepId']}>
            <select value={c.stepId} onChange={(e) => set({ condition: { ...c, stepId: valueOf(e) } })}>
              {props.otherIds.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      <div class="grid grid-2">
        <Field label={jt.then} error={errors.then}>
          <select value={step.then} onChange={(e) => set({ then: valueOf(e) })}>
            {targets}
          </select>
        </Field>
        <Field label={jt.else} error={errors.else}>
          <select value={step.else} onChange={(e) => set({ else: valueOf(e) })}>
            {targets}
          </select>
        </Field>
      </div>
    </>
  );
}

/**
 * The step's messages as the customer will read them: the campaign preview (the server's rendering, so each link
 * shows its destination line above the short link, a per-member code when links are tracked per member).
 */
function MessageStepPreview({ step }: { step: Extract<FormStep, { type: 'message' }> }) {
  const draft = { messages: step.editor.map(toLineMessage), linkTracking: step.linkTracking ?? 'link' };
  const preview = useServerPreview(JSON.stringify(draft), () => api.journeys.previewStep(draft));
  return (
    <div class="stack" data-testid="step-message-preview">
      <LinePreview messages={preview?.messages ?? draft.messages} />
      <p class="muted small">{t.campaigns.previewHint}</p>
    </div>
  );
}
