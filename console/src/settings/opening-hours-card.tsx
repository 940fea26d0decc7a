import type { ProgramSettings } from '../../../api/contracts/console';
import { t } from '../i18n';
import { Card, Field, valueOf } from '../ui/components';

type Day = ProgramSettings['inbox']['openingHours'][number];

/** Monday first, as Taiwanese calendars read; the stored week is Sunday first (index 0 = 週日). */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];
/** What a day gets when it stops being 公休. */
const DEFAULT_DAY = { open: '10:00', close: '19:00' };

/**
 * 客服時間 (#13.5): when colleagues answer the 1:1 inbox, day by day (or 公休), and after how many quiet hours the
 * bot takes over again. Saved with the program settings form; outside these hours the customer is told the next
 * opening instead of being handed to the inbox.
 */
export function OpeningHoursCard(props: {
  s: ProgramSettings;
  setS: (next: ProgramSettings) => void;
  e: Record<string, string>;
}) {
  const { s, setS, e } = props;
  const inbox = s.inbox;
  const ti = t.settings.inbox;
  const setDay = (i: number, day: Day) =>
    setS({ ...s, inbox: { ...inbox, openingHours: inbox.openingHours.map((d, j) => (j === i ? day : d)) } });
  return (
    <Card title={ti.title} testId="opening-hours">
      <p class="muted">{ti.hint}</p>
      <table class="table compact">
        <thead>
          <tr>
            <th>{ti.day}</th>
            <th>{ti.closedDay}</th>
            <th>{ti.open}</th>
            <th>{ti.close}</th>
          </tr>
        </thead>
        <tbody>
          {WEEK_ORDER.map((i) => {
            const day = inbox.openingHours[i] ?? null;
            const path = `inbox.openingHours.${i}`;
            const error = e[`${path}.open`] ?? e[`${path}.close`] ?? e[path];
            const name = ti.weekdays[i]!;
            return (
              <tr key={i} data-testid={`opening-day-${i}`}>
                <th scope="row">{name}</th>
                <td>
                  <label class="check">
                    <input
                      type="checkbox"
                      aria-label={`${name}${ti.closedDay}`}
                      checked={day === null}
                      onChange={(ev) => setDay(i, ev.currentTarget.checked ? null : { ...DEFAULT_DAY })}
                    />
                    {ti.closedDay}
                  </label>
                </td>
                <td>
                  {day && (
                    <input
                      type="time"
                      aria-label={`${name}${ti.open}`}
                      aria-invalid={Boolean(e[`${path}.open`])}
                      value={day.open}
                      onInput={(ev) => setDay(i, { ...day, open: valueOf(ev) })}
                    />
                  )}
                </td>
                <td>
                  {day && (
                    <input
                      type="time"
                      aria-label={`${name}${ti.close}`}
                      aria-invalid={Boolean(e[`${path}.close`])}
                      value={day.close === '24:00' ? '23:59' : day.close}
                      onInput={(ev) => setDay(i, { ...day, close: valueOf(ev) })}
                    />
                  )}
                  {error && <p class="field-error">{`${name}：${error}`}</p>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {e['inbox.openingHours'] && <p class="field-error">{e['inbox.openingHours']}</p>}
      <Field label={ti.autoResume} hint={ti.autoResumeHint} error={e['inbox.autoResumeHours']}>
        <input
          type="number"
          min={1}
          max={336}
          value={inbox.autoResumeHours}
          onInput={(ev) =>
            setS({ ...s, inbox: { ...inbox, autoResumeHours: valueOf(ev) === '' ? 0 : Number(valueOf(ev)) } })
          }
        />
      </Field>
    </Card>
  );
}
