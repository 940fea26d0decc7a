import { useState } from 'preact/hooks';
import type { RuleReply, RuleRequest, RuleView, TriggerMode } from '../../../api/contracts/conversation';
import { api } from '../api/client';
import { Badge, Card, Empty, ErrorBanner, Field, Modal, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { ct, lines } from './conversation-texts';

/** 自動回覆 (#13.2): keyword rules with priority, days and hours, and a text / flex / coupon / card reply. */
export default function ReplyRulesPage() {
  const list = useLoad(() => api.replyRules.list(), []);
  const [editing, setEditing] = useState<RuleView | 'new' | null>(null);
  const remove = useAction(async (r: RuleView) => {
    if (!confirm(ct.rules.removeConfirm(r.name))) return;
    await api.replyRules.remove(r.id);
    list.reload();
  });
  return (
    <div>
      <PageHeader title={ct.rules.title}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          {ct.rules.add}
        </button>
      </PageHeader>
      <p class="muted">{ct.rules.hint}</p>
      <ErrorBanner error={list.error ?? remove.error} />
      <Card>
        {!list.data ? (
          <Spinner />
        ) : !list.data.rules.length ? (
          <Empty>{ct.rules.empty}</Empty>
        ) : (
          <table class="table" data-testid="rules-table">
            <thead>
              <tr>
                <th>{ct.rules.name}</th>
                <th>{ct.rules.words}</th>
                <th>{ct.rules.reply}</th>
                <th>{ct.rules.priority}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.rules.map((r) => (
                <tr key={r.id}>
                  <td>
                    <strong>{r.name}</strong>{' '}
                    {r.active ? <Badge tone="green">{ct.rules.active}</Badge> : <Badge>—</Badge>}
                    <div class="muted">{schedule(r)}</div>
                  </td>
                  <td>
                    {ct.rules.modes[r.mode]}：{r.words.join('、')}
                  </td>
                  <td>{ct.rules.kinds[r.reply.kind]}</td>
                  <td>{r.priority}</td>
                  <td>
                    <button type="button" class="btn btn-small" onClick={() => setEditing(r)}>
                      {ct.rules.edit}
                    </button>{' '}
                    <button type="button" class="btn btn-small btn-danger" onClick={() => void remove.run(r)}>
                      {ct.rules.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {editing && (
        <RuleEditor
          rule={editing === 'new' ? null : editing}
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

function schedule(r: RuleView): string {
  const days = r.days.length ? `週${r.days.map((d) => ct.rules.dayNames[d]).join('、')}` : '';
  const hours = r.from && r.to ? `${r.from}–${r.to}` : ct.rules.always;
  return [days, hours].filter(Boolean).join(' ');
}

function RuleEditor(props: { rule: RuleView | null; onClose: () => void; onSaved: () => void }) {
  const r = props.rule;
  const templates = useLoad(() => api.coupons.templates('active'), []);
  const [name, setName] = useState(r?.name ?? '');
  const [mode, setMode] = useState<TriggerMode>(r?.mode ?? 'any');
  const [words, setWords] = useState((r?.words ?? []).join('\n'));
  const [priority, setPriority] = useState(String(r?.priority ?? 0));
  const [days, setDays] = useState<number[]>(r?.days ?? []);
  const [from, setFrom] = useState(r?.from ?? '');
  const [to, setTo] = useState(r?.to ?? '');
  const [kind, setKind] = useState<RuleReply['kind']>(r?.reply.kind ?? 'text');
  const [text, setText] = useState(r && 'text' in r.reply ? (r.reply.text ?? '') : '');
  const [flex, setFlex] = useState(r?.reply.kind === 'flex' ? JSON.stringify(r.reply.flex, null, 2) : '');
  const [couponTemplateId, setCoupon] = useState(r?.reply.kind === 'coupon' ? r.reply.couponTemplateId : '');
  const [tags, setTags] = useState((r?.tags ?? []).join('\n'));
  const [active, setActive] = useState(r?.active ?? true);
  const [flexError, setFlexError] = useState('');
  const save = useAction(async () => {
    setFlexError('');
    let reply: RuleReply;
    if (kind === 'flex') {
      try {
        reply = { kind, flex: JSON.parse(flex) as Record<string, unknown> };
      } catch {
        setFlexError(ct.rules.flexInvalid);
        return;
      }
    } else if (kind === 'coupon') reply = { kind, couponTemplateId, ...(text.trim() ? { text } : {}) };
    else reply = { kind, text };
    const req: RuleRequest = {
      name,
      mode,
      words: lines(words),
      priority: Number(priority) || 0,
      days,
      ...(from || to ? { from, to } : {}),
      reply,
      tags: lines(tags),
      active,
    };
    if (r) await api.replyRules.update(r.id, req);
    else await api.replyRules.create(req);
    props.onSaved();
  });
  const f = save.error?.fields ?? {};
  const fieldError = (prefix: string) =>
    Object.entries(f).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];
  return (
    <Modal title={r ? ct.rules.edit : ct.rules.add} onClose={props.onClose} wide>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}>
        <Field label={ct.rules.name} error={f.name}>
          <input value={name} onInput={(e) => setName(valueOf(e))} />
        </Field>
        <Field label={ct.rules.mode} error={f.mode}>
          <select value={mode} onChange={(e) => setMode(valueOf(e) as TriggerMode)}>
            {(Object.keys(ct.rules.modes) as TriggerMode[]).map((m) => (
              <option key={m} value={m}>
                {ct.rules.modes[m]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={ct.rules.words} error={fieldError('words')}>
          <textarea rows={4} value={words} onInput={(e) => setWords(valueOf(e))} />
        </Field>
        <Field label={ct.rules.priority} error={f.priority}>
          <input type="number" min={0} max={100} value={priority} onInput={(e) => setPriority(valueOf(e))} />
        </Field>
        <fieldset class="field">
          <span class="field-label">{ct.rules.days}</span>
          <div>
            {ct.rules.dayNames.map((label, d) => (
              <label key={d} class="check">
                <input
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={(e) =>
                    setDays((prev) =>
                      (e.target as HTMLInputElement).checked ? [...prev, d].sort() : prev.filter((x) => x !== d),
                    )
                  }
                />{' '}
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="inline-form">
          <Field label={ct.rules.from} error={f.from} hint={ct.rules.hoursHint}>
            <input type="time" value={from} onInput={(e) => setFrom(valueOf(e))} />
          </Field>
          <Field label={ct.rules.to} error={f.to}>
            <input type="time" value={to} onInput={(e) => setTo(valueOf(e))} />
          </Field>
        </div>
        <Field label={ct.rules.reply} error={f['reply.kind'] ?? f.reply}>
          <select value={kind} onChange={(e) => setKind(valueOf(e) as RuleReply['kind'])}>
            {(Object.keys(ct.rules.kinds) as Array<RuleReply['kind']>).map((k) => (
              <option key={k} value={k}>
                {ct.rules.kinds[k]}
              </option>
            ))}
          </select>
        </Field>
        {kind === 'flex' ? (
          <Field label={ct.rules.flex} error={flexError || fieldError('reply.flex')}>
            <textarea rows={10} class="mono" value={flex} onInput={(e) => setFlex(valueOf(e))} />
          </Field>
        ) : (
          <Field label={ct.rules.text} error={f['reply.text']}>
            <textarea rows={4} value={text} onInput={(e) => setText(valueOf(e))} />
          </Field>
        )}
        {kind === 'coupon' && (
          <Field label={ct.rules.coupon} error={f['reply.couponTemplateId']}>
            <select value={couponTemplateId} onChange={(e) => setCoupon(valueOf(e))}>
              <option value="">{ct.rules.pickCoupon}</option>
              {(templates.data?.templates ?? []).map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.title}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={ct.rules.tags} error={fieldError('tags')}>
          <textarea rows={2} value={tags} onInput={(e) => setTags(valueOf(e))} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive((e.target as HTMLInputElement).checked)} />{' '}
          {ct.rules.active}
        </label>
        <ErrorBanner error={save.error && !Object.keys(f).length ? save.error : null} />
        <button type="submit" class="btn btn-primary" disabled={save.busy}>
          {ct.rules.save}
        </button>
      </form>
    </Modal>
  );
}
