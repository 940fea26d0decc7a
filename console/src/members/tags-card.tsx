import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { fmtDate } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { Card, ErrorBanner, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

export function TagsCard(props: {
  memberId: string;
  tags: Array<{ tag: string; source: string; addedAt: Date | string; addedBy?: string }>;
  onChanged: () => void;
}) {
  const session = useSession();
  const [text, setText] = useState('');
  const add = useAction(async () => {
    const tags = text
      .split(/[,，、]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!tags.length) return;
    await api.members.addTags(props.memberId, { tags });
    setText('');
    props.onChanged();
  });
  const remove = useAction(async (tag: string) => {
    await api.members.removeTag(props.memberId, tag);
    props.onChanged();
  });
  const canWrite = session.can('members.write');
  return (
    <Card title={t.member.tags} testId="member-tags">
      <ul class="tag-list">
        {props.tags.map((x) => (
          <li
            key={x.tag}
            class={`tag tag-${x.source}`}
            title={`${t.member.tagSource[x.source] ?? x.source} · ${fmtDate(x.addedAt)}${x.addedBy ? ` · ${x.addedBy}` : ''}`}>
            <span>{x.tag}</span>
            <small>{t.member.tagSource[x.source] ?? x.source}</small>
            {canWrite && (
              <button
                type="button"
                class="tag-remove"
                aria-label={t.member.removeTag(x.tag)}
                onClick={() => void remove.run(x.tag)}>
                ×
              </button>
            )}
          </li>
        ))}
        {props.tags.length === 0 && <li class="muted">{t.common.none}</li>}
      </ul>
      {canWrite && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add.run();
          }}>
          <input
            name="tag"
            placeholder={t.member.tagPlaceholder}
            value={text}
            onInput={(e) => setText(valueOf(e))}
            aria-label={t.member.addTag}
            maxLength={100}
          />
          <button type="submit" class="btn" disabled={add.busy || !text.trim()}>
            {t.member.addTag}
          </button>
        </form>
      )}
      <ErrorBanner error={add.error ?? remove.error} />
    </Card>
  );
}
