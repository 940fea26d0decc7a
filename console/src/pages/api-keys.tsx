import { useState } from 'preact/hooks';
import type { IntegrationKeyView } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { Badge, Card, ErrorBanner, Field, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

export default function ApiKeysPage() {
  const list = useLoad(() => api.apiKeys.list(), []);
  const [name, setName] = useState('');
  const [source, setSource] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const create = useAction(async () => {
    const res = await api.apiKeys.create({ name, ...(source ? { source } : {}) });
    setCreated(res.key);
    setName('');
    setSource('');
    list.reload();
  });
  const revoke = useAction(async (k: IntegrationKeyView) => {
    if (!confirm(t.apiKeys.revokeConfirm(k.name))) return;
    await api.apiKeys.revoke(k.id);
    list.reload();
  });
  return (
    <div>
      <PageHeader title={t.apiKeys.title} />
      <p class="muted">{t.apiKeys.hint}</p>
      {created && (
        <Notice kind="warn">
          {t.apiKeys.shownOnce} <code class="secret">{created}</code>
        </Notice>
      )}
      <Card title={t.apiKeys.new}>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}>
          <Field label={t.apiKeys.name} error={create.error?.fields.name}>
            <input value={name} required onInput={(e) => setName(valueOf(e))} />
          </Field>
          <Field label={t.apiKeys.source} error={create.error?.fields.source}>
            <input value={source} onInput={(e) => setSource(valueOf(e))} />
          </Field>
          <button type="submit" class="btn btn-primary" disabled={create.busy || !name.trim()}>
            {t.apiKeys.new}
          </button>
        </form>
        <ErrorBanner error={create.error && !Object.keys(create.error.fields).length ? create.error : null} />
      </Card>
      <ErrorBanner error={list.error ?? revoke.error} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>{t.apiKeys.name}</th>
                <th>{t.apiKeys.source}</th>
                <th>{t.apiKeys.prefix}</th>
                <th>{t.apiKeys.created}</th>
                <th>{t.apiKeys.lastUsed}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td class="mono">{k.source}</td>
                  <td class="mono">{k.prefix}…</td>
                  <td>{fmtDateTime(k.createdAt)}</td>
                  <td>{fmtDateTime(k.lastUsedAt)}</td>
                  <td>
                    {k.revokedAt ? (
                      <Badge>{t.apiKeys.revoked}</Badge>
                    ) : (
                      <button type="button" class="btn btn-small btn-danger" onClick={() => void revoke.run(k)}>
                        {t.apiKeys.revoke}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
