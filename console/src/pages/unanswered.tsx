import { useState } from 'preact/hooks';
import type { UnansweredPhraseView } from '../../../api/contracts/conversation';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { Card, Empty, ErrorBanner, Field, Modal, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { ct } from './conversation-texts';

/** 未回覆的問題 (#13.6): what hit the fallback in the last 30 days, each one click from becoming an FAQ entry. */
export default function UnansweredPage() {
  const list = useLoad(() => api.faq.unanswered(), []);
  const [picked, setPicked] = useState<UnansweredPhraseView | null>(null);
  const [answer, setAnswer] = useState('');
  const [done, setDone] = useState(false);
  const save = useAction(async () => {
    if (!picked) return;
    await api.faq.fromUnanswered({ phrase: picked.phrase, text: picked.text, answer });
    setPicked(null);
    setAnswer('');
    setDone(true);
    list.reload();
  });
  return (
    <div>
      <PageHeader title={ct.unanswered.title} />
      <p class="muted">{ct.unanswered.hint(list.data?.days ?? 30)}</p>
      {done && <Notice kind="ok">{ct.unanswered.done}</Notice>}
      <ErrorBanner error={list.error} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : !list.data.phrases.length ? (
          <Empty>{ct.unanswered.empty}</Empty>
        ) : (
          <table class="table" data-testid="unanswered-table">
            <thead>
              <tr>
                <th>{ct.unanswered.phrase}</th>
                <th>{ct.unanswered.count}</th>
                <th>{ct.unanswered.lastAt}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.phrases.map((p) => (
                <tr key={p.phrase}>
                  <td>{p.text}</td>
                  <td>{p.count}</td>
                  <td>{fmtDateTime(p.lastAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="btn btn-small btn-primary"
                      onClick={() => {
                        setDone(false);
                        setPicked(p);
                      }}>
                      {ct.unanswered.toFaq}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {picked && (
        <Modal title={`${ct.unanswered.toFaq}：${picked.text}`} onClose={() => setPicked(null)}>
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void save.run();
            }}>
            <Field label={ct.unanswered.answer} error={save.error?.fields.answer}>
              <textarea rows={6} value={answer} onInput={(e) => setAnswer(valueOf(e))} />
            </Field>
            <ErrorBanner error={save.error && !save.error.fields.answer ? save.error : null} />
            <button type="submit" class="btn btn-primary" disabled={save.busy}>
              {ct.unanswered.save}
            </button>
          </form>
        </Modal>
      )}
    </div>
  );
}
