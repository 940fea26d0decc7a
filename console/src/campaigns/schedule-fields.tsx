import { t } from '../i18n';
import { Field, valueOf } from '../ui/components';
import type { CampaignForm } from './campaign-form';

/** When and how often: one-time or cron, frequency cap, quiet hours, end date, quota policy, click tracking. */
export function ScheduleFields(props: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  errors: Record<string, string>;
}) {
  const { form: f, set, errors } = props;
  return (
    <div class="stack">
      <div class="radio-group inline">
        <label>
          <input
            type="radio"
            name="scheduleType"
            checked={f.scheduleType === 'once'}
            onChange={() => set({ scheduleType: 'once' })}
          />
          {t.campaigns.once}
        </label>
        <label>
          <input
            type="radio"
            name="scheduleType"
            checked={f.scheduleType === 'recurring'}
            onChange={() => set({ scheduleType: 'recurring' })}
          />
          {t.campaigns.recurring}
        </label>
      </div>
      {f.scheduleType === 'once' ? (
        <Field label={t.campaigns.at} error={errors['schedule.at'] ?? errors.schedule}>
          <input type="datetime-local" name="at" value={f.at} onInput={(e) => set({ at: valueOf(e) })} />
        </Field>
      ) : (
        <Field label={t.campaigns.cron} error={errors['schedule.cron'] ?? errors.schedule}>
          <input name="cron" class="mono" value={f.cron} onInput={(e) => set({ cron: valueOf(e) })} />
          <span class="chips">
            {Object.entries(t.campaigns.cronPresets).map(([cron, label]) => (
              <button key={cron} type="button" class="chip" onClick={() => set({ cron })}>
                {label}
              </button>
            ))}
          </span>
        </Field>
      )}
      <fieldset class="fieldset">
        <legend>
          <label>
            <input
              type="checkbox"
              checked={f.capEnabled}
              onChange={(e) => set({ capEnabled: e.currentTarget.checked })}
            />
            {t.campaigns.frequencyCap}
          </label>
        </legend>
        {f.capEnabled ? (
          <div class="grid grid-2 tight">
            <Field label={t.campaigns.maxPerWindow} error={errors['options.frequencyCap.maxPerWindow']}>
              <input
                type="number"
                min={1}
                max={50}
                value={f.maxPerWindow}
                onInput={(e) => set({ maxPerWindow: valueOf(e) })}
              />
            </Field>
            <Field label={t.campaigns.windowDays} error={errors['options.frequencyCap.windowDays']}>
              <input
                type="number"
                min={1}
                max={30}
                value={f.windowDays}
                onInput={(e) => set({ windowDays: valueOf(e) })}
              />
            </Field>
          </div>
        ) : (
          <p class="muted small">{t.campaigns.capOff}</p>
        )}
      </fieldset>
      <fieldset class="fieldset">
        <legend>
          <label>
            <input
              type="checkbox"
              checked={f.quietEnabled}
              onChange={(e) => set({ quietEnabled: e.currentTarget.checked })}
            />
            {t.campaigns.quietHours}
          </label>
        </legend>
        {f.quietEnabled && (
          <div class="grid grid-2 tight">
            <Field label={t.campaigns.quietStart} error={errors['options.quietHours']}>
              <input type="time" value={f.quietStart} onInput={(e) => set({ quietStart: valueOf(e) })} />
            </Field>
            <Field label={t.campaigns.quietEnd}>
              <input type="time" value={f.quietEnd} onInput={(e) => set({ quietEnd: valueOf(e) })} />
            </Field>
          </div>
        )}
        <p class="muted small">{t.campaigns.quietHint}</p>
      </fieldset>
      <div class="grid grid-2 tight">
        <Field label={t.campaigns.endAt} error={errors['options.endAt']}>
          <input type="datetime-local" value={f.endAt} onInput={(e) => set({ endAt: valueOf(e) })} />
        </Field>
        <Field label={t.campaigns.onQuota}>
          <select
            value={f.onQuotaShortfall}
            onChange={(e) => set({ onQuotaShortfall: e.currentTarget.value as CampaignForm['onQuotaShortfall'] })}>
            <option value="hold">{t.campaigns.onQuotaHold}</option>
            <option value="send_partial">{t.campaigns.onQuotaPartial}</option>
          </select>
        </Field>
        <Field label={t.campaigns.linkTracking}>
          <select
            value={f.linkTracking}
            onChange={(e) => set({ linkTracking: e.currentTarget.value as CampaignForm['linkTracking'] })}>
            <option value="link">{t.campaigns.trackLink}</option>
            <option value="member">{t.campaigns.trackMember}</option>
          </select>
        </Field>
        <Field label={t.campaigns.attributed('N')} error={errors['options.attributionDays']}>
          <input
            type="number"
            min={1}
            max={90}
            value={f.attributionDays}
            onInput={(e) => set({ attributionDays: valueOf(e) })}
          />
        </Field>
      </div>
    </div>
  );
}
