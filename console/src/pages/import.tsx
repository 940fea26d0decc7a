import { useEffect, useState } from 'preact/hooks';
import type { ImportJobView, ImportPreviewRow } from '../../../api/contracts/console';
import { api } from '../api/client';
import { fmtDateTime, fmtNumber } from '../format';
import { t } from '../i18n';
import { navigate, setQuery, useRoute } from '../router';
import { Badge, Card, ErrorBanner, Notice, PageHeader, ProgressBar, Spinner } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

const MAX_ERRORS_SHOWN = 200;

export default function ImportPage() {
  const route = useRoute();
  const jobId = route.params.get('job');
  const job = useLoad(() => (jobId ? api.imports.get(jobId).then((r) => r.job) : Promise.resolve(null)), [jobId]);
  const [preview, setPreview] = useState<ImportPreviewRow[] | null>(null);
  const current = job.data;
  return (
    <div>
      <PageHeader title={t.imports.title}>
        {current && (
          <button
            type="button"
            class="btn"
            onClick={() => {
              setPreview(null);
              navigate('/import');
            }}>
            {t.imports.newImport}
          </button>
        )}
      </PageHeader>
      <ErrorBanner error={job.error} />
      {!current ? (
        <UploadStep
          onUploaded={(j) => {
            job.setData(j);
            setQuery({ job: j.id });
          }}
        />
      ) : (
        <>
          <MappingStep
            job={current}
            onValidated={(j, p) => {
              job.setData(j);
              setPreview(p);
            }}
          />
          {(current.status === 'validated' ||
            current.status === 'running' ||
            current.status === 'done' ||
            current.status === 'failed') && <ReportStep job={current} preview={preview} onJob={job.setData} />}
        </>
      )}
    </div>
  );
}

function UploadStep(props: { onUploaded: (job: ImportJobView) => void }) {
  const upload = useAction(async (file: File) => {
    const res = await api.imports.upload(file, 'text/csv', file.name);
    props.onUploaded(res.job);
  });
  const history = useLoad(() => api.imports.list(), []);
  return (
    <>
      <Card title={t.imports.step1} testId="import-upload">
        <label class="dropzone">
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              if (f) void upload.run(f);
            }}
          />
          <strong>{t.imports.choose}</strong>
          <span class="muted">{t.imports.dropHint}</span>
        </label>
        {upload.busy && <Spinner />}
        <ErrorBanner error={upload.error} />
      </Card>
      <Card title={t.imports.history}>
        {!history.data ? (
          <Spinner />
        ) : (
          <table class="table">
            <tbody>
              {history.data.jobs.map((j) => (
                <tr key={j.id} class="clickable" onClick={() => setQuery({ job: j.id })}>
                  <td>{j.fileName}</td>
                  <td>{fmtDateTime(j.createdAt)}</td>
                  <td>{j.createdByName}</td>
                  <td>
                    <Badge tone={j.status === 'done' ? 'green' : j.status === 'failed' ? 'red' : 'gray'}>
                      {t.imports.status[j.status]}
                    </Badge>
                  </td>
                  <td>
                    {j.status === 'done'
                      ? t.imports.result(
                          fmtNumber(j.counts.created),
                          fmtNumber(j.counts.updated),
                          fmtNumber(j.counts.unchanged),
                        )
                      : t.units.rows(fmtNumber(j.rowCount))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}

function MappingStep(props: {
  job: ImportJobView;
  onValidated: (job: ImportJobView, preview: ImportPreviewRow[]) => void;
}) {
  const { job } = props;
  const [mapping, setMapping] = useState<Record<string, string>>(job.mapping);
  const [onError, setOnError] = useState<'skip' | 'abort'>(job.onError);
  const locked = job.status === 'running' || job.status === 'done';
  const validate = useAction(async () => {
    const res = await api.imports.setMapping(job.id, { mapping, onError });
    props.onValidated(res.job, res.preview);
  });
  return (
    <Card title={t.imports.step2} testId="import-mapping">
      <p>
        {t.imports.uploaded(job.fileName, fmtNumber(job.rowCount))}
        {job.encoding === 'big5' && <Badge>Big5</Badge>}
      </p>
      <Notice>
        {t.imports.identifierHint} {t.imports.emptyKeeps}
      </Notice>
      <table class="table mapping-table">
        <thead>
          <tr>
            <th>{t.imports.column}</th>
            <th>{t.imports.sample}</th>
            <th>{t.imports.mapTo}</th>
          </tr>
        </thead>
        <tbody>
          {job.headers.map((h, i) => (
            <tr key={h}>
              <td>
                <strong>{h || `(${i + 1})`}</strong>
              </td>
              <td class="muted">
                {job.sampleRows
                  .slice(0, 3)
                  .map((r) => r[i])
                  .filter(Boolean)
                  .join('、') || '—'}
              </td>
              <td>
                <select
                  aria-label={`${t.imports.mapTo} ${h}`}
                  data-column={h}
                  disabled={locked}
                  value={mapping[h] ?? ''}
                  onChange={(e) => setMapping({ ...mapping, [h]: e.currentTarget.value })}>
                  <option value="">{t.imports.ignore}</option>
                  {job.fields.map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset class="radio-group" disabled={locked}>
        <legend>{t.imports.onError}</legend>
        <label>
          <input type="radio" name="onError" checked={onError === 'skip'} onChange={() => setOnError('skip')} />
          {t.imports.onErrorSkip}
        </label>
        <label>
          <input type="radio" name="onError" checked={onError === 'abort'} onChange={() => setOnError('abort')} />
          {t.imports.onErrorAbort}
        </label>
      </fieldset>
      <ErrorBanner error={validate.error} />
      {!locked && (
        <div class="form-actions">
          <button type="button" class="btn btn-primary" disabled={validate.busy} onClick={() => void validate.run()}>
            {validate.busy ? t.common.loading : t.imports.validate}
          </button>
        </div>
      )}
    </Card>
  );
}

function ReportStep(props: {
  job: ImportJobView;
  preview: ImportPreviewRow[] | null;
  onJob: (j: ImportJobView) => void;
}) {
  const { job } = props;
  const run = useAction(async () => props.onJob((await api.imports.run(job.id)).job));
  useEffect(() => {
    if (job.status !== 'running') return;
    const timer = setInterval(
      () =>
        void api.imports
          .get(job.id)
          .then((r) => props.onJob(r.job))
          .catch(() => undefined),
      700,
    );
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- polls while this job runs
  }, [job.status, job.id]);
  const blocked = job.onError === 'abort' && job.errorCount > 0;
  // A running job whose claim ran out was interrupted (server restart): it can be started again and resumes.
  const stalled =
    job.status === 'running' && Boolean(job.leaseUntil) && new Date(job.leaseUntil!).getTime() < Date.now();
  return (
    <Card title={job.status === 'validated' ? t.imports.step3 : t.imports.step4} testId="import-report">
      {job.planned && job.status === 'validated' && (
        <p class="lead">
          {t.imports.planned(
            fmtNumber(job.planned.create),
            fmtNumber(job.planned.update),
            fmtNumber(job.planned.unchanged),
          )}
        </p>
      )}
      {job.errorCount === 0 ? <Notice kind="ok">{t.imports.noErrors}</Notice> : <ErrorsTable job={job} />}
      {props.preview && job.status === 'validated' && <PreviewTable rows={props.preview} />}
      {job.status === 'running' && (
        <ProgressBar
          value={job.progress.processed}
          max={job.progress.total}
          label={t.imports.progress(fmtNumber(job.progress.processed), fmtNumber(job.progress.total))}
        />
      )}
      {job.status === 'done' && (
        <Notice kind="ok">
          <strong>{t.imports.done}</strong>：
          {t.imports.result(
            fmtNumber(job.counts.created),
            fmtNumber(job.counts.updated),
            fmtNumber(job.counts.unchanged),
          )}
          {job.counts.invalid > 0 && t.imports.skippedRows(fmtNumber(job.counts.invalid))}
        </Notice>
      )}
      {job.status === 'failed' && (
        <Notice kind="warn">
          <strong>{t.imports.failed}</strong>：{job.failure ?? ''}
        </Notice>
      )}
      <ErrorBanner error={run.error} />
      {(job.status === 'validated' || job.status === 'failed' || stalled) && (
        <div class="form-actions">
          <button
            type="button"
            class="btn btn-primary"
            disabled={run.busy || blocked || job.counts.valid === 0}
            onClick={() => void run.run()}>
            {job.status === 'validated' ? t.imports.run : t.imports.resume}
          </button>
        </div>
      )}
    </Card>
  );
}

function ErrorsTable({ job }: { job: ImportJobView }) {
  const shown = job.errors.slice(0, MAX_ERRORS_SHOWN);
  return (
    <div class="errors-report" data-testid="import-errors">
      <div class="card-head">
        <h3>
          <Badge tone="red">{t.imports.errors(fmtNumber(job.errorCount))}</Badge>
        </h3>
        <a class="btn btn-small" href={api.imports.errorsUrl(job.id)} download>
          {t.imports.downloadErrors}
        </a>
      </div>
      <div class="table-wrap scroll-y">
        <table class="table compact">
          <thead>
            <tr>
              <th>{t.imports.line}</th>
              <th>{t.imports.field}</th>
              <th>{t.imports.value}</th>
              <th>{t.imports.reason}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => (
              <tr key={i}>
                <td class="num">{e.line}</td>
                <td>{e.field}</td>
                <td class="mono">{e.value ?? ''}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {job.errorCount > shown.length && (
        <p class="muted small">{t.imports.moreErrors(fmtNumber(shown.length), fmtNumber(job.errorCount))}</p>
      )}
    </div>
  );
}

function PreviewTable({ rows }: { rows: ImportPreviewRow[] }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const tone = { create: 'green', update: 'blue', unchanged: 'gray', error: 'red' } as const;
  return (
    <>
      <h3>{t.imports.preview}</h3>
      <div class="table-wrap">
        <table class="table compact" data-testid="import-preview">
          <thead>
            <tr>
              <th>{t.imports.line}</th>
              <th>{t.common.actions}</th>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.line}>
                <td class="num">{r.line}</td>
                <td>
                  <Badge tone={tone[r.action]}>{t.imports.action[r.action]}</Badge>
                  {r.memberCode && <small class="mono"> {r.memberCode}</small>}
                  {r.warnings?.map((w) => (
                    <div key={w} class="hint" data-testid="import-warning">
                      <Badge tone="amber">{t.imports.warning}</Badge> {w}
                    </div>
                  ))}
                </td>
                {columns.map((c) => (
                  <td key={c} class={r.changed.includes(c) ? 'changed' : ''}>
                    {String(r.values[c] ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
