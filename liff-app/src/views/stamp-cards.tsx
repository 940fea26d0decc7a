import type { StampCardView } from '../../../api/contracts/member';
import { t } from '../i18n/zh-TW';
import { Icon } from '../ui/icons';
import { formatDate } from './format';

/** The member's stamp cards (集點卡): one visual card each, a grid of stamps with the rewards along the way. */
export function StampCards({ cards }: { cards: StampCardView[] }) {
  if (!cards.length) return null;
  return (
    <div class="stack" data-testid="stamp-cards">
      {cards.map((c) => (
        <StampCard key={c.templateId} card={c} />
      ))}
    </div>
  );
}

function StampCard({ card: c }: { card: StampCardView }) {
  const rewardAt = new Map(c.rewards.map((r) => [r.at, r]));
  const cells = Array.from({ length: c.stampsNeeded }, (_, i) => i + 1);
  // Five to a row up to 10 stamps, six beyond: every cell stays a comfortable tap-free circle at 360 px.
  const columns = c.stampsNeeded > 10 && c.stampsNeeded % 6 === 0 ? 6 : 5;
  return (
    <section class="panel stamp-card" data-testid="stamp-card" aria-label={c.name}>
      <header class="stamp-head">
        <strong class="grow">{c.name}</strong>
        <span class="stamp-count" data-testid="stamp-progress">
          {t.stamps.progress(c.stamps, c.stampsNeeded)}
        </span>
      </header>
      <ol class={`stamp-grid${columns === 6 ? ' six' : ''}`} style={{ gridTemplateColumns: `repeat(${columns}, 1fr)` }}>
        {cells.map((n) => {
          const filled = n <= c.stamps;
          const reward = rewardAt.get(n);
          return (
            <li
              key={n}
              class={`stamp-cell${filled ? ' filled' : ''}${reward ? ' milestone' : ''}`}
              data-testid={filled ? 'stamp-filled' : 'stamp-empty'}
              aria-label={t.stamps.cell(n, filled)}>
              {filled ? <Icon name="check" size={20} /> : reward ? <Icon name="gift" size={18} /> : n}
            </li>
          );
        })}
      </ol>
      <ul class="stamp-rewards">
        {c.rewards.map((r) => (
          <li key={r.at} data-testid="stamp-reward" class={r.given ? 'given' : ''}>
            <span class="grow">{t.stamps.reward(r.at, r.label)}</span>
            {r.given && <span class="stamp-given">{t.stamps.given}</span>}
          </li>
        ))}
      </ul>
      <p class="hint stamp-foot" data-testid="stamp-expiry">
        {c.status === 'completed'
          ? t.stamps.completed
          : t.stamps.expiry(c.expiresAt ? formatDate(c.expiresAt) : null, c.validityDays)}
      </p>
    </section>
  );
}
