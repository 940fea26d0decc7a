import { useEffect, useState } from 'preact/hooks';
import type { ProgramSettings } from '../../../api/contracts/console';
import { api } from '../api/client';
import { TestRecipientsCard } from '../campaigns/test-recipients';
import { BrandCard } from '../settings/brand-card';
import { OpeningHoursCard } from '../settings/opening-hours-card';
import { CreditSettingsCard, PaymentCounterSettingsCard } from '../settings/loyalty-cards';
import { TiersCard } from '../settings/tiers-card';
import { t } from '../i18n';
import { Card, ErrorBanner, Field, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

/** The brand (name, logo, colours, stores), earn rate, tiers, points expiry, referral rewards, persona reward, birthday program, the survey, retention and the inbox's 客服時間. */
export default function SettingsPage() {
  const loaded = useLoad(() => api.settings.program().then((r) => r.settings), []);
  const templates = useLoad(() => api.coupons.templates(), []);
  const [s, setS] = useState<ProgramSettings | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.data) setS(structuredClone(loaded.data));
  }, [loaded.data]);
  const save = useAction(async () => {
    if (!s) return;
    const res = await api.settings.saveProgram(s);
    setS(res.settings);
    setSaved(true);
  });
  if (!s) return loaded.error ? <ErrorBanner error={loaded.error} /> : <Spinner />;
  const e = save.error?.fields ?? {};
  const upd = <K extends keyof ProgramSettings>(k: K, patch: Partial<ProgramSettings[K]>) => {
    setSaved(false);
    setS({ ...s, [k]: { ...(s[k] as object), ...patch } });
  };
  const num = (v: string) => (v === '' ? 0 : Number(v));
  const section: Section = {
    s,
    setS: (next) => {
      setSaved(false);
      setS(next);
    },
    upd,
    e,
    num,
  };
  const couponOptions = [
    <option key="" value="">
      {t.common.none}
    </option>,
    ...(templates.data?.templates ?? []).map((x) => (
      <option key={x.id} value={x.id}>
        {x.title}
      </option>
    )),
  ];
  return (
    <>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void save.run();
        }}>
        <PageHeader title={t.settings.title}>
          <button type="submit" class="btn btn-primary" disabled={save.busy}>
            {save.busy ? t.common.saving : t.common.save}
          </button>
        </PageHeader>
        <ErrorBanner error={save.error} />
        {saved && <Notice kind="ok">{t.settings.saved}</Notice>}
        <div class="grid grid-2">
          <BrandCard s={s} setS={section.setS} e={e} />
          <EarnCard {...section} />
          <TiersCard s={s} setS={section.setS} e={e} couponOptions={couponOptions} />
          <BirthdayCard {...section} couponOptions={couponOptions} />
          <ReferralSurveyCard {...section} />
          <RetentionCard {...section} />
          <OpeningHoursCard s={s} setS={section.setS} e={e} />
          <CreditSettingsCard s={s} setS={section.setS} e={e} />
          <PaymentCounterSettingsCard s={s} setS={section.setS} e={e} />
        </div>
      </form>
      {/* Its own form, outside the program settings form (forms do not nest). */}
      <div class="grid grid-2">
        <TestRecipientsCard />
      </div>
    </>
  );
}

interface Section {
  s: ProgramSettings;
  setS: (next: ProgramSettings) => void;
  upd: <K extends keyof ProgramSettings>(k: K, patch: Partial<ProgramSettings[K]>) => void;
  e: Record<string, string>;
  num: (v: string) => number;
}

function EarnCard({ s, setS, upd, e, num }: Section) {
  return (
    <Card title={t.settings.earn}>
      <Field label={t.settings.spendPerPoint} error={e['earn.spendPerPoint']}>
        <input
          type="number"
          min={1}
          value={s.earn.spendPerPoint}
          onInput={(ev) => upd('earn', { spendPerPoint: num(valueOf(ev)) })}
        />
      </Field>
      <Field label={t.settings.persona} error={e.personaCompletionPoints}>
        <input
          type="number"
          min={0}
          value={s.personaCompletionPoints}
          onInput={(ev) => setS({ ...s, personaCompletionPoints: num(valueOf(ev)) })}
        />
      </Field>
      <h3>{t.settings.expiry}</h3>
      <Field label={t.settings.expiryMode}>
        <select
          value={s.expiry.mode}
          onChange={(ev) => upd('expiry', { mode: ev.currentTarget.value as ProgramSettings['expiry']['mode'] })}>
          {Object.entries(t.settings.expiryModes).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </Field>
      {s.expiry.mode === 'months' && (
        <Field label={t.settings.months} error={e['expiry.months']}>
          <input
            type="number"
            min={1}
            value={s.expiry.months}
            onInput={(ev) => upd('expiry', { months: num(valueOf(ev)) })}
          />
        </Field>
      )}
      <Field label={t.settings.warnDays} error={e['expiry.warnDaysBefore']}>
        <input
          type="number"
          min={1}
          value={s.expiry.warnDaysBefore}
          onInput={(ev) => upd('expiry', { warnDaysBefore: num(valueOf(ev)) })}
        />
      </Field>
    </Card>
  );
}

function BirthdayCard({ s, upd, e, num, couponOptions }: Section & { couponOptions: preact.JSX.Element[] }) {
  return (
    <Card title={t.settings.birthday}>
      <label class="check">
        <input
          type="checkbox"
          checked={s.birthday.enabled}
          onChange={(ev) => upd('birthday', { enabled: ev.currentTarget.checked })}
        />
        {t.settings.birthdayEnabled}
      </label>
      <Field label={t.settings.birthdayPoints}>
        <input
          type="number"
          min={0}
          value={s.birthday.points}
          onInput={(ev) => upd('birthday', { points: num(valueOf(ev)) })}
        />
      </Field>
      <Field label={t.settings.birthdayCoupon}>
        <select
          value={s.birthday.couponTemplateId ?? ''}
          onChange={(ev) => upd('birthday', { couponTemplateId: ev.currentTarget.value || null })}>
          {couponOptions}
        </select>
      </Field>
      <Field label={t.settings.birthdayMode}>
        <select
          value={s.birthday.mode}
          onChange={(ev) => upd('birthday', { mode: ev.currentTarget.value as 'day' | 'month-first' })}>
          {Object.entries(t.settings.birthdayModes).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.settings.sendTime} error={e['birthday.sendTime']}>
        <input type="time" value={s.birthday.sendTime} onInput={(ev) => upd('birthday', { sendTime: valueOf(ev) })} />
      </Field>
    </Card>
  );
}

function ReferralSurveyCard({ s, upd, e, num }: Section) {
  return (
    <Card title={t.settings.referral}>
      <label class="check">
        <input
          type="checkbox"
          checked={s.referral.enabled}
          onChange={(ev) => upd('referral', { enabled: ev.currentTarget.checked })}
        />
        {t.settings.referralEnabled}
      </label>
      <Field label={t.settings.referrerPoints}>
        <input
          type="number"
          min={0}
          value={s.referral.referrerReward.points}
          onInput={(ev) =>
            upd('referral', { referrerReward: { ...s.referral.referrerReward, points: num(valueOf(ev)) } })
          }
        />
      </Field>
      <Field label={t.settings.refereePoints}>
        <input
          type="number"
          min={0}
          value={s.referral.refereeReward.points}
          onInput={(ev) =>
            upd('referral', { refereeReward: { ...s.referral.refereeReward, points: num(valueOf(ev)) } })
          }
        />
      </Field>
      <Field label={t.settings.minPurchase}>
        <input
          type="number"
          min={0}
          value={s.referral.minPurchaseAmount}
          onInput={(ev) => upd('referral', { minPurchaseAmount: num(valueOf(ev)) })}
        />
      </Field>
      <h3>{t.settings.survey}</h3>
      <label class="check">
        <input
          type="checkbox"
          checked={s.survey.enabled}
          onChange={(ev) => upd('survey', { enabled: ev.currentTarget.checked })}
        />
        {t.settings.surveyEnabled}
      </label>
      <Field label={t.settings.surveyDelay}>
        <input
          type="number"
          min={0}
          value={s.survey.delayHours}
          onInput={(ev) => upd('survey', { delayHours: num(valueOf(ev)) })}
        />
      </Field>
      <Field label={t.settings.surveyQuestion} error={e['survey.question']}>
        <input value={s.survey.question} onInput={(ev) => upd('survey', { question: valueOf(ev) })} />
      </Field>
    </Card>
  );
}

const RETENTION_CHOICES = [12, 24, 36] as const;

/** How long the member timeline is kept (default 永久保留); older rows are archived, then deleted, nightly. */
function RetentionCard({ s, upd, e }: Section) {
  const months = s.retention.interactionsMonths;
  return (
    <Card title={t.settings.retention} testId="settings-retention">
      <Field label={t.settings.retentionInteractions} error={e['retention.interactionsMonths']}>
        <select
          value={months === null ? '' : String(months)}
          onChange={(ev) => {
            const v = ev.currentTarget.value;
            upd('retention', { interactionsMonths: v === '' ? null : (Number(v) as 12 | 24 | 36) });
          }}>
          <option value="">{t.settings.retentionForever}</option>
          {RETENTION_CHOICES.map((m) => (
            <option key={m} value={String(m)}>
              {t.settings.retentionMonths(m)}
            </option>
          ))}
        </select>
      </Field>
      <p class="muted">{t.settings.retentionHint}</p>
    </Card>
  );
}
