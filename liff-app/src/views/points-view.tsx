import { useEffect, useState } from 'preact/hooks';
import type { PointsEntryView } from '../../../api/contracts/member';
import { useSession } from '../session/session-context';
import { t } from '../i18n/zh-TW';
import { EmptyState, ErrorState, InlineError, Skeleton } from '../ui/states';
import type { Card } from '../../../api/contracts/member';
import { asApiError, useLoad, type Loaded } from '../ui/use-load';
import { formatDate, formatDateTime, formatPoints } from './format';

/** The points ledger, newest first, 20 at a time, each line with its reason in words. */
export function PointsView() {
  const { session } = useSession();
  const card = useLoad(() => session.api.card());
  const first = useLoad(() => session.api.points(1));
  const [items, setItems] = useState<PointsEntryView[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.items);
    setPage(1);
    setHasMore(first.data.hasMore);
  }, [first.data]);

  const loadMore = async () => {
    setBusy(true);
    setMoreError(null);
    try {
      const next = await session.api.points(page + 1);
      setItems((prev) => [...prev, ...next.items.filter((n) => !prev.some((p) => p.id === n.id))]);
      setPage(next.page);
      setHasMore(next.hasMore);
    } catch (err) {
      setMoreError(asApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <h1>{t.points.title}</h1>
      <Balance card={card} />
      {first.error ? (
        <ErrorState error={first.error} onRetry={first.reload} />
      ) : !first.data ? (
        <Skeleton lines={5} />
      ) : items.length === 0 ? (
        <EmptyState icon="star" text={t.points.empty} />
      ) : (
        <>
          <ul class="ledger" data-testid="ledger">
            {items.map((e) => (
              <LedgerLine key={e.id} entry={e} />
            ))}
          </ul>
          <InlineError message={moreError} />
          {hasMore ? (
            <button class="btn btn-secondary btn-block" disabled={busy} data-testid="points-more" onClick={loadMore}>
              {busy ? t.loading : t.points.more}
            </button>
          ) : (
            <p class="muted center small">{t.points.end}</p>
          )}
        </>
      )}
    </div>
  );
}

function Balance({ card }: { card: Loaded<Card> }) {
  if (!card.data)
    return (
      <div class="panel balance">
        <span class="muted">{t.points.balance}</span>
        <span class="sk sk-inline" />
      </div>
    );
  return (
    <div class="panel balance">
      <span class="muted">{t.points.balance}</span>
      <strong data-testid="points-page-balance">
        {formatPoints(card.data.pointsBalance)} {t.card.pointsUnit}
      </strong>
      {card.data.soonestExpiring && (
        <span class="small warn">
          {t.card.expiring(card.data.soonestExpiring.points, formatDate(card.data.soonestExpiring.expiresAt))}
        </span>
      )}
    </div>
  );
}

function LedgerLine({ entry }: { entry: PointsEntryView }) {
  return (
    <li class="ledger-line" data-testid="ledger-line">
      <div class="grow">
        <div class="ledger-reason">{entry.reasonLabel || t.points.otherReason}</div>
        {entry.note && <div class="muted small">{entry.note}</div>}
        <div class="muted small">
          {formatDateTime(entry.at)}
          {entry.expiresAt && entry.delta > 0 ? ` · ${t.points.expiresAt(formatDate(entry.expiresAt))}` : ''}
        </div>
      </div>
      <div class={entry.delta > 0 ? 'delta plus' : 'delta minus'}>
        {entry.delta > 0 ? '+' : '−'}
        {formatPoints(Math.abs(entry.delta))}
      </div>
    </li>
  );
}
