import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { LineLinkCard } from '../campaigns/test-recipients';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, Field, Notice, PageHeader, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

export default function AccountPage() {
  const session = useSession();
  const [displayName, setDisplayName] = useState(session.user.displayName);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [msg, setMsg] = useState('');
  const profile = useAction(async () => {
    await api.auth.updateMe({ displayName });
    await session.refresh();
    setMsg(t.common.saved);
  });
  const password = useAction(async () => {
    await api.auth.changePassword({ currentPassword: current, newPassword: next });
    setCurrent('');
    setNext('');
    setMsg(t.account.changed);
  });
  return (
    <div>
      <PageHeader title={t.account.title} />
      {msg && <Notice kind="ok">{msg}</Notice>}
      <div class="grid grid-2">
        <Card title={t.account.profile}>
          <form
            class="stack-form"
            onSubmit={(e) => {
              e.preventDefault();
              void profile.run();
            }}>
            <Field label={t.users.username}>
              <input value={session.user.username} disabled />
            </Field>
            <Field label={t.users.displayName} error={profile.error?.fields.displayName}>
              <input value={displayName} onInput={(e) => setDisplayName(valueOf(e))} />
            </Field>
            {profile.error && !Object.keys(profile.error.fields).length && <ErrorBanner error={profile.error} />}
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={profile.busy}>
                {t.common.save}
              </button>
            </div>
          </form>
        </Card>
        <LineLinkCard />
        <Card title={t.account.password}>
          <form
            class="stack-form"
            onSubmit={(e) => {
              e.preventDefault();
              void password.run();
            }}>
            <Field label={t.account.current} error={password.error?.fields.currentPassword}>
              <input
                type="password"
                autocomplete="current-password"
                value={current}
                onInput={(e) => setCurrent(valueOf(e))}
              />
            </Field>
            <Field label={t.account.next} error={password.error?.fields.newPassword}>
              <input type="password" autocomplete="new-password" value={next} onInput={(e) => setNext(valueOf(e))} />
            </Field>
            {password.error && !Object.keys(password.error.fields).length && <ErrorBanner error={password.error} />}
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={password.busy || !current || !next}>
                {t.account.password}
              </button>
            </div>
          </form>
        </Card>
      </div>
    </div>
  );
}
