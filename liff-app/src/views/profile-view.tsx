import { useState } from 'preact/hooks';
import type { Profile, ProfileField, ProfileResponse } from '../../../api/contracts/member';
import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { toast } from '../ui/dialog';
import { ErrorState, InlineError, Skeleton } from '../ui/states';
import { asApiError, useLoad } from '../ui/use-load';
import { formatDate } from './format';
import { PrivacySection } from './privacy-section';

/** Profile (the persona answers, editable with the chat's own validation), message consent and the privacy area. */
export function ProfileView() {
  const { session } = useSession();
  const data = useLoad(() => session.api.profile());
  const [editing, setEditing] = useState(false);
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Skeleton lines={6} />;
  const { profile, fields } = data.data;
  return (
    <div class="stack" data-testid="profile">
      <h1>{t.profile.title}</h1>
      <section class="panel">
        <div class="title-row">
          <h2>{t.profile.basics}</h2>
          {!editing && (
            <button class="btn btn-small btn-secondary" data-testid="edit-profile" onClick={() => setEditing(true)}>
              {t.profile.edit}
            </button>
          )}
        </div>
        {editing ? (
          <ProfileForm
            fields={fields}
            onSaved={(next) => {
              data.setData(next);
              setEditing(false);
              toast(t.saved);
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <ProfileFacts profile={profile} fields={fields} />
        )}
      </section>
      <ConsentSection profile={profile} onSaved={data.setData} />
      <PrivacySection />
    </div>
  );
}

function ProfileFacts({ profile, fields }: { profile: Profile; fields: ProfileField[] }) {
  return (
    <dl class="facts" data-testid="profile-facts">
      {fields.map((f) => (
        <div key={f.key} class="fact" data-testid={`fact-${f.key}`}>
          <dt>{f.label}</dt>
          <dd class={f.display ? '' : 'muted'}>{f.display || t.profile.notSet}</dd>
        </div>
      ))}
      {profile.phoneMasked && (
        <div class="fact">
          <dt>{t.profile.phone}</dt>
          <dd>{profile.phoneMasked}</dd>
        </div>
      )}
    </dl>
  );
}

function ProfileForm({
  fields,
  onSaved,
  onCancel,
}: {
  fields: ProfileField[];
  onSaved: (r: ProfileResponse) => void;
  onCancel: () => void;
}) {
  const { session } = useSession();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, f.value])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setValue = (key: string, value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    // Only what changed is sent: untouched answers are not re-validated or re-written.
    const answers = Object.fromEntries(
      fields.filter((f) => !f.locked && values[f.key] !== f.value).map((f) => [f.key, values[f.key]]),
    );
    try {
      onSaved(Object.keys(answers).length ? await session.api.saveProfile({ answers }) : await session.api.profile());
    } catch (err) {
      const apiErr = asApiError(err);
      const byField: Record<string, string> = {};
      for (const [path, msg] of Object.entries(apiErr.fields)) byField[path.replace(/^answers\./, '')] = msg;
      setErrors(byField);
      setFormError(apiErr.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} data-testid="profile-form" noValidate>
      {fields.map((f) => (
        <div key={f.key} class={errors[f.key] ? 'field invalid' : 'field'}>
          <label for={`f-${f.key}`}>{f.label}</label>
          {f.locked ? (
            <p id={`f-${f.key}`} class="locked-value" data-testid={`locked-${f.key}`}>
              {f.display}
            </p>
          ) : (
            <FieldInput
              field={f}
              value={values[f.key] ?? ''}
              invalid={Boolean(errors[f.key])}
              onChange={(v) => setValue(f.key, v)}
            />
          )}
          {f.hint && (
            <span class="muted small" data-testid={`hint-${f.key}`}>
              {f.hint}
            </span>
          )}
          {errors[f.key] && (
            <span class="field-error" role="alert" data-testid={`error-${f.key}`}>
              {errors[f.key]}
            </span>
          )}
        </div>
      ))}
      {!Object.keys(errors).length && <InlineError message={formError} />}
      <div class="actions">
        <button type="button" class="btn btn-secondary" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
        <button class="btn" data-testid="save-profile" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      </div>
    </form>
  );
}

function FieldInput({
  field,
  value,
  invalid,
  onChange,
}: {
  field: ProfileField;
  value: string;
  invalid: boolean;
  onChange: (v: string) => void;
}) {
  const id = `f-${field.key}`;
  if (field.kind === 'choice') {
    return (
      <select id={id} name={field.key} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{t.profile.notSet}</option>
        {field.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  if (field.kind === 'multi') {
    const picked = new Set(value.split(',').filter(Boolean));
    const toggle = (v: string) => {
      if (picked.has(v)) picked.delete(v);
      else picked.add(v);
      onChange(
        field
          .options!.map((o) => o.value)
          .filter((x) => picked.has(x))
          .join(','),
      );
    };
    return (
      <div class="chips" id={id} role="group" aria-label={field.label}>
        {field.options?.map((o) => (
          <button
            type="button"
            key={o.value}
            class={picked.has(o.value) ? 'chip on' : 'chip'}
            aria-pressed={picked.has(o.value)}
            onClick={() => toggle(o.value)}>
            {o.label}
          </button>
        ))}
      </div>
    );
  }
  const listId = field.suggestions?.length ? `${id}-list` : undefined;
  return (
    <>
      <input
        id={id}
        name={field.key}
        type={field.kind === 'email' ? 'email' : field.kind === 'phone' ? 'tel' : 'text'}
        inputMode={field.kind === 'phone' ? 'tel' : undefined}
        placeholder={field.placeholder}
        list={listId}
        autocomplete={
          field.kind === 'date' ? 'bday' : field.kind === 'email' ? 'email' : field.kind === 'phone' ? 'tel' : 'off'
        }
        value={value}
        aria-invalid={invalid}
        onInput={(e) => onChange((e.target as HTMLInputElement).value)}
      />
      {listId && (
        <datalist id={listId}>
          {field.suggestions!.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </>
  );
}

function ConsentSection({ profile, onSaved }: { profile: Profile; onSaved: (r: ProfileResponse) => void }) {
  const { session } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Turning marketing on rests on the privacy notice, which the member accepts in the chat.
  const locked = !profile.consent.marketing && profile.consent.status !== 'accepted';
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await session.api.saveConsent({ marketing: !profile.consent.marketing }));
      toast(t.saved);
    } catch (err) {
      setError(asApiError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel">
      <h2>{t.profile.consentTitle}</h2>
      <label class="switch-row">
        <span class="grow">
          {t.profile.marketing}
          <span class="muted small block">{t.profile.marketingHint}</span>
        </span>
        <input
          type="checkbox"
          role="switch"
          class="switch"
          data-testid="marketing-consent"
          checked={profile.consent.marketing}
          disabled={busy || locked}
          onChange={toggle}
        />
      </label>
      <p class="muted small" data-testid="consent-status">
        {t.profile.consentStatus[profile.consent.status]}
        {profile.consent.at ? `（${formatDate(profile.consent.at)}）` : ''}
      </p>
      {locked && <p class="small warn">{t.profile.consentNeeded}</p>}
      <InlineError message={error} />
    </section>
  );
}
