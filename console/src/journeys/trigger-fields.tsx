import type { JourneyTriggerWire } from '../../../api/contracts/journeys';
import type { SegmentView } from '../../../api/contracts/console';
import { fmtNumber } from '../format';
import { Field, valueOf } from '../ui/components';
import { defaultTrigger, TRIGGER_TYPES } from './journey-form';
import { jt } from './journey-texts';

type Props = {
  trigger: JourneyTriggerWire;
  onChange: (t: JourneyTriggerWire) => void;
  errors: Record<string, string>;
  segments: SegmentView[];
  wouldEnter: number | null;
};

const num = (v: string) => (v.trim() === '' ? 0 : Number(v));

/** The trigger form: the type, then the fields that type needs (errors from the API under `trigger.*`). */
export function TriggerFields(props: Props) {
  const t = props.trigger;
  const e = (k: string) => props.errors[`trigger.${k}`];
  const set = (patch: Record<string, unknown>) => props.onChange({ ...t, ...patch } as JourneyTriggerWire);
  return (
    <div class="stack" data-testid="journey-trigger">
      <Field label={jt.triggerType} error={props.errors.trigger ?? e('type')}>
        <select
          name="triggerType"
          value={t.type}
          onChange={(ev) => props.onChange(defaultTrigger(valueOf(ev) as JourneyTriggerWire['type']))}>
          {TRIGGER_TYPES.map((k) => (
            <option key={k} value={k}>
              {jt.triggers[k]}
            </option>
          ))}
        </select>
      </Field>
      {t.type === 'followed' && (
        <Field label={jt.followedInclude} error={e('include')}>
          <select value={t.include ?? 'both'} onChange={(ev) => set({ include: valueOf(ev) })}>
            {Object.entries(jt.followedIncludes).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
      )}
      {t.type === 'purchase' && (
        <Field label={jt.minAmount} error={e('minAmount')}>
          <input
            type="number"
            min={0}
            value={t.minAmount ?? 0}
            onInput={(ev) => set({ minAmount: num(valueOf(ev)) })}
          />
        </Field>
      )}
      {t.type === 'tier_changed' && (
        <div class="grid grid-2">
          <Field label={jt.direction} error={e('direction')}>
            <select value={t.direction ?? 'up'} onChange={(ev) => set({ direction: valueOf(ev) })}>
              {Object.entries(jt.directions).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <Field label={jt.tier} error={e('tier')}>
            <input value={t.tier ?? ''} onInput={(ev) => set({ tier: valueOf(ev).trim() || null })} />
          </Field>
        </div>
      )}
      {t.type === 'tag_changed' && (
        <div class="grid grid-2">
          <Field label={jt.tagChange} error={e('change')}>
            <select value={t.change} onChange={(ev) => set({ change: valueOf(ev) })}>
              {Object.entries(jt.tagChanges).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <Field label={jt.tag} error={e('tag')}>
            <input value={t.tag} onInput={(ev) => set({ tag: valueOf(ev) })} />
          </Field>
        </div>
      )}
      {t.type === 'segment' && (
        <Field
          label={jt.segment}
          error={e('audience.segmentId') ?? e('audience')}
          hint={props.wouldEnter === null ? undefined : jt.wouldEnterCount(fmtNumber(props.wouldEnter))}>
          <select
            name="segmentId"
            value={t.audience.type === 'segment' ? t.audience.segmentId : ''}
            onChange={(ev) => set({ audience: { type: 'segment', segmentId: valueOf(ev) } })}>
            <option value="">—</option>
            {props.segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {t.type === 'inactive' && (
        <div class="grid grid-2">
          <Field label={jt.days} error={e('days')}>
            <input type="number" value={t.days} onInput={(ev) => set({ days: num(valueOf(ev)) })} />
          </Field>
          <Field label={jt.inactiveBasis} error={e('basis')}>
            <select value={t.basis ?? 'purchase'} onChange={(ev) => set({ basis: valueOf(ev) })}>
              {Object.entries(jt.inactiveBases).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      {(t.type === 'points_expiring' || t.type === 'coupon_expiring') && (
        <Field label={jt.withinDays} error={e('days')}>
          <input type="number" value={t.days} onInput={(ev) => set({ days: num(valueOf(ev)) })} />
        </Field>
      )}
      {t.type === 'date_relative' && (
        <div class="grid grid-2">
          <Field label={jt.dateKind} error={e('date')}>
            <select value={t.date} onChange={(ev) => set({ date: valueOf(ev) })}>
              {Object.entries(jt.dateKinds).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <Field label={jt.offsetDays} error={e('offsetDays')}>
            <input type="number" value={t.offsetDays} onInput={(ev) => set({ offsetDays: num(valueOf(ev)) })} />
          </Field>
        </div>
      )}
    </div>
  );
}
