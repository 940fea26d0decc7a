import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { fmtDate } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, Notice, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

/**
 * The member's stamp cards (#16.1) on the member page and at the counter, and one manual stamp with a reason
 * (the template's daily limit and the audit entry are the server's: over the limit it answers in zh-TW).
 */
export function StampsCard(props: { memberId: string }) {
  const session = useSession();
  const cards = useLoad(() => api.stamps.memberCards(props.memberId), [props.memberId]);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const stamp = useAction(async (templateId: string) => {
    setDone('');
    const res = await api.stamps.manual({ memberId: props.memberId, templateId, reason: reason[templateId] ?? '' });
    setReason({ ...reason, [templateId]: '' });
    setDone(t.stamps.manualDone(res.stamps));
    cards.reload();
  });
  if (!session.can('counter')) return null;
  return (
    <Card title={t.stamps.memberTitle} testId="member-stamps">
      <ErrorBanner error={cards.error ?? stamp.error} />
      {done && <Notice kind="ok">{done}</Notice>}
      {!cards.data ? (
        <Spinner />
      ) : (
        cards.data.cards.map((c) => (
          <div key={c.templateId} class="stack-form" data-testid="member-stamp-card">
            <strong>{c.name}</strong>
            <span>
              {t.stamps.progress(c.stamps, c.stampsNeeded)}
              {c.status === 'completed'
                ? `（${t.stamps.completed}）`
                : c.status === 'not_started'
                  ? `（${t.stamps.notStarted}）`
                  : ''}
              {c.expiresAt ? ` · ${fmtDate(c.expiresAt)}` : ''}
            </span>
            <form
              class="form-actions"
              onSubmit={(e) => {
                e.preventDefault();
                void stamp.run(c.templateId);
              }}>
              <input
                placeholder={t.stamps.manualReason}
                value={reason[c.templateId] ?? ''}
                maxLength={100}
                onInput={(e) => setReason({ ...reason, [c.templateId]: valueOf(e) })}
              />
              <button type="submit" class="btn btn-small" disabled={stamp.busy}>
                {t.stamps.manual}
              </button>
            </form>
          </div>
        ))
      )}
    </Card>
  );
}
