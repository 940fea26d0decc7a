import { useEffect, useState } from 'preact/hooks';
import type { TimelineItem } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime } from '../format';
import { t } from '../i18n';
import { Card, Empty, ErrorBanner, Spinner } from '../ui/components';
import { useAction } from '../ui/use-load';

const FILTERS: Array<[string, string]> = [
  ['', t.member.timelineFilters.all],
  ['message_in,postback,persona_answer,reply', t.member.timelineFilters.messages],
  ['push,click', t.member.timelineFilters.pushes],
  ['coupon_issued,coupon_redeemed', t.member.timelineFilters.coupons],
  ['purchase,refund,points', t.member.timelineFilters.purchases],
  ['survey_answer', t.member.timelineFilters.surveys],
  ['tag,note,event,follow,unfollow', t.member.timelineFilters.other],
];

/** Everything the member did and everything we sent them, newest first, with "load earlier". */
export function TimelineCard(props: { memberId: string; revision: number }) {
  const [types, setTypes] = useState('');
  const [items, setItems] = useState<TimelineItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const load = useAction(async (cursor?: string) => {
    const res = await api.members.timeline(props.memberId, { types, cursor, limit: 30 });
    setItems((prev) => (cursor && prev ? [...prev, ...res.items] : res.items));
    setNext(res.nextCursor);
  });
  useEffect(() => {
    void load.run();
    // Deliberate: reloads when the member, the filter or the page's revision changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.memberId, types, props.revision]);
  return (
    <Card
      title={t.member.timeline}
      testId="member-timeline"
      actions={
        <select aria-label="filter" value={types} onChange={(e) => setTypes(e.currentTarget.value)}>
          {FILTERS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      }>
      <ErrorBanner error={load.error} />
      {!items ? (
        <Spinner />
      ) : items.length === 0 ? (
        <Empty>{t.member.timelineEmpty}</Empty>
      ) : (
        <ol class="timeline">
          {items.map((i) => (
            <li key={i.id} class={`tl tl-${i.type}`}>
              <span class="tl-type">{t.timelineTypes[i.type] ?? i.type}</span>
              <div>
                <p>{i.summary || '—'}</p>
                <small class="muted">
                  {fmtDateTime(i.at)} · {t.channels[i.channel] ?? i.channel}
                </small>
              </div>
            </li>
          ))}
        </ol>
      )}
      {next && (
        <button type="button" class="btn btn-block btn-ghost" disabled={load.busy} onClick={() => void load.run(next)}>
          {t.member.timelineMore}
        </button>
      )}
    </Card>
  );
}
