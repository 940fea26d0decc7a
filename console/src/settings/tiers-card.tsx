import type { ProgramSettings, ProgramTier, TierJourneyGiftsResponse } from '../../../api/contracts/console';
import { api } from '../api/client';
import { t } from '../i18n';
import { Card, Field, Notice, valueOf } from '../ui/components';
import { useLoad } from '../ui/use-load';

interface Props {
  s: ProgramSettings;
  setS: (next: ProgramSettings) => void;
  e: Record<string, string>;
  couponOptions: preact.JSX.Element[];
}

const num = (v: string) => (v === '' ? 0 : Number(v));

const NEW_TIER_GIFT: Pick<ProgramTier, 'gift' | 'keepSpend' | 'couponTemplateIds'> = {
  gift: { points: 0, credit: 0, creditValidDays: 90 },
  keepSpend: null,
  couponTemplateIds: [],
};

/**
 * 會員等級 (#16.4): per tier its threshold, points and birthday multipliers, the upgrade gift (a coupon, points,
 * 購物金; once per tier per member per year) and the renewal spend; the yearly review's warning days; and the
 * active upgrade journeys that give a gift of their own (a member would get both).
 */
export function TiersCard({ s, setS, e, couponOptions }: Props) {
  const ts = t.settings;
  const extra = useLoad<TierJourneyGiftsResponse>(() => api.settings.tierJourneyGifts(), []);
  const setTier = (i: number, patch: Partial<ProgramTier>) =>
    setS({ ...s, tiers: s.tiers.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const err = (i: number, path: string) => e[`tiers.${i}.${path}`];
  return (
    <Card title={ts.tiers} testId="settings-tiers">
      <div class="table-wrap">
        <table class="table compact">
          <thead>
            <tr>
              <th>{ts.tierCode}</th>
              <th>{ts.tierLabel}</th>
              <th>{ts.tierMinSpend}</th>
              <th>{ts.tierMultiplier}</th>
              <th>{ts.tierBirthdayMultiplier}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {s.tiers.map((tier, i) => (
              <tr key={i}>
                <td>
                  <input
                    class="narrow"
                    value={tier.code}
                    aria-invalid={Boolean(err(i, 'code'))}
                    onInput={(ev) => setTier(i, { code: valueOf(ev) })}
                  />
                </td>
                <td>
                  <input class="narrow" value={tier.label} onInput={(ev) => setTier(i, { label: valueOf(ev) })} />
                </td>
                <td>
                  <input
                    class="narrow"
                    type="number"
                    value={tier.minSpend}
                    aria-invalid={Boolean(err(i, 'minSpend'))}
                    onInput={(ev) => setTier(i, { minSpend: num(valueOf(ev)) })}
                  />
                </td>
                <td>
                  <input
                    class="narrow"
                    type="number"
                    step={0.1}
                    value={tier.multiplier}
                    onInput={(ev) => setTier(i, { multiplier: num(valueOf(ev)) })}
                  />
                </td>
                <td>
                  <input
                    class="narrow"
                    type="number"
                    step={0.1}
                    aria-label={ts.tierBirthdayMultiplier}
                    value={tier.birthdayMultiplier}
                    onInput={(ev) => setTier(i, { birthdayMultiplier: num(valueOf(ev)) })}
                  />
                </td>
                <td>
                  {i > 0 && (
                    <button
                      type="button"
                      class="icon-btn"
                      aria-label={t.common.delete}
                      onClick={() => setS({ ...s, tiers: s.tiers.filter((_, j) => j !== i) })}>
                      ×
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {e.tiers && <p class="field-error">{e.tiers}</p>}
      {s.tiers.length < 8 && (
        <button
          type="button"
          class="btn btn-small"
          onClick={() =>
            setS({
              ...s,
              tiers: [
                ...s.tiers,
                {
                  code: `tier${s.tiers.length + 1}`,
                  label: '',
                  minSpend: (s.tiers.at(-1)?.minSpend ?? 0) + 10000,
                  multiplier: 1,
                  birthdayMultiplier: 1,
                  ...NEW_TIER_GIFT,
                },
              ],
            })
          }>
          {ts.addTier}
        </button>
      )}

      <h3>{ts.tierGiftTitle}</h3>
      <p class="hint">{ts.tierGiftHint}</p>
      <div class="table-wrap">
        <table class="table compact" data-testid="tier-gifts">
          <thead>
            <tr>
              <th>{ts.tierLabel}</th>
              <th>{ts.tierGiftCoupon}</th>
              <th>{ts.tierGiftPoints}</th>
              <th>{ts.tierGiftCredit}</th>
              <th>{ts.tierGiftCreditDays}</th>
              <th>{ts.tierKeepSpend}</th>
            </tr>
          </thead>
          <tbody>
            {s.tiers.map((tier, i) => (
              <tr key={i}>
                <td class="nowrap">{tier.label || tier.code}</td>
                <td>
                  <select
                    aria-label={`${tier.label} ${ts.tierGiftCoupon}`}
                    value={tier.couponTemplateIds[0] ?? ''}
                    onChange={(ev) => {
                      const id = ev.currentTarget.value;
                      // The first coupon is edited here; more (set through the API) are kept.
                      const rest = tier.couponTemplateIds.slice(1);
                      setTier(i, { couponTemplateIds: id ? [id, ...rest] : rest });
                    }}>
                    {couponOptions}
                  </select>
                </td>
                <td>
                  <input
                    class="narrow"
                    type="number"
                    name={`tiers.${i}.gift.points`}
                    aria-label={`${tier.label} ${ts.tierGiftPoints}`}
                    value={tier.gift.points}
                    aria-invalid={Boolean(err(i, 'gift.points'))}
                    onInput={(ev) => setTier(i, { gift: { ...tier.gift, points: num(valueOf(ev)) } })}
                  />
                </td>
                <td>
                  <input
                    class="narrow"
                    type="number"
                    name={`tiers.${i}.gift.credit`}
                    aria-label={`${tier.label} ${ts.tierGiftCredit}`}
                    value={tier.gift.credit}
                    aria-invalid={Boolean(err(i, 'gift.credit'))}
                    onInput={(ev) => setTier(i, { gift: { ...tier.gift, credit: num(valueOf(ev)) } })}
                  />
                </td>
                <td>
                  <input
                    class="narrow"
                    type="number"
                    name={`tiers.${i}.gift.creditValidDays`}
                    aria-label={`${tier.label} ${ts.tierGiftCreditDays}`}
                    value={tier.gift.creditValidDays}
                    aria-invalid={Boolean(err(i, 'gift.creditValidDays'))}
                    onInput={(ev) => setTier(i, { gift: { ...tier.gift, creditValidDays: num(valueOf(ev)) } })}
                  />
                </td>
                <td>
                  {i > 0 ? (
                    <input
                      class="narrow"
                      type="number"
                      name={`tiers.${i}.keepSpend`}
                      aria-label={`${tier.label} ${ts.tierKeepSpend}`}
                      placeholder={String(tier.minSpend)}
                      value={tier.keepSpend ?? ''}
                      aria-invalid={Boolean(err(i, 'keepSpend'))}
                      onInput={(ev) => {
                        const v = valueOf(ev);
                        setTier(i, { keepSpend: v === '' ? null : Number(v) });
                      }}
                    />
                  ) : (
                    <span class="muted">{ts.tierKeepNone}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s.tiers.flatMap((_, i) =>
        ['gift.points', 'gift.credit', 'gift.creditValidDays', 'keepSpend']
          .map((p) => err(i, p))
          .filter(Boolean)
          .map((msg) => (
            <p key={`${i}-${msg}`} class="field-error">
              {`${s.tiers[i].label}：${msg}`}
            </p>
          )),
      )}
      <Field label={ts.tierWarnDays} hint={ts.tierWarnHint} error={e['tierReview.warnDaysBefore']}>
        <input
          type="number"
          name="tierReview.warnDaysBefore"
          value={s.tierReview.warnDaysBefore}
          onInput={(ev) => setS({ ...s, tierReview: { ...s.tierReview, warnDaysBefore: num(valueOf(ev)) } })}
        />
      </Field>
      {(extra.data?.journeys ?? []).length > 0 && (
        <Notice kind="warn">
          <span data-testid="tier-journey-gifts">
            {ts.tierJourneyExtra(extra.data!.journeys.map((j) => `「${j.name}」送 ${j.gifts.join('、')}`).join('；'))}
          </span>
        </Notice>
      )}
    </Card>
  );
}
