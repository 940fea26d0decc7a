import { useState } from 'preact/hooks';
import type { FaqEntryView, FaqRequest } from '../../../api/contracts/conversation';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { Badge, Card, Empty, ErrorBanner, Field, Modal, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { ct, lines } from './conversation-texts';

/** 常見問題: the FAQ the chat answers from (#13.2), with an editor in a dialog. */
export default function FaqPage() {
  const list = useLoad(() => api.faq.list(), []);
  const [editing, setEditing] = useState<FaqEntryView | 'new' | null>(null);
  const remove = useAction(async (e: FaqEntryView) => {
    if (!confirm(ct.faq.removeConfirm(e.question))) return;
    await api.faq.remove(e.id);
    list.reload();
  });
  return (
    <div>
      <PageHeader title={ct.faq.title}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          {ct.faq.add}
        </button>
      </PageHeader>
      <p class="muted">{ct.faq.hint}</p>
      <ErrorBanner error={list.error ?? remove.error} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : !list.data.entries.length ? (
          <Empty>{ct.faq.empty}</Empty>
        ) : (
          <table class="table" data-testid="faq-table">
            <thead>
              <tr>
                <th>{ct.faq.question}</th>
                <th>{ct.faq.answer}</th>
                <th />
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <strong>{e.question}</strong>
                    <div class="muted">{ct.faq.alternativesCount(e.alternatives.length + 1)}</div>
                  </td>
                  <td class="pre-wrap">{e.answer.length > 80 ? `${e.answer.slice(0, 80)}…` : e.answer}</td>
                  <td>
                    {e.active ? <Badge tone="green">{ct.faq.active}</Badge> : <Badge>{ct.faq.inactive}</Badge>}
                    <div class="muted">{fmtDateTime(e.updatedAt)}</div>
                  </td>
                  <td>
                    <button type="button" class="btn btn-small" onClick={() => setEditing(e)}>
                      {ct.faq.edit}
                    </button>{' '}
                    <button type="button" class="btn btn-small btn-danger" onClick={() => void remove.run(e)}>
                      {ct.faq.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {editing && (
        <FaqEditor
          entry={editing === 'new' ? null : editing}
          variables={list.data?.variables ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
    </div>
  );
}

function FaqEditor(props: {
  entry: FaqEntryView | null;
  variables: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [question, setQuestion] = useState(props.entry?.question ?? '');
  const [alternatives, setAlternatives] = useState((props.entry?.alternatives ?? []).join('\n'));
  const [answer, setAnswer] = useState(props.entry?.answer ?? '');
  const [active, setActive] = useState(props.entry?.active ?? true);
  const save = useAction(async () => {
    const req: FaqRequest = { question, alternatives: lines(alternatives), answer, active };
    if (props.entry) await api.faq.update(props.entry.id, req);
    else await api.faq.create(req);
    props.onSaved();
  });
  const f = save.error?.fields ?? {};
  return (
    <Modal title={props.entry ? ct.faq.edit : ct.faq.add} onClose={props.onClose} wide>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}>
        <Field label={ct.faq.question} error={f.question}>
          <input value={question} onInput={(e) => setQuestion(valueOf(e))} />
        </Field>
        <Field label={ct.faq.alternatives} error={Object.entries(f).find(([k]) => k.startsWith('alternatives'))?.[1]}>
          <textarea rows={5} value={alternatives} onInput={(e) => setAlternatives(valueOf(e))} />
        </Field>
        <Field
          label={ct.faq.answer}
          error={f.answer}
          hint={`${ct.faq.variables}：${props.variables.map((v) => `{${v}}`).join(' ')}`}>
          <textarea rows={6} value={answer} onInput={(e) => setAnswer(valueOf(e))} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive((e.target as HTMLInputElement).checked)} />{' '}
          {ct.faq.active}
        </label>
        <ErrorBanner error={save.error && !Object.keys(f).length ? save.error : null} />
        <button type="submit" class="btn btn-primary" disabled={save.busy}>
          {ct.faq.save}
        </button>
      </form>
    </Modal>
  );
}
