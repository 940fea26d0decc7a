import { useState } from 'preact/hooks';
import type { SessionResponse } from '../../../api/contracts/console';
import { api } from '../api/client';
import { t } from '../i18n';
import { ErrorBanner, Field, Notice, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

export function LoginPage(props: { onLogin: (s: SessionResponse) => void; expired: boolean }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction(async () => props.onLogin(await api.auth.login({ username, password })));
  return (
    <div class="login-page">
      <form
        class="login-card"
        onSubmit={(e) => {
          e.preventDefault();
          void login.run();
        }}>
        <div class="brand brand-large">
          <span class="brand-mark">{t.app.mark}</span>
          <span>
            <strong>{t.app.name}</strong>
            <small>{t.app.subtitle}</small>
          </span>
        </div>
        <h1>{t.login.title}</h1>
        {props.expired && !login.error && <Notice kind="warn">{t.errors.sessionExpired}</Notice>}
        <ErrorBanner error={login.error} />
        <Field label={t.login.username} error={login.error?.fields.username}>
          <input
            name="username"
            autocomplete="username"
            autoFocus
            required
            value={username}
            onInput={(e) => setUsername(valueOf(e))}
          />
        </Field>
        <Field label={t.login.password} error={login.error?.fields.password}>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(valueOf(e))}
          />
        </Field>
        <button type="submit" class="btn btn-primary btn-block" disabled={login.busy}>
          {login.busy ? t.login.submitting : t.login.submit}
        </button>
        <p class="muted small">{t.login.hint}</p>
      </form>
    </div>
  );
}
