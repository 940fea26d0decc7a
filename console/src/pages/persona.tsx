import { useEffect, useState } from 'preact/hooks';
import type { PersonaQuestion, PersonaScript, StoredPersonaScript } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { Card, ErrorBanner, Field, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

const FIELDS = [
  '',
  'gender',
  'birthday',
  'city',
  'name',
  'email',
  'phone',
  'preferences.priceSensitivity',
  'preferences.promotionType',
  'preferences.contactTime',
];

type Q = PersonaQuestion & Record<string, unknown>;

/** The persona Q&A editor: questions as cards (or the whole script as JSON), validated by the server on save. */
export default function PersonaPage() {
  const loaded = useLoad<StoredPersonaScript>(() => api.settings.personaScript(), []);
  const [script, setScript] = useState<PersonaScript | null>(null);
  const [json, setJson] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  useEffect(() => {
    if (loaded.data) setScript(structuredClone(loaded.data.script));
  }, [loaded.data]);
  const save = useAction(async () => {
    const body = json !== null ? (JSON.parse(json) as PersonaScript) : script;
    if (!body) return;
    const res = await api.settings.savePersonaScript({ script: body, expectedRevision: loaded.data?.revision });
    loaded.setData(res);
    setJson(null);
    setSaved(t.persona.saved);
  });
  const reset = useAction(async () => {
    if (!confirm(t.persona.resetConfirm)) return;
    loaded.setData(await api.settings.resetPersonaScript());
  });
  if (!script || !loaded.data) return loaded.error ? <ErrorBanner error={loaded.error} /> : <Spinner />;
  const errors = save.error?.fields ?? {};
  const setQ = (i: number, q: Q) => {
    setSaved('');
    setScript({
      ...script,
      questions: script.questions.map((x, j) => (j === i ? q : x)) as PersonaScript['questions'],
    });
  };
  const move = (i: number, d: -1 | 1) => {
    const qs = [...script.questions];
    [qs[i], qs[i + d]] = [qs[i + d], qs[i]];
    setScript({ ...script, questions: qs });
  };
  return (
    <div>
      <PageHeader title={t.persona.title}>
        <span class="muted small">
          {loaded.data.isDefault
            ? t.persona.defaultScript
            : `${t.persona.revision(String(loaded.data.revision))} · ${fmtDateTime(loaded.data.updatedAt)}`}
        </span>
        <button
          type="button"
          class="btn btn-ghost"
          onClick={() => setJson(json === null ? JSON.stringify(script, null, 2) : null)}>
          {t.persona.json}
        </button>
        {!loaded.data.isDefault && (
          <button type="button" class="btn btn-ghost" onClick={() => void reset.run()}>
            {t.persona.reset}
          </button>
        )}
        <button type="button" class="btn btn-primary" disabled={save.busy} onClick={() => void save.run()}>
          {save.busy ? t.common.saving : t.common.save}
        </button>
      </PageHeader>
      <p class="muted">{t.persona.hint}</p>
      {save.error && (
        <div class="banner banner-error" role="alert">
          <p>{save.error.code === 'validation_failed' ? t.persona.invalid : save.error.message}</p>
          <ul>
            {Object.entries(errors).map(([p, m]) => (
              <li key={p}>
                <code>{p}</code> {m}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ErrorBanner error={reset.error} />
      {saved && <Notice kind="ok">{saved}</Notice>}
      {json !== null ? (
        <Card title={t.persona.json}>
          <p class="muted small">{t.persona.jsonHint}</p>
          <textarea class="mono json-editor" rows={30} value={json} onInput={(e) => setJson(valueOf(e))} />
        </Card>
      ) : (
        <div class="stack" data-testid="persona-editor">
          <Card>
            <Field label={t.persona.intro} error={errors.intro}>
              <textarea rows={2} value={script.intro} onInput={(e) => setScript({ ...script, intro: valueOf(e) })} />
            </Field>
            <Field label={t.persona.completion} error={errors.completion}>
              <textarea
                rows={2}
                value={script.completion}
                onInput={(e) => setScript({ ...script, completion: valueOf(e) })}
              />
            </Field>
          </Card>
          {script.questions.map((q, i) => (
            <QuestionCard
              key={i}
              index={i}
              q={q as Q}
              errors={errors}
              onChange={(x) => setQ(i, x)}
              count={script.questions.length}
              onMove={(d) => move(i, d)}
              onRemove={() => setScript({ ...script, questions: script.questions.filter((_, j) => j !== i) })}
            />
          ))}
          <button
            type="button"
            class="btn"
            onClick={() =>
              setScript({
                ...script,
                questions: [
                  ...script.questions,
                  {
                    id: `q${script.questions.length + 1}`,
                    prompt: '',
                    type: 'single',
                    skippable: true,
                    options: [
                      { id: 'a', label: t.persona.newOption(1), aliases: [], keywords: [], tags: [], askText: false },
                      { id: 'b', label: t.persona.newOption(2), aliases: [], keywords: [], tags: [], askText: false },
                    ],
                  },
                ] as PersonaScript['questions'],
              })
            }>
            {t.persona.addQuestion}
          </button>
        </div>
      )}
    </div>
  );
}

function QuestionCard(props: {
  index: number;
  q: Q;
  count: number;
  errors: Record<string, string>;
  onChange: (q: Q) => void;
  onMove: (d: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { q, index: i } = props;
  const err = (path: string) => props.errors[`questions.${i}.${path}`];
  const hasError = Object.keys(props.errors).some((p) => p.startsWith(`questions.${i}.`) || p === `questions.${i}`);
  const set = (patch: Record<string, unknown>) => props.onChange({ ...q, ...patch } as Q);
  const options = (q as { options?: Array<Record<string, unknown>> }).options;
  return (
    <Card
      class={hasError ? 'card-error' : ''}
      title={`${t.persona.question} ${i + 1}：${(q.title as string) || q.id}`}
      actions={
        <>
          <button type="button" class="btn btn-small btn-ghost" disabled={i === 0} onClick={() => props.onMove(-1)}>
            {t.persona.moveUp}
          </button>
          <button
            type="button"
            class="btn btn-small btn-ghost"
            disabled={i === props.count - 1}
            onClick={() => props.onMove(1)}>
            {t.persona.moveDown}
          </button>
          <button type="button" class="btn btn-small btn-ghost" onClick={props.onRemove}>
            {t.persona.remove}
          </button>
        </>
      }>
      {props.errors[`questions.${i}`] && <p class="field-error">{props.errors[`questions.${i}`]}</p>}
      <div class="grid grid-3 tight">
        <Field label={t.persona.id} error={err('id')}>
          <input class="mono" value={q.id} onInput={(e) => set({ id: valueOf(e) })} />
        </Field>
        <Field label={t.persona.titleField} error={err('title')}>
          <input value={(q.title as string) ?? ''} onInput={(e) => set({ title: valueOf(e) || undefined })} />
        </Field>
        <Field label={t.persona.kind}>
          <select value={q.type} onChange={(e) => set({ type: e.currentTarget.value })}>
            {Object.entries(t.persona.types).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label={t.persona.prompt} error={err('prompt')}>
        <textarea rows={2} value={q.prompt} onInput={(e) => set({ prompt: valueOf(e) })} />
      </Field>
      <div class="grid grid-2 tight">
        {q.type !== 'multi' && q.type !== 'number' && (
          <Field label={t.persona.field} error={err('field')}>
            <select
              value={(q.field as string) ?? ''}
              onChange={(e) => {
                const field = e.currentTarget.value || undefined;
                // The phone and email fields only take their own validator (the server says so otherwise).
                const kind = field === 'phone' ? 'phone' : field === 'email' ? 'email' : undefined;
                const validator = q.validator as Record<string, unknown> | undefined;
                set(kind && q.type === 'text' ? { field, validator: { ...validator, kind } } : { field });
              }}>
              {FIELDS.map((f) => (
                <option key={f} value={f}>
                  {t.persona.fieldLabels[f]}
                </option>
              ))}
            </select>
          </Field>
        )}
        <label class="check">
          <input
            type="checkbox"
            checked={q.skippable !== false}
            onChange={(e) => set({ skippable: e.currentTarget.checked })}
          />
          {t.persona.skippable}
        </label>
      </div>
      {q.type === 'date' && (
        <div class="grid grid-3 tight" data-testid="date-range">
          {(['minDate', 'maxDate', 'initial'] as const).map((key) => (
            <Field key={key} label={t.persona.dateFields[key]} error={err(key)}>
              <input
                name={key}
                class="mono"
                placeholder="YYYY-MM-DD"
                value={(q[key] as string) ?? ''}
                onInput={(e) => set({ [key]: valueOf(e) || undefined })}
              />
            </Field>
          ))}
        </div>
      )}
      {options && (
        <div class="options-editor">
          <h3>{t.persona.options}</h3>
          {err('options') && <p class="field-error">{err('options')}</p>}
          <table class="table compact">
            <thead>
              <tr>
                <th>{t.persona.id}</th>
                <th>{t.persona.optionLabel}</th>
                <th>{t.persona.optionValue}</th>
                <th>{t.persona.optionTags}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {options.map((o, j) => {
                const setO = (patch: Record<string, unknown>) =>
                  set({ options: options.map((x, k) => (k === j ? { ...x, ...patch } : x)) });
                return (
                  <tr
                    key={j}
                    class={
                      Object.keys(props.errors).some((p) => p.startsWith(`questions.${i}.options.${j}.`))
                        ? 'row-error'
                        : ''
                    }>
                    <td>
                      <input class="narrow mono" value={String(o.id)} onInput={(e) => setO({ id: valueOf(e) })} />
                    </td>
                    <td>
                      <input value={String(o.label)} maxLength={40} onInput={(e) => setO({ label: valueOf(e) })} />
                      {err(`options.${j}.label`) && <p class="field-error">{err(`options.${j}.label`)}</p>}
                    </td>
                    <td>
                      <input
                        value={(o.value as string) ?? ''}
                        placeholder={String(o.label)}
                        onInput={(e) => setO({ value: valueOf(e) || undefined })}
                      />
                    </td>
                    <td>
                      <input
                        value={((o.tags as string[]) ?? []).join(', ')}
                        onChange={(e) =>
                          setO({
                            tags: e.currentTarget.value
                              .split(/[,，、]/)
                              .map((s) => s.trim())
                              .filter(Boolean),
                          })
                        }
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        class="icon-btn"
                        aria-label={t.common.delete}
                        onClick={() => set({ options: options.filter((_, k) => k !== j) })}>
                        ×
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button
            type="button"
            class="btn btn-small"
            onClick={() =>
              set({
                options: [
                  ...options,
                  { id: `o${options.length + 1}`, label: '', aliases: [], keywords: [], tags: [], askText: false },
                ],
              })
            }>
            {t.persona.addOption}
          </button>
        </div>
      )}
    </Card>
  );
}
