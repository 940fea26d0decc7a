import { useContext, useState } from 'preact/hooks';
import type { BrandColors } from '../../../shared/color';
import { t } from '../i18n';
import { Field, valueOf } from '../ui/components';
import { FLEX_DEFAULTS, type FlexFields, type FlexTemplateKind, templateFieldOf } from './flex-templates';
import { toLineMessage, type EditorMessage } from './message-codec';
import { SessionContext } from '../session';

export { fromLineMessage, toLineMessage, type EditorMessage } from './message-codec';

export function MessageEditor(props: {
  messages: EditorMessage[];
  onChange: (m: EditorMessage[]) => void;
  errors: Record<string, string>;
  max: number;
}) {
  const { messages } = props;
  // A new card wears the brand's colours (settings 「品牌」); a reopened one keeps those it was saved with.
  const brand = useContext(SessionContext)?.brand;
  const colors: BrandColors | undefined = brand
    ? { primary: brand.primaryColor, accent: brand.accentColor }
    : undefined;
  const update = (i: number, m: EditorMessage) => props.onChange(messages.map((x, j) => (j === i ? m : x)));
  const add = (m: EditorMessage) => props.onChange([...messages, m]);
  return (
    <div class="message-editor" data-testid="message-editor">
      {messages.map((m, i) => (
        <div key={i} class="message-item">
          <div class="message-item-head">
            <strong>#{i + 1}</strong>
            <button
              type="button"
              class="icon-btn"
              aria-label={t.common.delete}
              onClick={() => props.onChange(messages.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
          <MessageFields
            m={m}
            onChange={(x) => update(i, x)}
            error={(path) => props.errors[`messages.${i}.${path}`] ?? props.errors[`messages.${i}`]}
            under={(path) => errorsUnder(props.errors, `messages.${i}.${path}`)}
          />
        </div>
      ))}
      {props.errors.messages && <p class="field-error">{props.errors.messages}</p>}
      {messages.length < props.max && (
        <div class="button-row">
          <button type="button" class="btn btn-small" onClick={() => add({ kind: 'text', text: '' })}>
            {t.campaigns.addText}
          </button>
          <button type="button" class="btn btn-small" onClick={() => add({ kind: 'image', url: '', previewUrl: '' })}>
            {t.campaigns.addImage}
          </button>
          <button
            type="button"
            class="btn btn-small"
            onClick={() =>
              add({ kind: 'flex', template: 'offer', fields: { ...FLEX_DEFAULTS.offer }, altText: '', colors })
            }>
            {t.campaigns.addFlex}
          </button>
        </div>
      )}
    </div>
  );
}

/** The server's field errors below `prefix`, as [path after the prefix, message]. */
function errorsUnder(errors: Record<string, string>, prefix: string): Array<[string, string]> {
  return Object.entries(errors)
    .filter(([p]) => p === prefix || p.startsWith(`${prefix}.`))
    .map(([p, msg]) => [p.slice(prefix.length + 1), msg]);
}

function MessageFields(props: {
  m: EditorMessage;
  onChange: (m: EditorMessage) => void;
  error: (path: string) => string | undefined;
  under: (path: string) => Array<[string, string]>;
}) {
  const { m } = props;
  const [showJson, setShowJson] = useState(false);
  if (m.kind === 'text') {
    return (
      <Field
        label={`${t.campaigns.text}（${t.campaigns.chars(String(m.text.length))}）`}
        error={props.error('text')}
        hint={t.campaigns.memberVariables}>
        <textarea
          name="text"
          rows={4}
          maxLength={5000}
          value={m.text}
          onInput={(e) => props.onChange({ ...m, text: valueOf(e) })}
        />
      </Field>
    );
  }
  if (m.kind === 'image') {
    return (
      <>
        <Field label={t.campaigns.imageUrl} error={props.error('originalContentUrl')}>
          <input type="url" value={m.url} onInput={(e) => props.onChange({ ...m, url: valueOf(e) })} />
        </Field>
        <Field label={t.campaigns.previewUrl} error={props.error('previewImageUrl')}>
          <input type="url" value={m.previewUrl} onInput={(e) => props.onChange({ ...m, previewUrl: valueOf(e) })} />
        </Field>
      </>
    );
  }
  if (m.kind === 'json' || showJson) {
    const json = m.kind === 'json' ? m.json : JSON.stringify(toLineMessage(m), null, 2);
    // Every problem inside the JSON, each with the property LINE would name.
    const problems = [...props.under('contents').map(([p, msg]) => [p ? `contents.${p}` : 'contents', msg])];
    const alt = props.error('altText');
    if (alt) problems.push(['altText', alt]);
    return (
      <Field
        label="JSON"
        error={problems.length ? problems.map(([p, msg]) => `${p}：${msg}`).join('\n') : props.error('type')}>
        <textarea
          class="mono"
          rows={10}
          value={json}
          onInput={(e) => props.onChange({ kind: 'json', json: valueOf(e) })}
        />
      </Field>
    );
  }
  const set = (patch: Partial<FlexFields>) => props.onChange({ ...m, fields: { ...m.fields, ...patch } });
  // The server checks the bubble the template built; each problem goes back to the input it came from.
  const fieldErrors: Partial<Record<keyof FlexFields | 'other', string>> = {};
  for (const [p, msg] of props.under('contents')) {
    const key = templateFieldOf(m.template, m.fields, p) ?? 'other';
    fieldErrors[key] = fieldErrors[key] ?? msg;
  }
  return (
    <div class="flex-form">
      <Field label={t.campaigns.flexTemplate}>
        <select
          value={m.template}
          onChange={(e) => {
            const k = e.currentTarget.value as FlexTemplateKind;
            props.onChange({ ...m, template: k, fields: { ...FLEX_DEFAULTS[k] } });
          }}>
          {(['offer', 'coupon', 'news'] as const).map((k) => (
            <option key={k} value={k}>
              {t.campaigns.flexTemplates[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.campaigns.flexTitle} error={fieldErrors.title}>
        <input value={m.fields.title} maxLength={60} onInput={(e) => set({ title: valueOf(e) })} />
      </Field>
      {m.template !== 'news' && (
        <Field label={t.campaigns.flexPrice} error={fieldErrors.price}>
          <input value={m.fields.price} maxLength={30} onInput={(e) => set({ price: valueOf(e) })} />
        </Field>
      )}
      <Field label={t.campaigns.flexBody} error={fieldErrors.body}>
        <textarea rows={3} maxLength={500} value={m.fields.body} onInput={(e) => set({ body: valueOf(e) })} />
      </Field>
      {m.template !== 'coupon' && (
        <Field label={t.campaigns.flexImage} error={fieldErrors.imageUrl ?? fieldErrors.other}>
          <input type="url" value={m.fields.imageUrl} onInput={(e) => set({ imageUrl: valueOf(e) })} />
        </Field>
      )}
      <div class="grid grid-2 tight">
        <Field label={t.campaigns.flexButton} error={fieldErrors.buttonLabel}>
          <input value={m.fields.buttonLabel} maxLength={20} onInput={(e) => set({ buttonLabel: valueOf(e) })} />
        </Field>
        <Field label={t.campaigns.flexUrl} error={fieldErrors.buttonUrl}>
          <input type="url" value={m.fields.buttonUrl} onInput={(e) => set({ buttonUrl: valueOf(e) })} />
        </Field>
      </div>
      <Field label={t.campaigns.altText} error={props.error('altText')}>
        <input
          value={m.altText}
          maxLength={400}
          placeholder={m.fields.title}
          onInput={(e) => props.onChange({ ...m, altText: valueOf(e) })}
        />
      </Field>
      {fieldErrors.other && m.template === 'coupon' && <p class="field-error">{fieldErrors.other}</p>}
      <button type="button" class="link-btn" onClick={() => setShowJson(true)}>
        JSON
      </button>
    </div>
  );
}
