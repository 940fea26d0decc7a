import { useState } from 'preact/hooks';
import type { ConsoleUserRow, ConsoleUserView } from '../../../api/contracts/console';
import { CONSOLE_ROLES } from '../../../api/contracts/console-views';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Badge, Card, ErrorBanner, Field, Modal, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

export default function UsersPage() {
  const session = useSession();
  const list = useLoad(() => api.users.list(), []);
  const [creating, setCreating] = useState(false);
  const [password, setPassword] = useState<{ who: string; pw: string } | null>(null);
  const [note, setNote] = useState('');
  const update = useAction(async (id: string, patch: Record<string, unknown>) => {
    await api.users.update(id, patch);
    list.reload();
  });
  const unlock = useAction(async (u: ConsoleUserRow) => {
    await api.users.unlock(u.id);
    setNote(t.users.unlocked(u.username));
    list.reload();
  });
  const editStore = (u: ConsoleUserRow) => {
    const next = prompt(t.users.storePrompt(u.displayName), u.storeId ?? '');
    if (next !== null) void update.run(u.id, { storeId: next.trim() || null });
  };
  const reset = useAction(async (u: ConsoleUserView) => {
    const res = await api.users.resetPassword(u.id);
    if (res.generatedPassword) setPassword({ who: u.username, pw: res.generatedPassword });
  });
  return (
    <div>
      <PageHeader title={t.users.title}>
        <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
          {t.users.new}
        </button>
      </PageHeader>
      <ErrorBanner error={list.error ?? update.error ?? reset.error ?? unlock.error} />
      {note && <Notice kind="ok">{note}</Notice>}
      {password && (
        <Notice kind="warn">
          {t.users.generated} <strong>{password.who}</strong>：
          <code class="secret" data-testid="generated-password">
            {password.pw}
          </code>
        </Notice>
      )}
      <Card>
        {!list.data ? (
          <Spinner />
        ) : (
          <table class="table" data-testid="users-table">
            <thead>
              <tr>
                <th>{t.users.username}</th>
                <th>{t.users.displayName}</th>
                <th>{t.users.role}</th>
                <th>{t.users.status}</th>
                <th>{t.users.storeId}</th>
                <th>{t.users.lastLogin}</th>
                <th>{t.common.actions}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.users.map((u) => (
                <tr key={u.id}>
                  <td class="mono">{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>
                    <select
                      aria-label={t.users.role}
                      value={u.role}
                      disabled={u.id === session.user.id}
                      onChange={(e) => void update.run(u.id, { role: e.currentTarget.value })}>
                      {Object.entries(t.roles).map(([k, v]) => (
                        <option key={k} value={k}>
                          {v}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <Badge tone={u.status === 'active' ? 'green' : 'gray'}>{t.users.statusLabel[u.status]}</Badge>
                    {u.signInLock && (
                      <>
                        {' '}
                        <Badge tone="red">{t.users.locked(u.signInLock.ips, fmtDateTime(u.signInLock.until))}</Badge>
                      </>
                    )}
                  </td>
                  <td>
                    {u.storeId ?? '—'}{' '}
                    <button type="button" class="btn btn-small btn-ghost" onClick={() => editStore(u)}>
                      {t.users.editStore}
                    </button>
                  </td>
                  <td>{fmtDateTime(u.lastLoginAt)}</td>
                  <td class="nowrap">
                    {u.id !== session.user.id && (
                      <button
                        type="button"
                        class="btn btn-small"
                        onClick={() =>
                          void update.run(u.id, { status: u.status === 'active' ? 'disabled' : 'active' })
                        }>
                        {u.status === 'active' ? t.users.disable : t.users.enable}
                      </button>
                    )}{' '}
                    <button type="button" class="btn btn-small btn-ghost" onClick={() => void reset.run(u)}>
                      {t.users.resetPassword}
                    </button>
                    {u.signInLock && (
                      <>
                        {' '}
                        <button type="button" class="btn btn-small" onClick={() => void unlock.run(u)}>
                          {t.users.unlock}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t.users.role}>
        <dl class="kvs">
          {Object.entries(t.users.roleHint).map(([k, v]) => (
            <div class="kv" key={k}>
              <dt>{t.roles[k]}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {creating && (
        <CreateUser
          onClose={() => setCreating(false)}
          onCreated={(who, pw) => {
            setCreating(false);
            if (pw) setPassword({ who, pw });
            list.reload();
          }}
        />
      )}
    </div>
  );
}

function CreateUser(props: { onClose: () => void; onCreated: (username: string, password?: string) => void }) {
  const [d, setD] = useState({ username: '', displayName: '', role: 'staff', password: '', storeId: '' });
  const set = (k: keyof typeof d) => (e: Parameters<typeof valueOf>[0]) => setD({ ...d, [k]: valueOf(e) });
  const create = useAction(async () => {
    const res = await api.users.create({
      username: d.username,
      displayName: d.displayName,
      role: CONSOLE_ROLES.find((r) => r === d.role) ?? 'staff',
      ...(d.password ? { password: d.password } : {}),
      ...(d.storeId ? { storeId: d.storeId } : {}),
    });
    props.onCreated(res.user.username, res.generatedPassword);
  });
  const e = create.error?.fields ?? {};
  return (
    <Modal title={t.users.new} onClose={props.onClose}>
      <form
        class="stack-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          void create.run();
        }}>
        <Field label={t.users.username} error={e.username}>
          <input name="username" required autocomplete="off" value={d.username} onInput={set('username')} />
        </Field>
        <Field label={t.users.displayName} error={e.displayName}>
          <input name="displayName" required value={d.displayName} onInput={set('displayName')} />
        </Field>
        <Field label={t.users.role} error={e.role} hint={t.users.roleHint[d.role]}>
          <select name="role" value={d.role} onChange={set('role')}>
            {Object.entries(t.roles).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.users.password} error={e.password}>
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            value={d.password}
            onInput={set('password')}
          />
        </Field>
        <Field label={t.users.storeId} error={e.storeId} hint={t.users.storeHint}>
          <input name="storeId" value={d.storeId} onInput={set('storeId')} />
        </Field>
        {create.error && !Object.keys(e).length && <ErrorBanner error={create.error} />}
        <div class="form-actions">
          <button type="button" class="btn btn-ghost" onClick={props.onClose}>
            {t.common.cancel}
          </button>
          <button type="submit" class="btn btn-primary" disabled={create.busy}>
            {t.common.add}
          </button>
        </div>
      </form>
    </Modal>
  );
}
