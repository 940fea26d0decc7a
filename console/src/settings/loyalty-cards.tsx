import type { ProgramSettings } from '../../../api/contracts/console';
import { t } from '../i18n';
import { Card, Field, valueOf } from '../ui/components';

interface Props {
  s: ProgramSettings;
  setS: (next: ProgramSettings) => void;
  e: Record<string, string>;
}

const num = (v: string) => (v === '' ? 0 : Number(v));

/**
 * One whole-number input bound to a settings path. No browser-side min/max: the server's zh-TW field error for the
 * path shows under it (a browser bubble would speak the browser's language).
 */
function NumberField(props: {
  label: string;
  hint?: string;
  value: number;
  error?: string;
  name: string;
  onChange: (n: number) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      <input
        type="number"
        name={props.name}
        inputMode="numeric"
        value={props.value}
        onInput={(ev) => props.onChange(num(valueOf(ev)))}
      />
    </Field>
  );
}

/** 購物金 (#16.2): the gifts, how long each kind stays valid, the per-order spend caps and the manual caps by role. */
export function CreditSettingsCard({ s, setS, e }: Props) {
  const tl = t.loyaltySettings;
  const c = s.credit;
  const set = (patch: Partial<ProgramSettings['credit']>) => setS({ ...s, credit: { ...c, ...patch } });
  const cap = (role: keyof ProgramSettings['credit']['manualGrantCap'], n: number) =>
    set({ manualGrantCap: { ...c.manualGrantCap, [role]: n } });
  return (
    <Card title={tl.credit} testId="settings-credit">
      <p class="muted">{tl.creditHint}</p>
      <div class="grid grid-2">
        <NumberField
          name="credit.birthdayAmount"
          label={tl.birthdayAmount}
          value={c.birthdayAmount}
          error={e['credit.birthdayAmount']}
          onChange={(n) => set({ birthdayAmount: n })}
        />
        <NumberField
          name="credit.birthdayValidDays"
          label={tl.birthdayValidDays}
          value={c.birthdayValidDays}
          error={e['credit.birthdayValidDays']}
          onChange={(n) => set({ birthdayValidDays: n })}
        />
        <NumberField
          name="credit.referralAmount"
          label={tl.referralAmount}
          value={c.referralAmount}
          error={e['credit.referralAmount']}
          onChange={(n) => set({ referralAmount: n })}
        />
        <NumberField
          name="credit.referralValidDays"
          label={tl.referralValidDays}
          value={c.referralValidDays}
          error={e['credit.referralValidDays']}
          onChange={(n) => set({ referralValidDays: n })}
        />
      </div>
      <label class="check">
        <input
          type="checkbox"
          name="credit.refundAsCredit"
          checked={c.refundAsCredit}
          onChange={(ev) => set({ refundAsCredit: ev.currentTarget.checked })}
        />{' '}
        {tl.refundAsCredit}
      </label>
      {c.refundAsCredit && (
        <NumberField
          name="credit.refundValidDays"
          label={tl.refundValidDays}
          value={c.refundValidDays}
          error={e['credit.refundValidDays']}
          onChange={(n) => set({ refundValidDays: n })}
        />
      )}
      <h3>{tl.perOrder}</h3>
      <div class="grid grid-2">
        <Field label={tl.maxPerOrder} hint={tl.maxPerOrderHint} error={e['credit.maxPerOrder']}>
          <input
            type="number"
            name="credit.maxPerOrder"
            value={c.maxPerOrder ?? ''}
            onInput={(ev) => {
              const v = valueOf(ev);
              set({ maxPerOrder: v === '' ? null : Number(v) });
            }}
          />
        </Field>
        <NumberField
          name="credit.maxPercentOfOrder"
          label={tl.creditMaxPercent}
          value={c.maxPercentOfOrder}
          error={e['credit.maxPercentOfOrder']}
          onChange={(n) => set({ maxPercentOfOrder: n })}
        />
      </div>
      <h3>{tl.manualCaps}</h3>
      <p class="muted small">{tl.manualCapsHint}</p>
      <div class="grid grid-2">
        {(['staff', 'marketer', 'admin'] as const).map((role) => (
          <NumberField
            key={role}
            name={`credit.manualGrantCap.${role}`}
            label={tl.roles[role]}
            value={c.manualGrantCap[role]}
            error={e[`credit.manualGrantCap.${role}`]}
            onChange={(n) => cap(role, n)}
          />
        ))}
        <NumberField
          name="credit.manualValidDays"
          label={tl.manualValidDays}
          value={c.manualValidDays}
          error={e['credit.manualValidDays']}
          onChange={(n) => set({ manualValidDays: n })}
        />
      </div>
    </Card>
  );
}

/** 點數折抵 (#16.3) and the counter's checks (#16.5): the rate, the per-order cap, spend basis, manual points caps. */
export function PaymentCounterSettingsCard({ s, setS, e }: Props) {
  const tl = t.loyaltySettings;
  const p = s.pointsPayment;
  const c = s.counter;
  const setP = (patch: Partial<ProgramSettings['pointsPayment']>) => setS({ ...s, pointsPayment: { ...p, ...patch } });
  const setC = (patch: Partial<ProgramSettings['counter']>) => setS({ ...s, counter: { ...c, ...patch } });
  return (
    <Card title={tl.payment} testId="settings-payment">
      <label class="check">
        <input
          type="checkbox"
          name="pointsPayment.enabled"
          checked={p.enabled}
          onChange={(ev) => setP({ enabled: ev.currentTarget.checked })}
        />{' '}
        {tl.pointsPaymentEnabled}
      </label>
      {p.enabled && (
        <div class="grid grid-2">
          <NumberField
            name="pointsPayment.pointsPerNtd"
            label={tl.pointsPerNtd}
            hint={tl.pointsPerNtdHint(p.pointsPerNtd)}
            value={p.pointsPerNtd}
            error={e['pointsPayment.pointsPerNtd']}
            onChange={(n) => setP({ pointsPerNtd: n })}
          />
          <NumberField
            name="pointsPayment.maxPercentOfOrder"
            label={tl.pointsMaxPercent}
            value={p.maxPercentOfOrder}
            error={e['pointsPayment.maxPercentOfOrder']}
            onChange={(n) => setP({ maxPercentOfOrder: n })}
          />
        </div>
      )}
      <Field label={tl.spendBasis} error={e['pointsPayment.spendBasis']}>
        <select
          name="pointsPayment.spendBasis"
          value={p.spendBasis}
          onChange={(ev) => setP({ spendBasis: ev.currentTarget.value as 'net' | 'gross' })}>
          <option value="net">{tl.spendBases.net}</option>
          <option value="gross">{tl.spendBases.gross}</option>
        </select>
      </Field>
      <h3>{tl.counter}</h3>
      <div class="grid grid-2">
        <NumberField
          name="counter.staffPointsCap"
          label={tl.staffPointsCap}
          value={c.staffPointsCap}
          error={e['counter.staffPointsCap']}
          onChange={(n) => setC({ staffPointsCap: n })}
        />
        <NumberField
          name="counter.marketerPointsCap"
          label={tl.marketerPointsCap}
          value={c.marketerPointsCap}
          error={e['counter.marketerPointsCap']}
          onChange={(n) => setC({ marketerPointsCap: n })}
        />
        <NumberField
          name="counter.unusualMultiplier"
          label={tl.unusualMultiplier}
          value={c.unusualMultiplier}
          error={e['counter.unusualMultiplier']}
          onChange={(n) => setC({ unusualMultiplier: n })}
        />
        <NumberField
          name="counter.unusualFloor"
          label={tl.unusualFloor}
          value={c.unusualFloor}
          error={e['counter.unusualFloor']}
          onChange={(n) => setC({ unusualFloor: n })}
        />
      </div>
    </Card>
  );
}
