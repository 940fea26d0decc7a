import { useState } from 'preact/hooks';
import type { JourneyStatsResponse, StepLineFigures } from '../../../api/contracts/journeys';
import { api } from '../api/client';
import { fmtMoney, fmtNumber } from '../format';
import { Card, ErrorBanner, Spinner } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';
import { jt } from './journey-texts';

/** LINE's figure, or why there is none (fewer than 20 people: LINE withholds it). */
function lineCell(line: StepLineFigures | null, pick: 'uniqueImpression' | 'uniqueClick') {
  if (!line) return <span class="muted">—</span>;
  if (!line.available) return <span class="muted small">{jt.lineUnavailable}</span>;
  const v = line[pick];
  return v === null ? <span class="muted small">{jt.lineTooFew}</span> : fmtNumber(v);
}

/** Per-step figures: Huigo's own and LINE's per-unit statistics. */
export function StepStatsCard(props: {
  stats: JourneyStatsResponse | null;
  error: Parameters<typeof ErrorBanner>[0]['error'];
}) {
  const s = props.stats;
  return (
    <Card title={jt.stats} testId="journey-stats">
      <p class="muted small">{jt.statsHint}</p>
      <ErrorBanner error={props.error} />
      {!s ? (
        !props.error && <Spinner />
      ) : (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th>{jt.colStep}</th>
                <th class="num">{jt.colEntered}</th>
                <th class="num">{jt.colSent}</th>
                <th class="num">{jt.colClicked}</th>
                <th class="num">{jt.colConversions}</th>
                <th class="num">{jt.colRevenue}</th>
                <th class="num">{jt.colLineOpen}</th>
                <th class="num">{jt.colLineClick}</th>
              </tr>
            </thead>
            <tbody>
              {s.steps.map((st) => (
                <tr key={st.stepId} data-testid={`stats-${st.stepId}`}>
                  <td>
                    {st.stepId}
                    <br />
                    <small class="muted">{jt.stepTypes[st.type]}</small>
                  </td>
                  <td class="num">{fmtNumber(st.entered)}</td>
                  <td class="num">{st.type === 'message' ? fmtNumber(st.sent) : '—'}</td>
                  <td class="num">{st.type === 'message' ? fmtNumber(st.clicked) : '—'}</td>
                  <td class="num">{fmtNumber(st.conversions)}</td>
                  <td class="num">{fmtMoney(st.revenue)}</td>
                  <td class="num">{lineCell(st.line, 'uniqueImpression')}</td>
                  <td class="num">{lineCell(st.line, 'uniqueClick')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** A test run for one test recipient (the test-recipient list only); waits are skipped, figures untouched. */
export function TestRunCard(props: { journeyId?: string }) {
  const recipients = useLoad(() => api.campaigns.testRecipients(), []);
  const [to, setTo] = useState('');
  const [done, setDone] = useState('');
  const list = [...(recipients.data?.recipients ?? [])].sort((a, b) => Number(b.mine) - Number(a.mine));
  const run = useAction(async () => {
    if (!props.journeyId) return;
    const target = to || list[0]?.lineUserId;
    await api.journeys.testRun(props.journeyId, target);
    setDone(jt.testRunDone(list.find((r) => r.lineUserId === target)?.label ?? target));
  });
  return (
    <Card title={jt.testRun} testId="journey-test-run">
      <p class="muted small">{jt.testRunHint}</p>
      {!props.journeyId ? (
        <p class="muted small">{jt.needSave}</p>
      ) : list.length === 0 ? (
        <p class="muted small">{jt.noTestRecipients}</p>
      ) : (
        <div class="inline-form">
          <select
            aria-label={jt.testTo}
            value={to || list[0]?.lineUserId}
            onChange={(e) => setTo(e.currentTarget.value)}>
            {list.map((r) => (
              <option key={r.lineUserId} value={r.lineUserId}>
                {r.label}
              </option>
            ))}
          </select>
          <button type="button" class="btn" disabled={run.busy} onClick={() => void run.run()}>
            {jt.testRun}
          </button>
        </div>
      )}
      <ErrorBanner error={run.error} />
      {done && (
        <p class="ok small" role="status">
          {done}
        </p>
      )}
    </Card>
  );
}
