import { useEffect, useState } from 'preact/hooks';
import type { MergeFieldChoice, MergeMemberSummary, MergePreview, MergeResult } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtNumber } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { ErrorBanner, Field, Modal, Notice, valueOf } from '../ui/components';
import { useAction } from '../ui/use-load';

const tm = t.memberMerge;

/** "合併匯入的會員資料" on a LINE member's page: search an imported member, preview, choose, confirm. */
export function MergeAction(props: {
  member: { id: string; lineUserId?: string; status: string };
  onChanged: () => void;
}) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  if (!session.can('members.write') || !props.member.lineUserId || props.member.status === 'merged') return null;
  return (
    <>
      <button type="button" class="btn" data-testid="merge-open" onClick={() => setOpen(true)}>
        {tm.action}
      </button>
      {open && <MergeDialog targetId={props.member.id} onClose={() => setOpen(false)} onChanged={props.onChanged} />}
    </>
  );
}

/** The merge dialog; `sourceId` opens it at the preview of that imported member (a 「可能是同一人」 proposal). */
export function MergeDialog(props: {
  targetId: string;
  sourceId?: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const [q, setQ] = useState('');
  const [candidates, setCandidates] = useState<MergeMemberSummary[] | null>(null);
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [choices, setChoices] = useState<MergeFieldChoice[]>([]);
  const [result, setResult] = useState<MergeResult | null>(null);
  const search = useAction(async () => setCandidates((await api.members.mergeCandidates(props.targetId, q)).items));
  const choose = useAction(async (sourceId: string) => {
    setChoices([]);
    setPreview(await api.members.mergePreview(props.targetId, sourceId));
  });
  const merge = useAction(async () => {
    setResult(await api.members.merge(props.targetId, { sourceId: preview!.source.id, fieldChoices: choices }));
    props.onChanged();
  });
  useEffect(() => {
    if (props.sourceId) void choose.run(props.sourceId);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the proposal's record is previewed once per opening
  }, [props.sourceId]);
  const toggle = (key: MergeFieldChoice) =>
    setChoices((c) => (c.includes(key) ? c.filter((k) => k !== key) : [...c, key]));

  return (
    <Modal title={tm.title} onClose={props.onClose} wide>
      <div data-testid="merge-dialog" class="stack">
        {result ? (
          <>
            <Notice kind="ok">
              {result.alreadyMerged
                ? tm.already
                : tm.done(fmtNumber(result.pointsMoved), result.moved.purchases, result.moved.coupons)}
            </Notice>
            <div class="form-actions">
              <button type="button" class="btn" onClick={props.onClose}>
                {t.common.close}
              </button>
            </div>
          </>
        ) : preview ? (
          <PreviewView preview={preview} choices={choices} onToggle={toggle} />
        ) : (
          <>
            <p class="muted">{tm.intro}</p>
            <form
              class="stack-form"
              onSubmit={(e) => {
                e.preventDefault();
                void search.run();
              }}>
              <Field label={tm.searchLabel}>
                <input
                  name="merge-q"
                  value={q}
                  placeholder={tm.searchPlaceholder}
                  onInput={(e) => setQ(valueOf(e))}
                  maxLength={100}
                />
              </Field>
              <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled={search.busy || !q.trim()}>
                  {t.common.search}
                </button>
              </div>
            </form>
            {candidates &&
              (candidates.length === 0 ? (
                <p class="muted">{tm.noCandidates}</p>
              ) : (
                <table class="table">
                  <tbody>
                    {candidates.map((c) => (
                      <tr key={c.id}>
                        <td>{c.name || c.displayName}</td>
                        <td class="mono">{c.memberCode}</td>
                        <td class="mono">{c.phoneMasked ?? '—'}</td>
                        <td>
                          {fmtNumber(c.pointsBalance)} {t.units.points}
                        </td>
                        <td>
                          <button
                            type="button"
                            class="btn btn-small"
                            onClick={() => void choose.run(c.id)}
                            disabled={choose.busy}>
                            {tm.choose}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ))}
          </>
        )}
        <ErrorBanner error={search.error ?? choose.error ?? merge.error} />
        {preview && !result && (
          <div class="form-actions">
            <button type="button" class="btn" onClick={() => setPreview(null)}>
              {tm.back}
            </button>
            <button
              type="button"
              class="btn btn-primary"
              data-testid="merge-confirm"
              disabled={merge.busy}
              onClick={() => void merge.run()}>
              {merge.busy ? tm.merging : tm.confirm}
            </button>
          </div>
        )}
      </div>
    </Modal>
  );
}

function PreviewView(props: {
  preview: MergePreview;
  choices: MergeFieldChoice[];
  onToggle: (key: MergeFieldChoice) => void;
}) {
  const p = props.preview;
  const rows = p.fields.filter((f) => f.source !== null || f.target !== null);
  const show = (key: string, v: string | null) => (v && key === 'gender' ? (t.member.genders[v] ?? v) : (v ?? '—'));
  return (
    <>
      <p>
        <strong>{tm.imported}</strong> {p.source.name || p.source.displayName}（
        <span class="mono">{p.source.memberCode}</span>）→ <strong>{tm.line}</strong>{' '}
        {p.target.name || p.target.displayName}（<span class="mono">{p.target.memberCode}</span>）
      </p>
      <table class="table" data-testid="merge-fields">
        <thead>
          <tr>
            <th>{tm.field}</th>
            <th>{tm.imported}</th>
            <th>{tm.line}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.key}>
              <td>{f.label}</td>
              <td>{show(f.key, f.source)}</td>
              <td>{show(f.key, f.target)}</td>
              <td>
                {f.conflict ? (
                  <label>
                    <input
                      type="checkbox"
                      checked={props.choices.includes(f.key)}
                      onChange={() => props.onToggle(f.key)}
                    />{' '}
                    {tm.useSource}
                  </label>
                ) : f.action === 'fill' ? (
                  tm.fill
                ) : (
                  tm.same
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.fields.some((f) => f.conflict) && <p class="muted">{tm.conflictsHint}</p>}
      <p>
        {tm.moves}：{tm.points} {fmtNumber(p.moves.points)} · {tm.purchases} {p.moves.purchases} · {tm.coupons}{' '}
        {p.moves.coupons} · {tm.notes} {p.moves.notes} · {tm.interactions} {p.moves.interactions} · {tm.surveys}{' '}
        {p.moves.surveys}
      </p>
      {p.tagsToAdd.length > 0 && (
        <p>
          {tm.tagsToAdd}：{p.tagsToAdd.join('、')}
        </p>
      )}
      {p.source.phoneMasked && <p class="muted">{p.phoneMoves ? tm.phoneMoves : tm.phoneStays}</p>}
      <Notice kind="warn">{tm.warning}</Notice>
    </>
  );
}
