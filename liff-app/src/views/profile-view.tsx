import { useState } from 'preact/hooks';
import type { Profile, ProfileField, ProfileResponse } from '../../../api/contracts/member';
import { useSession } from '../app';
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
          {!editing && <button class="btn btn-small btn-secondary" data-testid="edit-profile" onClick={() => setEditing(true)}>{t.profile.edit}</button>}
        </div>
        {editing
          ? <ProfileForm profile={profile} fields={fields} onSaved={(next) => { data.set(next); setEditing(false); toast(t.saved); }} onCancel={() => setEditing(false)} />
          : <ProfileFacts profile={profile} fields={fields} />}
      </section>
      <ConsentSection profile={profile} onSaved={data.set} />
      <PrivacySection />
    </div>
  );
}

export function valueOf(profile: Profile, key: string): string {
  const direct = (profile as unknown as Record<string, unknown>)[key];
  if (typeof direct === 'string') return direct;
  return profile.preferences[key] ?? '';
}

function display(field: ProfileField, raw: string): string {
  if (!raw) return t.profile.notSet;
  if (field.options) return field.options.find((o) => o.value === raw)?.label ?? raw;
  return raw;
}

function ProfileFacts({ profile, fields }: { profile: Profile; fields: ProfileField[] }) {
  return (
    <dl class="facts" data-testid="profile-facts">
      {fields.map((f) => (
        <div key={f.key} class="fact" data-testid={`fact-${f.key}`}>
          <dt>{f.label}</dt>
          <dd class={valueOf(profile, f.key) ? '' : 'muted'}>{display(f, valueOf(profile, f.key))}</dd>
        </div>
      ))}
      {profile.phoneMasked && <div class="fact"><dt>{t.profile.phone}</dt><dd>{profile.phoneMasked}</dd></div>}
    </dl>
  );
}

function ProfileForm({ profile, fields, onSaved, onCancel }: { profile: Profile; fields: ProfileField[]; onSaved: (r: ProfileResponse) => void; onCancel: () => void }) {
  const { session } = useSession();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.key, valueOf(profile, f.key)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    // Only what changed is sent: untouched answers are not re-validated or re-written.
    const answers = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== valueOf(profile, k)));
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
        <label key={f.key} class={errors[f.key] ? 'field invalid' : 'field'}>
          <span>{f.label}</span>
          {f.kind === 'choice' ? (
            <select name={f.key} value={values[f.key]} onChange={(e) => setValues({ ...values, [f.key]: (e.target as HTMLSelectElement).value })}>
              <option value="">{t.profile.notSet}</option>
              {f.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          ) : (
            <input name={f.key} type={f.kind === 'date' ? 'text' : f.kind} inputMode={f.kind === 'date' ? 'numeric' : undefined} placeholder={f.placeholder}
              value={values[f.key]} aria-invalid={Boolean(errors[f.key])} onInput={(e) => setValues({ ...values, [f.key]: (e.target as HTMLInputElement).value })} />
          )}
          {errors[f.key] && <span class="field-error" role="alert" data-testid={`error-${f.key}`}>{errors[f.key]}</span>}
        </label>
      ))}
      {!Object.keys(errors).length && <InlineError message={formError} />}
      <div class="actions">
        <button type="button" class="btn btn-secondary" onClick={onCancel} disabled={busy}>{t.cancel}</button>
        <button class="btn" data-testid="save-profile" disabled={busy}>{busy ? t.saving : t.save}</button>
      </div>
    </form>
  );
}

function ConsentSection({ profile, onSaved }: { profile: Profile; onSaved: (r: ProfileResponse) => void }) {
  const { session } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
        <span class="grow">{t.profile.marketing}<span class="muted small block">{t.profile.marketingHint}</span></span>
        <input type="checkbox" role="switch" class="switch" data-testid="marketing-consent" checked={profile.consent.marketing} disabled={busy} onChange={toggle} />
      </label>
      <p class="muted small" data-testid="consent-status">
        {t.profile.consentStatus[profile.consent.status]}{profile.consent.at ? `（${formatDate(profile.consent.at)}）` : ''}
      </p>
      <InlineError message={error} />
    </section>
  );
}
