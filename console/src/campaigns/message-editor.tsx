import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { Field, valueOf } from '../ui/components';
import { FLEX_DEFAULTS, type FlexFields, type FlexTemplateKind } from './flex-templates';
import { toLineMessage, type EditorMessage } from './message-codec';

export { fromLineMessage, toLineMessage, type EditorMessage } from './message-codec';

export function MessageEditor(props: {
  messages: EditorMessage[];
  onChange: (m: EditorMessage[]) => void;
  errors: Record<string, string>;
  max: number;
}) {
  const { messages } = props;
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
            onClick={() => add({ kind: 'flex', template: 'offer', fields: { ...FLEX_DEFAULTS.offer }, altText: '' })}>
            {t.campaigns.addFlex}
          </button>
        </div>
      )}
    </div>
  );
}

function MessageFields(props: {
  m: EditorMessage;
  onChange: (m: EditorMessage) => void;
  error: (path: string) => string | undefined;
}) {
  const { m } = props;
  const [showJson, setShowJson] = useState(false);
  if (m.kind === 'text') {
    return (
      <Field label={`${t.campaigns.text}（${t.campaigns.chars(String(m.text.length))}）`} error={props.error('text')}>
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
    return (
      <Field label="JSON" error={props.error('contents') ?? props.error('altText')}>
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
      <Field label={t.campaigns.flexTitle}>
        <input value={m.fields.title} maxLength={60} onInput={(e) => set({ title: valueOf(e) })} />
      </Field>
      {m.template !== 'news' && (
        <Field label={t.campaigns.flexPrice}>
          <input value={m.fields.price} maxLength={30} onInput={(e) => set({ price: valueOf(e) })} />
        </Field>
      )}
      <Field label={t.campaigns.flexBody}>
        <textarea rows={3} maxLength={500} value={m.fields.body} onInput={(e) => set({ body: valueOf(e) })} />
      </Field>
      {m.template !== 'coupon' && (
        <Field label={t.campaigns.flexImage} error={props.error('contents')}>
          <input type="url" value={m.fields.imageUrl} onInput={(e) => set({ imageUrl: valueOf(e) })} />
        </Field>
      )}
      <div class="grid grid-2 tight">
        <Field label={t.campaigns.flexButton}>
          <input value={m.fields.buttonLabel} maxLength={20} onInput={(e) => set({ buttonLabel: valueOf(e) })} />
        </Field>
        <Field label={t.campaigns.flexUrl}>
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
      <button type="button" class="link-btn" onClick={() => setShowJson(true)}>
        JSON
      </button>
    </div>
  );
}
