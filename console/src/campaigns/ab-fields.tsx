import { t } from '../i18n';
import { Field, Tabs, valueOf } from '../ui/components';
import { VARIANT_KEYS, type CampaignForm } from './campaign-form';
import { MessageEditor, type EditorMessage } from './message-editor';

/** The server's field errors of variant `i` (`ab.variants.<i>.messages.0.text`) as the message editor reads them. */
function variantErrors(errors: Record<string, string>, i: number): Record<string, string> {
  const prefix = `ab.variants.${i}.`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  // Variant A's messages are the campaign's own: its errors may come either way.
  if (i === 0) for (const [k, v] of Object.entries(errors)) if (k.startsWith('messages')) out[k] = v;
  return out;
}

/**
 * The messages card's content: one message editor, or with an A/B test a tab per variant, each variant's share
 * and the winner's metric. `active` is the variant shown (its preview and test send follow it).
 */
export function CampaignMessagesFields(props: {
  form: CampaignForm;
  set: (p: Partial<CampaignForm>) => void;
  errors: Record<string, string>;
  active: number;
  setActive: (i: number) => void;
}) {
  const { form, set, errors } = props;
  const max = form.couponTemplateId ? 4 : 5;
  const all = [form.messages, ...form.abOthers];
  const count = form.abEnabled ? all.length : 1;
  const active = Math.min(props.active, count - 1);
  const setVariant = (i: number, m: EditorMessage[]) =>
    i === 0 ? set({ messages: m }) : set({ abOthers: form.abOthers.map((x, j) => (j === i - 1 ? m : x)) });
  const sum = form.abShares.slice(0, count).reduce((a, s) => a + (Number(s) || 0), 0);
  const addVariant = () => {
    const shares = Array.from({ length: count + 1 }, (_, i) =>
      String(Math.floor(100 / (count + 1)) + (i === 0 ? 100 % (count + 1) : 0)),
    );
    set({ abOthers: [...form.abOthers, [{ kind: 'text', text: '' }]], abShares: shares });
    props.setActive(count);
  };
  const removeVariant = (i: number) => {
    set({
      abOthers: form.abOthers.filter((_, j) => j !== i - 1),
      abShares: form.abShares.filter((_, j) => j !== i),
    });
    props.setActive(0);
  };
  return (
    <div class="stack" data-testid="campaign-ab-fields">
      <label class="checkbox">
        <input
          type="checkbox"
          name="abEnabled"
          checked={form.abEnabled}
          onChange={(e) => set({ abEnabled: e.currentTarget.checked })}
        />
        {t.campaigns.abEnable}
      </label>
      {form.abEnabled && (
        <>
          <div class="inline-form">
            <Field label={t.campaigns.abMetric} error={errors['ab.metric']}>
              <select
                name="abMetric"
                value={form.abMetric}
                onChange={(e) => set({ abMetric: e.currentTarget.value as CampaignForm['abMetric'] })}>
                {(['click_rate', 'purchase_rate'] as const).map((m) => (
                  <option key={m} value={m}>
                    {t.campaigns.abMetrics[m]}
                  </option>
                ))}
              </select>
            </Field>
            {all.slice(0, count).map((_, i) => (
              <Field
                key={i}
                label={`${t.campaigns.abVariant(VARIANT_KEYS[i])} ${t.campaigns.abShare}`}
                error={errors[`ab.variants.${i}.share`]}>
                <input
                  name={`abShare${VARIANT_KEYS[i]}`}
                  type="number"
                  min={1}
                  max={99}
                  value={form.abShares[i] ?? ''}
                  onInput={(e) => set({ abShares: form.abShares.map((x, j) => (j === i ? valueOf(e) : x)) })}
                />
              </Field>
            ))}
          </div>
          <p class={sum === 100 ? 'muted small' : 'field-error'}>
            {errors['ab.variants'] ?? t.campaigns.abShareSum(sum)}
          </p>
          <Tabs
            tabs={all.slice(0, count).map((_, i) => [String(i), t.campaigns.abVariant(VARIANT_KEYS[i])])}
            active={String(active)}
            onChange={(k) => props.setActive(Number(k))}
          />
        </>
      )}
      <MessageEditor
        key={active}
        messages={all[active]}
        onChange={(m) => setVariant(active, m)}
        errors={form.abEnabled ? variantErrors(errors, active) : errors}
        max={max}
      />
      {form.abEnabled && (
        <div class="button-row">
          {count < 4 && (
            <button type="button" class="btn btn-small" onClick={addVariant}>
              {t.campaigns.abAdd}
            </button>
          )}
          {count > 2 && active > 0 && (
            <button type="button" class="btn btn-small btn-ghost" onClick={() => removeVariant(active)}>
              {t.campaigns.abRemove}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
