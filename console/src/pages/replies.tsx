import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReplyView } from '../../../api/contracts/console-replies';
import { api } from '../api/client';
import { LinePreview } from '../campaigns/line-preview';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { setQuery, useRoute } from '../router';
import { Badge, Card, ErrorBanner, Field, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

const tr = t.replies;

/**
 * 「訊息內容」: every customer-facing text of the bot, by group; an editor with variable chips, the server's LINE
 * preview of the draft (sample values) with its field errors as the marketer types, version history with
 * restore, and "restore default". The server checks the role and validates every save.
 */
export default function RepliesPage() {
  const route = useRoute();
  const list = useLoad(() => api.replies.list(), []);
  const selected = route.params.get('key') ?? '';
  if (!list.data) return list.error ? <ErrorBanner error={list.error} /> : <Spinner />;
  const groups = new Map<string, ReplyView[]>();
  for (const r of list.data.replies) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const reply = list.data.replies.find((r) => r.key === selected);
  const onSaved = (r: ReplyView) => list.setData({ replies: list.data!.replies.map((x) => (x.key === r.key ? r : x)) });
  return (
    <div>
      <PageHeader title={tr.title} />
      <p class="muted">{tr.hint}</p>
      <div class="grid grid-2 replies-layout">
        <Card testId="reply-list">
          {[...groups].map(([group, items]) => (
            <div key={group} class="stack tight">
              <h3>{group}</h3>
              <ul class="plain-list">
                {items.map((r) => (
                  <li key={r.key}>
                    <button
                      type="button"
                      class={r.key === selected ? 'btn btn-small btn-primary' : 'btn btn-small btn-ghost'}
                      data-key={r.key}
                      onClick={() => setQuery({ key: r.key })}>
                      {r.label}
                    </button>{' '}
                    {!r.isDefault && <Badge tone="teal">{tr.edited}</Badge>}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </Card>
        {reply ? (
          <ReplyEditor key={reply.key} reply={reply} onSaved={onSaved} />
        ) : (
          <Notice kind="info">{tr.pick}</Notice>
        )}
      </div>
    </div>
  );
}

function ReplyEditor(props: { reply: ReplyView; onSaved: (r: ReplyView) => void }) {
  const { reply } = props;
  const [text, setText] = useState(reply.text);
  const [preview, setPreview] = useState<Record<string, unknown> | null>(reply.preview);
  const [liveError, setLiveError] = useState('');
  const [saved, setSaved] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const history = useLoad(() => api.replies.history(reply.key), [reply.key, reply.version]);

  // The server renders the draft into the LINE message and says what a save would refuse (nothing is stored).
  useEffect(() => {
    if (text === reply.text) {
      setPreview(reply.preview);
      setLiveError('');
      return;
    }
    const timer = setTimeout(() => {
      api.replies
        .preview(reply.key, text)
        .then((r) => {
          if (r.preview) setPreview(r.preview);
          setLiveError(r.fields[0]?.message ?? '');
        })
        .catch(() => undefined);
    }, 300);
    return () => clearTimeout(timer);
  }, [text, reply]);

  const done = (r: ReplyView) => {
    props.onSaved(r);
    setText(r.text);
    setSaved(tr.saved);
  };
  const save = useAction(async () => done((await api.replies.save(reply.key, { text, version: reply.version })).reply));
  const restore = useAction(async (toVersion?: number) => {
    if (toVersion === undefined && !confirm(tr.restoreDefaultConfirm)) return;
    done((await api.replies.restore(reply.key, { version: reply.version, toVersion })).reply);
  });
  const insert = (name: string) => {
    const el = area.current;
    const token = `{${name}}`;
    const at = el ? el.selectionStart : text.length;
    const end = el ? el.selectionEnd : text.length;
    setText(text.slice(0, at) + token + text.slice(end));
    setSaved('');
  };
  const fieldError = save.error?.fields.text ?? restore.error?.fields.text ?? liveError;
  const otherError = save.error && !save.error.fields.text ? save.error : null;

  return (
    <div class="stack" data-testid="reply-editor">
      <Card
        title={reply.label}
        actions={
          <>
            <Badge tone="gray">{tr.kinds[reply.kind] ?? reply.kind}</Badge>
            {!reply.isDefault && (
              <button type="button" class="btn btn-small btn-ghost" onClick={() => void restore.run()}>
                {tr.restoreDefault}
              </button>
            )}
          </>
        }>
        {reply.hint && <p class="muted small">{reply.hint}</p>}
        <Field label={reply.key} error={fieldError} hint={reply.isDefault ? tr.defaultText : undefined}>
          <textarea
            ref={area}
            rows={reply.kind === 'label' ? 1 : 8}
            value={text}
            data-testid="reply-text"
            onInput={(e) => {
              setText(valueOf(e));
              setSaved('');
            }}
          />
        </Field>
        <div class="chips" data-testid="reply-vars">
          <span class="muted small">{tr.vars}：</span>
          {reply.vars.length === 0 && <span class="muted small">{tr.noVars}</span>}
          {reply.vars.map((v) => (
            <button key={v} type="button" class="btn btn-small" title={`{${v}}`} onClick={() => insert(v)}>
              {tr.varLabels[v] ?? v} <code>{`{${v}}`}</code>
            </button>
          ))}
        </div>
        <ErrorBanner error={otherError ?? (restore.error && !restore.error.fields.text ? restore.error : null)} />
        {saved && <Notice kind="ok">{saved}</Notice>}
        <div class="card-actions">
          <button
            type="button"
            class="btn btn-primary"
            data-testid="reply-save"
            disabled={save.busy || text === reply.text}
            onClick={() => void save.run()}>
            {save.busy ? t.common.saving : t.common.save}
          </button>
        </div>
      </Card>
      <Card title={tr.preview}>{preview && <LinePreview messages={[preview]} />}</Card>
      <Card title={tr.history} testId="reply-history">
        {!history.data?.versions.length && <p class="muted small">{tr.noHistory}</p>}
        <ul class="plain-list">
          {history.data?.versions.map((v) => (
            <li key={v.version}>
              <strong>{tr.version(v.version)}</strong> · {tr.actions[v.action]} · {v.by ?? ''} · {fmtDateTime(v.at)}
              <div class="muted small pre-wrap">{v.text ?? tr.defaultText}</div>
              {v.version !== reply.version && v.text !== null && (
                <button type="button" class="btn btn-small btn-ghost" onClick={() => void restore.run(v.version)}>
                  {tr.restoreVersion}
                </button>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
