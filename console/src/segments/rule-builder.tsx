import type { RuleMeta, SegmentCondition, SegmentGroup } from '../../../api/contracts/console';
import { t } from '../i18n';
import { defaultPurchaseCondition, PurchaseValueEditor } from './purchase-editors';

export type { RuleMeta };

type Field = SegmentCondition['field'];
type Cond = SegmentCondition;
const NUMERIC: Field[] = [
  'age',
  'rfmR',
  'rfmF',
  'rfmM',
  'purchaseCount',
  'totalSpend',
  'pointsBalance',
  'orders',
  'aov',
  'ltv',
  'daysSinceLastPurchase',
  'satisfaction',
];

/** Server field errors (`conditions.1.days` → 至少 1 天) of one condition, by the condition's path in the rule. */
function errorsAt(errors: Record<string, string> | undefined, path: string): string[] {
  if (!errors) return [];
  return Object.entries(errors)
    .filter(([k]) => k === path || k.startsWith(`${path}.`))
    .map(([, m]) => m);
}

/** A sensible first version of a condition, so a new row is valid (or close) the moment it appears. */
export function defaultCondition(field: Field, meta: RuleMeta): Cond {
  const purchase = defaultPurchaseCondition(field, meta);
  if (purchase) return purchase;
  switch (field) {
    case 'gender':
      return { field, op: 'in', values: ['female'] };
    case 'ageBand':
      return { field, op: 'in', values: ['25-34'] };
    case 'city':
      return { field, op: 'in', values: [t.segments.defaultCity] };
    case 'birthMonth':
      return { field, op: 'in', values: [new Date().getMonth() + 1] };
    case 'tags':
      return { field, op: 'hasAny', values: [] as unknown as [string] };
    case 'rfmSegment':
      return { field, op: 'in', values: ['冠軍顧客'] }; // a value of the rule language, not display text
    case 'lastPurchase':
      return { field, op: 'withinDays', days: 30 };
    case 'lastInteraction':
    case 'joined':
      return { field, op: 'withinDays', days: 30 };
    case 'personaCompleted':
      return { field, op: 'is', value: true };
    case 'tier':
      return { field, op: 'in', values: ['gold'] };
    case 'coupon':
      return { field, op: 'hasActive' };
    default:
      return { field, op: 'gte', value: field === 'totalSpend' ? 1000 : field.startsWith('rfm') ? 4 : 1 } as Cond;
  }
}

export function RuleBuilder(props: {
  rule: SegmentGroup;
  meta: RuleMeta;
  onChange: (rule: SegmentGroup) => void;
  depth?: number;
  /** The live count's field errors, keyed by path in the whole rule; `path` is this group's prefix. */
  errors?: Record<string, string>;
  path?: string;
}) {
  const { rule, meta } = props;
  const depth = props.depth ?? 0;
  const at = (i: number) => `${props.path ? `${props.path}.` : ''}conditions.${i}`;
  const update = (i: number, node: Cond | SegmentGroup) =>
    props.onChange({ ...rule, conditions: rule.conditions.map((c, j) => (j === i ? node : c)) });
  const remove = (i: number) => props.onChange({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) });
  return (
    <div class={`rule-group depth-${depth}`} data-testid={depth === 0 ? 'rule-builder' : undefined}>
      <div class="rule-group-head">
        <select
          aria-label="and/or"
          value={rule.op}
          onChange={(e) => props.onChange({ ...rule, op: e.currentTarget.value as 'and' | 'or' })}>
          <option value="and">{t.segments.matchAll}</option>
          <option value="or">{t.segments.matchAny}</option>
        </select>
      </div>
      {rule.conditions.map((node, i) => (
        <div key={i} class="rule-row">
          {'conditions' in node ? (
            <RuleBuilder
              rule={node}
              meta={meta}
              depth={depth + 1}
              errors={props.errors}
              path={at(i)}
              onChange={(g) => update(i, g)}
            />
          ) : (
            <ConditionEditor
              cond={node}
              meta={meta}
              errors={errorsAt(props.errors, at(i))}
              onChange={(c) => update(i, c)}
            />
          )}
          <button type="button" class="icon-btn" aria-label={t.common.delete} onClick={() => remove(i)}>
            ×
          </button>
        </div>
      ))}
      <div class="rule-add">
        <select
          aria-label={t.segments.addCondition}
          value=""
          onChange={(e) => {
            const f = e.currentTarget.value as Field;
            if (f) props.onChange({ ...rule, conditions: [...rule.conditions, defaultCondition(f, meta)] });
          }}>
          <option value="">{t.segments.addCondition}</option>
          {Object.entries(meta.fields).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        {depth < 2 && (
          <button
            type="button"
            class="btn btn-small btn-ghost"
            onClick={() =>
              props.onChange({
                ...rule,
                conditions: [...rule.conditions, { op: rule.op === 'and' ? 'or' : 'and', conditions: [] }],
              })
            }>
            {t.segments.addGroup}
          </button>
        )}
      </div>
    </div>
  );
}

function ConditionEditor(props: { cond: Cond; meta: RuleMeta; errors: string[]; onChange: (c: Cond) => void }) {
  const { cond, meta } = props;
  const set = (patch: Record<string, unknown>) => props.onChange({ ...cond, ...patch } as Cond);
  return (
    <div class="condition" data-field={cond.field}>
      <strong class="condition-field">{meta.fields[cond.field] ?? cond.field}</strong>
      {NUMERIC.includes(cond.field) ? (
        <NumericEditor cond={cond as Extract<Cond, { op: 'gte' | 'lte' | 'eq' | 'between' }>} set={set} />
      ) : (
        <ValueEditor cond={cond} meta={meta} set={set} />
      )}
      {props.errors.length > 0 && (
        <span class="field-error" role="alert" data-testid="condition-error">
          {[...new Set(props.errors)].join('；')}
        </span>
      )}
    </div>
  );
}

function OpSelect(props: { ops: string[]; value: string; set: (p: Record<string, unknown>) => void }) {
  return (
    <select aria-label="operator" value={props.value} onChange={(e) => props.set({ op: e.currentTarget.value })}>
      {props.ops.map((o) => (
        <option key={o} value={o}>
          {t.segments.ops[o] ?? o}
        </option>
      ))}
    </select>
  );
}

const num = (v: string) => (v === '' ? undefined : Number(v));

function NumericEditor(props: {
  cond: { op: string; value?: number; min?: number; max?: number };
  set: (p: Record<string, unknown>) => void;
}) {
  const c = props.cond;
  return (
    <>
      <OpSelect ops={['gte', 'lte', 'eq', 'between']} value={c.op} set={props.set} />
      {c.op === 'between' ? (
        <>
          <input
            type="number"
            aria-label="min"
            class="narrow"
            value={c.min ?? ''}
            onInput={(e) => props.set({ min: num(e.currentTarget.value) })}
          />
          <span>–</span>
          <input
            type="number"
            aria-label="max"
            class="narrow"
            value={c.max ?? ''}
            onInput={(e) => props.set({ max: num(e.currentTarget.value) })}
          />
        </>
      ) : (
        <input
          type="number"
          aria-label="value"
          class="narrow"
          value={c.value ?? ''}
          onInput={(e) => props.set({ value: num(e.currentTarget.value) })}
        />
      )}
    </>
  );
}

function Checks<V extends string | number>(props: {
  options: Array<{ value: V; label: string }>;
  values: V[];
  set: (values: V[]) => void;
}) {
  return (
    <span class="checks">
      {props.options.map((o) => (
        <label key={String(o.value)} class="check">
          <input
            type="checkbox"
            checked={props.values.includes(o.value)}
            onChange={(e) =>
              props.set(
                e.currentTarget.checked ? [...props.values, o.value] : props.values.filter((v) => v !== o.value),
              )
            }
          />
          {o.label}
        </label>
      ))}
    </span>
  );
}

function TextList(props: { values: string[]; set: (values: string[]) => void; list?: string[] }) {
  const id = props.list ? `dl-${Math.random().toString(36).slice(2, 8)}` : undefined;
  return (
    <>
      <input
        class="grow"
        list={id}
        placeholder={t.segments.valuesHint}
        value={props.values.join(', ')}
        onChange={(e) =>
          props.set(
            e.currentTarget.value
              .split(/[,，、]/)
              .map((s) => s.trim())
              .filter(Boolean),
          )
        }
        aria-label="values"
      />
      {id && (
        <datalist id={id}>
          {props.list!.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      )}
    </>
  );
}

function ValueEditor(props: { cond: Cond; meta: RuleMeta; set: (p: Record<string, unknown>) => void }) {
  const { cond: c, meta, set } = props;
  switch (c.field) {
    case 'gender':
      return <Checks options={meta.genders} values={c.values as string[]} set={(values) => set({ values })} />;
    case 'ageBand':
      return (
        <Checks
          options={meta.ageBands.map((b) => ({ value: b, label: b }))}
          values={c.values as string[]}
          set={(values) => set({ values })}
        />
      );
    case 'birthMonth':
      return (
        <Checks
          options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: t.units.month(i + 1) }))}
          values={c.values}
          set={(values) => set({ values })}
        />
      );
    case 'city':
      return (
        <>
          <OpSelect ops={['in', 'notIn']} value={c.op} set={set} />
          <TextList values={c.values} set={(values) => set({ values })} />
        </>
      );
    case 'tags':
      return (
        <>
          <OpSelect ops={['hasAny', 'hasAll', 'hasNone']} value={c.op} set={set} />
          <TextList values={c.values} list={meta.tags} set={(values) => set({ values })} />
        </>
      );
    case 'rfmSegment':
      return (
        <>
          <OpSelect ops={['in', 'notIn']} value={c.op} set={set} />
          <Checks
            options={meta.rfmSegments.map((s) => ({ value: s, label: s }))}
            values={c.values as string[]}
            set={(values) => set({ values })}
          />
        </>
      );
    case 'tier':
      return (
        <>
          <OpSelect ops={['in', 'notIn']} value={c.op} set={set} />
          <Checks
            options={meta.tiers.map((x) => ({ value: x.code, label: x.label }))}
            values={c.values}
            set={(values) => set({ values })}
          />
        </>
      );
    case 'personaCompleted':
      return (
        <select
          aria-label="value"
          value={String(c.value)}
          onChange={(e) => set({ value: e.currentTarget.value === 'true' })}>
          <option value="true">{t.common.yes}</option>
          <option value="false">{t.common.no}</option>
        </select>
      );
    case 'lastPurchase':
    case 'lastInteraction':
    case 'joined': {
      const ops =
        c.field === 'lastPurchase' ? ['withinDays', 'notWithinDays', 'never', 'ever'] : ['withinDays', 'notWithinDays'];
      const needsDays = c.op === 'withinDays' || c.op === 'notWithinDays';
      return (
        <>
          <OpSelect
            ops={ops}
            value={c.op}
            set={(p) =>
              set({ ...p, days: p.op === 'never' || p.op === 'ever' ? undefined : ('days' in c && c.days) || 30 })
            }
          />
          {needsDays && (
            <>
              <input
                type="number"
                class="narrow"
                aria-label="days"
                min={1}
                value={'days' in c ? (c.days ?? '') : ''}
                onInput={(e) => set({ days: num(e.currentTarget.value) })}
              />
              <span>{c.op === 'withinDays' ? t.segments.days : t.segments.daysAgo}</span>
            </>
          )}
        </>
      );
    }
    case 'coupon':
      return (
        <>
          <OpSelect ops={['hasActive', 'hasUsed', 'hasExpired', 'hasNone', 'neverUsed']} value={c.op} set={set} />
          <select
            aria-label="template"
            value={c.templateId ?? ''}
            onChange={(e) => set({ templateId: e.currentTarget.value || undefined })}>
            <option value="">{t.segments.anyTemplate}</option>
            {meta.couponTemplates.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </>
      );
    default:
      return <PurchaseValueEditor cond={c} meta={meta} set={set} />;
  }
}
