import type { RuleMeta, SegmentCondition } from '../../../api/contracts/console';
import { t } from '../i18n';

type Cond = SegmentCondition;
type Patch = (p: Record<string, unknown>) => void;
type Bought = Extract<Cond, { field: 'bought' }>;
type CrossSell = Extract<Cond, { field: 'crossSell' }>;
type FirstPurchase = Extract<Cond, { field: 'firstPurchase' }>;
type Message = Extract<Cond, { field: 'message' }>;
type Kind = Bought['kind'];

const num = (v: string) => (v === '' ? undefined : Number(v));
const split = (v: string) =>
  v
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The values a kind suggests: categories as sold, SKUs with their names, the brand's stores. */
function suggestionsFor(kind: Kind, meta: RuleMeta): Array<{ value: string; label: string }> {
  if (kind === 'category') return (meta.categories ?? []).map((c) => ({ value: c, label: c }));
  if (kind === 'sku') return (meta.products ?? []).map((p) => ({ value: p.sku, label: `${p.name}（${p.sku}）` }));
  return (meta.stores ?? []).map((s) => ({ value: s.id, label: s.name }));
}

/** First versions of the purchase and message conditions (null: not one of them). */
export function defaultPurchaseCondition(field: Cond['field'], meta: RuleMeta): Cond | null {
  const firstCategory = meta.categories?.[0];
  switch (field) {
    case 'bought':
      return { field, kind: 'category', op: 'bought', values: firstCategory ? [firstCategory] : [], days: 90 };
    case 'crossSell':
      return { field, kind: 'category', bought: firstCategory ? [firstCategory] : [], notBought: [] };
    case 'firstPurchase':
      return { field, op: 'withinDays', days: 30 };
    case 'message': {
      const campaign = meta.campaigns?.[0];
      return { field, source: 'campaign', id: campaign?.id ?? '', op: 'clicked' };
    }
    case 'orders':
    case 'satisfaction':
      return { field, op: 'gte', value: field === 'satisfaction' ? 4 : 2 };
    case 'aov':
    case 'ltv':
      return { field, op: 'gte', value: 1000 };
    case 'daysSinceLastPurchase':
      return { field, op: 'gte', value: 60 };
    default:
      return null;
  }
}

function KindSelect(props: { kind: Kind; meta: RuleMeta; set: Patch; clear: string[] }) {
  return (
    <select
      aria-label={t.segments.kindLabel}
      value={props.kind}
      onChange={(e) =>
        props.set({ kind: e.currentTarget.value, ...Object.fromEntries(props.clear.map((k) => [k, []])) })
      }>
      {Object.entries(props.meta.boughtKinds ?? t.segments.boughtKinds).map(([k, label]) => (
        <option key={k} value={k}>
          {label}
        </option>
      ))}
    </select>
  );
}

/** Values of a purchase condition: typed (comma-separated) with the data's suggestions; stores are ticked. */
function ValuePicker(props: {
  kind: Kind;
  meta: RuleMeta;
  values: string[];
  label: string;
  set: (v: string[]) => void;
}) {
  const options = suggestionsFor(props.kind, props.meta);
  if (props.kind === 'store' && options.length > 0)
    return (
      <span class="checks" aria-label={props.label}>
        {options.map((o) => (
          <label key={o.value} class="check">
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
  const id = `dl-${props.kind}-${props.label}`;
  return (
    <>
      <input
        class="grow"
        list={id}
        placeholder={t.segments.valuesHint}
        aria-label={props.label}
        value={props.values.join(', ')}
        onChange={(e) => props.set(split(e.currentTarget.value))}
      />
      <datalist id={id}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </datalist>
    </>
  );
}

/** "In the last N days" or, with no number, any time. */
function PeriodInput(props: { days?: number; set: Patch; anyLabel: string }) {
  return (
    <>
      <span>{t.segments.ops.withinDays}</span>
      <input
        type="number"
        class="narrow"
        aria-label="days"
        min={1}
        placeholder={props.anyLabel}
        value={props.days ?? ''}
        onInput={(e) => props.set({ days: num(e.currentTarget.value) })}
      />
      <span>{t.segments.days}</span>
    </>
  );
}

function BoughtEditor(props: { c: Bought; meta: RuleMeta; set: Patch }) {
  const { c, meta, set } = props;
  return (
    <>
      <select aria-label="operator" value={c.op} onChange={(e) => set({ op: e.currentTarget.value })}>
        <option value="bought">{t.segments.ops.bought}</option>
        <option value="notBought">{t.segments.ops.notBought}</option>
      </select>
      <KindSelect kind={c.kind} meta={meta} set={set} clear={['values']} />
      <ValuePicker kind={c.kind} meta={meta} values={c.values} label="values" set={(values) => set({ values })} />
      <PeriodInput days={c.days} set={set} anyLabel={c.op === 'bought' ? t.segments.ever : t.segments.never} />
    </>
  );
}

function CrossSellEditor(props: { c: CrossSell; meta: RuleMeta; set: Patch }) {
  const { c, meta, set } = props;
  return (
    <>
      <KindSelect kind={c.kind} meta={meta} set={set} clear={['bought', 'notBought']} />
      <span>{t.segments.ops.bought}</span>
      <ValuePicker kind={c.kind} meta={meta} values={c.bought} label="bought" set={(bought) => set({ bought })} />
      <span>{t.segments.butNever}</span>
      <ValuePicker
        kind={c.kind}
        meta={meta}
        values={c.notBought}
        label="notBought"
        set={(notBought) => set({ notBought })}
      />
      <PeriodInput days={c.days} set={set} anyLabel={t.segments.ever} />
    </>
  );
}

function FirstPurchaseEditor(props: { c: FirstPurchase; set: Patch }) {
  const { c, set } = props;
  return (
    <>
      <select
        aria-label="operator"
        value={c.op}
        onChange={(e) => {
          const op = e.currentTarget.value;
          set(op === 'between' ? { op, days: undefined } : { op, from: undefined, to: undefined, days: c.days ?? 30 });
        }}>
        <option value="withinDays">{t.segments.ops.withinDays}</option>
        <option value="notWithinDays">{t.segments.ops.notWithinDays}</option>
        <option value="between">{t.segments.ops.between}</option>
      </select>
      {c.op === 'between' ? (
        <>
          <input
            type="date"
            aria-label="from"
            value={c.from ?? ''}
            onInput={(e) => set({ from: e.currentTarget.value })}
          />
          <span>–</span>
          <input type="date" aria-label="to" value={c.to ?? ''} onInput={(e) => set({ to: e.currentTarget.value })} />
        </>
      ) : (
        <>
          <input
            type="number"
            class="narrow"
            aria-label="days"
            min={1}
            value={c.days ?? ''}
            onInput={(e) => set({ days: num(e.currentTarget.value) })}
          />
          <span>{c.op === 'withinDays' ? t.segments.days : t.segments.daysAgo}</span>
        </>
      )}
    </>
  );
}

function MessageEditor(props: { c: Message; meta: RuleMeta; set: Patch }) {
  const { c, meta, set } = props;
  const journey = meta.journeys?.find((j) => j.id === c.id);
  const ops =
    c.source === 'journey' ? ['received', 'notReceived'] : ['received', 'notReceived', 'clicked', 'notClicked'];
  return (
    <>
      <select
        aria-label="source"
        value={c.source}
        onChange={(e) => {
          const source = e.currentTarget.value as Message['source'];
          const first = source === 'journey' ? meta.journeys?.[0] : meta.campaigns?.[0];
          set({
            source,
            id: first?.id ?? '',
            stepId: source === 'journey' ? meta.journeys?.[0]?.steps[0]?.id : undefined,
            op: 'received',
          });
        }}>
        <option value="campaign">{t.segments.sources.campaign}</option>
        <option value="journey">{t.segments.sources.journey}</option>
      </select>
      <select
        aria-label="target"
        value={c.id}
        onChange={(e) => {
          const id = e.currentTarget.value;
          const steps = meta.journeys?.find((j) => j.id === id)?.steps ?? [];
          set(c.source === 'journey' ? { id, stepId: steps[0]?.id } : { id });
        }}>
        <option value="">{c.source === 'journey' ? t.segments.pickJourney : t.segments.pickCampaign}</option>
        {(c.source === 'journey' ? (meta.journeys ?? []) : (meta.campaigns ?? [])).map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </select>
      {c.source === 'journey' && (
        <select
          aria-label="step"
          value={c.stepId ?? ''}
          onChange={(e) => set({ stepId: e.currentTarget.value || undefined })}>
          <option value="">{t.segments.pickStep}</option>
          {(journey?.steps ?? []).map((s, i) => (
            <option key={s.id} value={s.id}>
              {t.segments.stepLabel(i + 1, t.segments.stepTypes[s.type] ?? s.type)}
            </option>
          ))}
        </select>
      )}
      <select aria-label="operator" value={c.op} onChange={(e) => set({ op: e.currentTarget.value })}>
        {ops.map((o) => (
          <option key={o} value={o}>
            {t.segments.ops[o]}
          </option>
        ))}
      </select>
    </>
  );
}

/** The editor of a purchase or message condition, or null when the condition is not one of them. */
export function PurchaseValueEditor(props: { cond: Cond; meta: RuleMeta; set: Patch }) {
  const { cond: c, meta, set } = props;
  switch (c.field) {
    case 'bought':
      return <BoughtEditor c={c} meta={meta} set={set} />;
    case 'crossSell':
      return <CrossSellEditor c={c} meta={meta} set={set} />;
    case 'firstPurchase':
      return <FirstPurchaseEditor c={c} set={set} />;
    case 'message':
      return <MessageEditor c={c} meta={meta} set={set} />;
    default:
      return null;
  }
}
