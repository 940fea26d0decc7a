import { useEffect, useState } from 'preact/hooks';
import type { LineLinkCodeResponse, TestRecipientWire } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Badge, Card, Empty, ErrorBanner, Field, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

/** 我的帳號: link my own LINE as a campaign test recipient with a one-time code typed in the chat. */
export function LineLinkCard() {
  const session = useSession();
  const [link, setLink] = useState<LineLinkCodeResponse | null>(null);
  const create = useAction(async () => setLink(await api.auth.createLineLink()));
  const unlink = useAction(async () => {
    await api.auth.removeLineLink();
    setLink(null);
    await session.refresh();
  });
  const refresh = useAction(async () => session.refresh());
  const linked = Boolean(session.user.lineUserId);
  // Linked from the phone (or re-linked): the code has been used.
  useEffect(() => setLink(null), [session.user.lineUserId]);
  return (
    <Card title={t.account.line} testId="line-link">
      <p class="small">{linked ? t.account.lineLinked : t.account.lineNotLinked}</p>
      {linked && <p class="mono small">{session.user.lineUserId}</p>}
      {link && (
        <p role="status" data-testid="line-link-steps">
          {t.account.lineLinkSteps(link.message, fmtDateTime(link.expiresAt))}
        </p>
      )}
      <ErrorBanner error={create.error ?? unlink.error ?? refresh.error} />
      <div class="form-actions">
        <button type="button" class="btn" disabled={create.busy} onClick={() => void create.run()}>
          {link || linked ? t.account.lineLinkAgain : t.account.lineLinkCreate}
        </button>
        {link && (
          <button type="button" class="btn btn-ghost" disabled={refresh.busy} onClick={() => void refresh.run()}>
            {t.account.lineRefresh}
          </button>
        )}
        {linked && (
          <button type="button" class="btn btn-ghost" disabled={unlink.busy} onClick={() => void unlink.run()}>
            {t.account.lineUnlink}
          </button>
        )}
      </div>
    </Card>
  );
}

/** 設定: the test-recipient list; an admin adds a follower's LINE userId or removes anyone. */
export function TestRecipientsCard() {
  const list = useLoad(() => api.settings.testRecipients(), []);
  const [d, setD] = useState({ lineUserId: '', label: '' });
  const add = useAction(async () => {
    await api.settings.addTestRecipient(d);
    setD({ lineUserId: '', label: '' });
    list.reload();
  });
  const remove = useAction(async (r: TestRecipientWire) => {
    if (!confirm(t.testRecipients.removeConfirm(r.label))) return;
    await api.settings.removeTestRecipient(r.id);
    list.reload();
  });
  const e = add.error?.fields ?? {};
  return (
    <Card title={t.testRecipients.title} testId="test-recipients">
      <p class="muted small">{t.testRecipients.hint}</p>
      <ErrorBanner error={list.error ?? remove.error} />
      {!list.data ? (
        <Spinner />
      ) : list.data.recipients.length === 0 ? (
        <Empty>{t.testRecipients.empty}</Empty>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>{t.testRecipients.label}</th>
              <th>{t.testRecipients.lineUserId}</th>
              <th>{t.testRecipients.source}</th>
              <th>{t.common.actions}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.recipients.map((r) => (
              <tr key={r.id}>
                <td>{r.label}</td>
                <td class="mono small">{r.lineUserId}</td>
                <td>
                  <Badge tone={r.source === 'linked' ? 'teal' : 'gray'}>{t.testRecipients.sources[r.source]}</Badge>
                </td>
                <td>
                  <button type="button" class="btn btn-small btn-ghost" onClick={() => void remove.run(r)}>
                    {t.testRecipients.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        class="stack-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          void add.run();
        }}>
        <Field label={t.testRecipients.lineUserId} error={e.lineUserId}>
          <input
            name="lineUserId"
            class="mono"
            value={d.lineUserId}
            onInput={(ev) => setD({ ...d, lineUserId: valueOf(ev) })}
          />
        </Field>
        <Field label={t.testRecipients.label} error={e.label}>
          <input name="label" value={d.label} onInput={(ev) => setD({ ...d, label: valueOf(ev) })} />
        </Field>
        {add.error && !Object.keys(e).length && <ErrorBanner error={add.error} />}
        <div class="form-actions">
          <button type="submit" class="btn" disabled={add.busy || !d.lineUserId || !d.label}>
            {t.testRecipients.add}
          </button>
        </div>
      </form>
    </Card>
  );
}
