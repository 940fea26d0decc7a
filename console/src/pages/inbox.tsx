import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type {
  CannedReplyView,
  ConversationRow,
  ConversationView,
  InboxAgent,
  InboxCounts,
  InboxQuota,
} from '../../../api/contracts/inbox';
import { actionKey, api } from '../api/client';
import { fmtAgo, fmtDate, fmtDateTime, fmtMoney, fmtNumber } from '../format';
import { t } from '../i18n';
import { onInboxConnection, onInboxEvent } from '../inbox-live';
import { NotesCard } from '../members/notes-card';
import { TimelineCard } from '../members/timeline-card';
import { navigate, setQuery, useRoute } from '../router';
import { useSession } from '../session';
import { Badge, Card, Empty, ErrorBanner, PageHeader, Spinner, Tabs } from '../ui/components';
import { useAction } from '../ui/use-load';

type Filter = 'open' | 'closed' | 'all';

/**
 * 客服訊息 (#13.5): conversations by last message with waiting/unread markers, the chat, and the member beside it.
 * Live through the inbox stream: any instance's change arrives here without a reload.
 */
export default function InboxPage() {
  const route = useRoute();
  const selected = route.params.get('c') ?? '';
  const [filter, setFilter] = useState<Filter>('open');
  const [rows, setRows] = useState<ConversationRow[] | null>(null);
  const [counts, setCounts] = useState<InboxCounts | null>(null);
  const [live, setLive] = useState(true);
  const [revision, setRevision] = useState(0);
  const load = useAction(async () => {
    const list = await api.inbox.list({ status: filter });
    setRows(list.items);
    setCounts(list.counts);
  });
  useEffect(() => {
    void load.run();
    // Deliberate: reloads when the filter changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter]);
  useEffect(
    () =>
      onInboxEvent((e) => {
        setCounts(e.counts);
        const c = e.conversation;
        if (!c) return;
        setRows((prev) => {
          const others = (prev ?? []).filter((r) => r.id !== c.id);
          const keep = filter === 'all' || c.status === filter;
          return [...(keep ? [c] : []), ...others].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
        });
        if (c.id === selected) setRevision((r) => r + 1);
      }),
    [filter, selected],
  );
  useEffect(() => onInboxConnection(setLive), []);

  return (
    <div class="inbox-page">
      <PageHeader title={t.inbox.title}>
        <span class="muted" data-testid="inbox-counts">
          {counts ? t.inbox.counts(counts.open, counts.waiting, counts.unread) : ''} ·{' '}
          {live ? t.inbox.live : t.inbox.reconnecting}
        </span>
      </PageHeader>
      <p class="muted">{t.inbox.subtitle}</p>
      <ErrorBanner error={load.error} onRetry={() => void load.run()} />
      <div class="inbox-grid">
        <Card class="inbox-list" testId="inbox-list">
          <Tabs
            tabs={(['open', 'closed', 'all'] as Filter[]).map((f) => [f, t.inbox.filters[f]] as [Filter, string])}
            active={filter}
            onChange={setFilter}
          />
          {!rows ? (
            <Spinner />
          ) : !rows.length ? (
            <Empty>{t.inbox.empty}</Empty>
          ) : (
            <ul class="inbox-rows">
              {rows.map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    class={`inbox-row ${r.id === selected ? 'active' : ''}`}
                    data-testid="inbox-row"
                    onClick={() => setQuery({ c: r.id })}>
                    <strong>{r.displayName || '—'}</strong>
                    <small class="muted">{fmtAgo(r.lastMessageAt)}</small>
                    <span class="inbox-preview">{r.lastPreview}</span>
                    <span class="inbox-marks">
                      {r.status === 'open' && r.waiting && <Badge tone="amber">{t.inbox.waiting}</Badge>}
                      {r.unread > 0 && <Badge tone="red">{t.inbox.unread(r.unread)}</Badge>}
                      {r.assigneeName && <Badge tone="blue">{r.assigneeName}</Badge>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {selected ? (
          <ConversationPane key={selected} id={selected} revision={revision} />
        ) : (
          <Card class="inbox-chat">
            <Empty>{t.inbox.pick}</Empty>
          </Card>
        )}
      </div>
    </div>
  );
}

function ConversationPane(props: { id: string; revision: number }) {
  const session = useSession();
  const [view, setView] = useState<ConversationView | null>(null);
  const [agents, setAgents] = useState<InboxAgent[]>([]);
  const marked = useRef(false);
  const load = useAction(async () => {
    const v = await api.inbox.get(props.id);
    setView(v);
    // Opening the conversation reads it (in LINE too); later updates while it is open are read as they arrive.
    if (v.conversation.unread > 0 || !marked.current) {
      marked.current = true;
      await api.inbox.read(props.id);
    }
  });
  useEffect(() => {
    void load.run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.id, props.revision]);
  useEffect(() => {
    void api.inbox.agents().then(
      (r) => setAgents(r.items),
      () => undefined,
    );
  }, []);
  const close = useAction(async (notify: boolean, resend = false) => {
    if (!resend && !confirm(notify ? t.inbox.closeConfirm : t.inbox.closeQuietConfirm)) return;
    await api.inbox.close(props.id, notify);
    await load.run();
  });
  const assign = useAction(async (assigneeId: string) => {
    await api.inbox.assign(props.id, assigneeId || null);
    await load.run();
  });
  if (!view) return <Card class="inbox-chat">{load.error ? <ErrorBanner error={load.error} /> : <Spinner />}</Card>;
  const c = view.conversation;
  return (
    <>
      <Card
        class="inbox-chat"
        testId="inbox-chat"
        title={
          <>
            {c.displayName} <Badge tone="gray">{t.inbox.reasons[c.reason] ?? c.reason}</Badge>
          </>
        }
        actions={
          c.status === 'open' && (
            <>
              <label class="muted">
                {t.inbox.assignee}{' '}
                <select value={c.assigneeId ?? ''} onChange={(e) => void assign.run(e.currentTarget.value)}>
                  <option value="">{t.inbox.nobody}</option>
                  {agents.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.displayName}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" class="btn btn-small" onClick={() => void close.run(true)} disabled={close.busy}>
                {t.inbox.close}
              </button>
              <button type="button" class="btn btn-small" onClick={() => void close.run(false)} disabled={close.busy}>
                {t.inbox.closeQuiet}
              </button>
            </>
          )
        }>
        <ErrorBanner error={close.error ?? assign.error} />
        <ol class="inbox-messages" data-testid="inbox-messages">
          {view.messages.map((m) => (
            <li key={m.id} class={`bubble ${m.direction === 'in' ? 'bubble-in' : 'bubble-out'}`}>
              <span>{m.kind === 'text' ? m.text : `[${m.kind}] ${m.text}`}</span>
              <small class="muted">
                {m.direction === 'in' ? t.inbox.customer : (m.agentName ?? t.inbox.bot)} · {fmtDateTime(m.at)}
                {m.delivery === 'failed' && ` · ${t.inbox.failed}`}
              </small>
            </li>
          ))}
        </ol>
        {c.status === 'open' ? (
          <ReplyBox conversationId={c.id} onSent={() => void load.run()} />
        ) : (
          <p class="muted">
            {t.inbox.closed}
            {c.closeNotice && t.inbox.closeNotice[c.closeNotice] && ` ${t.inbox.closeNotice[c.closeNotice]}`}
            {c.closeNotice === 'failed' && (
              <button
                type="button"
                class="btn btn-small"
                onClick={() => void close.run(true, true)}
                disabled={close.busy}>
                {t.inbox.resendClose}
              </button>
            )}
          </p>
        )}
      </Card>
      <MemberPanel view={view} canEdit={session.can('members.write')} canRead={session.can('members.read')} />
    </>
  );
}

function ReplyBox(props: { conversationId: string; onSent: () => void }) {
  const [text, setText] = useState('');
  const [canned, setCanned] = useState<CannedReplyView[]>([]);
  const [quota, setQuota] = useState<InboxQuota | null>(null);
  // One key per typed reply: a double click or a retry after a timeout sends it once.
  const key = useRef(actionKey());
  const refresh = useCallback(() => {
    void api.inbox.quota().then(setQuota, () => undefined);
    void api.inbox.canned().then(
      (r) => setCanned(r.items),
      () => undefined,
    );
  }, []);
  useEffect(refresh, [refresh]);
  const send = useAction(async () => {
    await api.inbox.reply(props.conversationId, text, key.current);
    key.current = actionKey();
    setText('');
    refresh();
    props.onSent();
  });
  const save = useAction(async () => {
    const title = prompt(t.inbox.cannedTitle);
    if (!title) return;
    await api.inbox.createCanned({ title, text });
    refresh();
  });
  return (
    <form
      class="inbox-reply"
      onSubmit={(e) => {
        e.preventDefault();
        void send.run();
      }}>
      <ErrorBanner error={send.error ?? save.error} />
      <select
        aria-label={t.inbox.canned}
        value=""
        onChange={(e) => {
          const pick = canned.find((x) => x.id === e.currentTarget.value);
          if (pick) setText((prev) => (prev ? `${prev}\n${pick.text}` : pick.text));
        }}>
        <option value="">{t.inbox.cannedPick}</option>
        {canned.map((x) => (
          <option key={x.id} value={x.id}>
            {x.title}
          </option>
        ))}
      </select>
      <textarea
        aria-label={t.inbox.replyPlaceholder}
        placeholder={t.inbox.replyPlaceholder}
        rows={3}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <div class="inbox-reply-foot">
        <small class="muted" data-testid="inbox-quota">
          {quota ? t.inbox.quota(quota.used, quota.limit) : ''}
        </small>
        <button type="button" class="btn btn-small btn-ghost" disabled={!text.trim()} onClick={() => void save.run()}>
          {t.inbox.cannedSave}
        </button>
        <button type="submit" class="btn btn-primary" disabled={send.busy || !text.trim()}>
          {t.inbox.send}
        </button>
      </div>
    </form>
  );
}

function MemberPanel(props: { view: ConversationView; canEdit: boolean; canRead: boolean }) {
  const { member, purchases, timeline } = props.view;
  return (
    <div class="inbox-panel" data-testid="inbox-member">
      <Card title={t.inbox.panel}>
        <dl class="kv">
          <dt>{t.inbox.points}</dt>
          <dd>{fmtNumber(member.points.balance)}</dd>
          <dt>{t.inbox.tier}</dt>
          <dd>{member.tier.label}</dd>
          <dt>{t.inbox.tags}</dt>
          <dd>{member.tags.map((x) => x.tag).join('、') || '—'}</dd>
        </dl>
        {props.canRead && (
          <button type="button" class="btn btn-small btn-ghost" onClick={() => navigate(`/members/${member.id}`)}>
            {t.inbox.openMember}
          </button>
        )}
      </Card>
      {props.canEdit ? (
        <NotesCard memberId={member.id} notes={member.notes} onChanged={() => undefined} />
      ) : (
        <Card title={t.inbox.notes}>
          {member.notes.length ? (
            <ul>
              {member.notes.map((n) => (
                <li key={n.id}>{n.body}</li>
              ))}
            </ul>
          ) : (
            <Empty />
          )}
        </Card>
      )}
      <Card title={t.inbox.purchases}>
        {purchases.length ? (
          <ul>
            {purchases.map((p) => (
              <li key={p.id}>
                {fmtDate(p.at)} · {fmtMoney(p.amount)} · {p.items.join('、')}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t.inbox.noPurchases}</Empty>
        )}
      </Card>
      {props.canRead ? (
        <TimelineCard memberId={member.id} revision={0} />
      ) : (
        <Card title={t.inbox.timeline}>
          <ul>
            {timeline.map((i) => (
              <li key={i.id}>
                <small class="muted">{fmtDateTime(i.at)}</small> {i.summary}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
