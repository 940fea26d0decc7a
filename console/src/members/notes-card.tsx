import { useState } from 'preact/hooks';
import type { MemberNoteView } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

export function NotesCard(props: { memberId: string; notes: MemberNoteView[]; onChanged: () => void }) {
  const session = useSession();
  const [body, setBody] = useState('');
  const add = useAction(async () => {
    await api.members.addNote(props.memberId, { body });
    setBody('');
    props.onChanged();
  });
  const remove = useAction(async (id: string) => {
    await api.members.deleteNote(props.memberId, id);
    props.onChanged();
  });
  const canWrite = session.can('members.write');
  return (
    <Card title={t.member.notes} testId="member-notes">
      {canWrite && (
        <form
          class="stack-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add.run();
          }}>
          <textarea
            name="note"
            rows={2}
            placeholder={t.member.notePlaceholder}
            value={body}
            onInput={(e) => setBody(valueOf(e))}
            maxLength={2000}
          />
          <div class="form-actions">
            <button type="submit" class="btn" disabled={add.busy || !body.trim()}>
              {t.member.addNote}
            </button>
          </div>
        </form>
      )}
      <ErrorBanner error={add.error ?? remove.error} />
      <ul class="notes">
        {props.notes.map((n) => (
          <li key={n.id}>
            <p>{n.body}</p>
            <small class="muted">
              {n.authorName ?? n.authorId} · {fmtDateTime(n.at)}
            </small>
            {canWrite && (n.authorId === session.user.id || session.user.role === 'admin') && (
              <button type="button" class="link-btn" onClick={() => void remove.run(n.id)}>
                {t.common.delete}
              </button>
            )}
          </li>
        ))}
        {props.notes.length === 0 && <li class="muted">{t.common.none}</li>}
      </ul>
    </Card>
  );
}
