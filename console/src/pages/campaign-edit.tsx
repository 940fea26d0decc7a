import { useEffect, useState } from 'preact/hooks';
import type {
  CampaignEstimate,
  CampaignPreview,
  CampaignView,
  SegmentView,
  TestSendRequest,
} from '../../../api/contracts/console';
import type { ApiError } from '@kit/http';
import { api } from '../api/client';
import { CampaignMessagesFields } from '../campaigns/ab-fields';
import {
  emptyForm,
  formFromCampaign,
  toCampaignInput,
  VARIANT_KEYS,
  type CampaignForm,
} from '../campaigns/campaign-form';
import { LinePreview, useServerPreview } from '../campaigns/line-preview';
import { toLineMessage } from '../campaigns/message-editor';
import { ScheduleFields } from '../campaigns/schedule-fields';
import { fmtDateTime, fmtNumber, fromLocalInput } from '../format';
import { t } from '../i18n';
import { navigate, useRoute } from '../router';
import { RuleBuilder, type RuleMeta } from '../segments/rule-builder';
import { Card, ErrorBanner, Field, Modal, Notice, PageHeader, Spinner, valueOf } from '../ui/components';
import { useAction, useLoad } from '../ui/use-load';

export default function CampaignEditPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const route = useRoute();
  const existing = useLoad(() => (id ? api.campaigns.get(id).then((r) => r.campaign) : Promise.resolve(null)), [id]);
  const segments = useLoad(() => api.segments.list(), []);
  const templates = useLoad(() => api.coupons.templates().catch(() => ({ templates: [] })), []);
  const meta = useLoad(() => api.segments.meta(), []);
  const [form, setForm] = useState<CampaignForm | null>(
    id ? null : emptyForm(new Date(), route.params.get('segmentId') ?? undefined),
  );
  useEffect(() => {
    if (existing.data) setForm(formFromCampaign(existing.data));
  }, [existing.data]);
  const set = (patch: Partial<CampaignForm>) => setForm((f) => (f ? { ...f, ...patch } : f));
  const estimate = useEstimate(form);
  const [variant, setVariant] = useState(0);
  const variantKey = form?.abEnabled ? VARIANT_KEYS[variant] : undefined;
  const preview = useDraftPreview(form, variantKey);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState('');

  const save = useAction(async (draft: boolean) => {
    const body = toCampaignInput(form!, draft);
    const res = id ? await api.campaigns.update(id, body) : await api.campaigns.create(body);
    return res.campaign;
  });
  const saveDraft = async () => {
    const c = await save.run(true);
    if (c && !id) navigate(`/campaigns/${c.id}/edit`, { replace: true });
    if (c) setNotice(t.common.saved);
    return c;
  };
  const schedule = async () => {
    const c = await save.run(false);
    setConfirming(false);
    if (c) navigate(`/campaigns/${c.id}`);
  };

  if (!form || !meta.data) return existing.error ? <ErrorBanner error={existing.error} /> : <Spinner />;
  const errors = save.error?.fields ?? {};
  const coupon = templates.data?.templates.find((x) => x.id === form.couponTemplateId);
  const shownMessages = variant > 0 && form.abEnabled ? (form.abOthers[variant - 1] ?? []) : form.messages;
  const editable = !existing.data || ['draft', 'scheduled', 'held'].includes(existing.data.status);
  return (
    <div>
      <PageHeader
        title={id ? t.campaigns.edit : t.campaigns.new}
        back={{ href: id ? `/campaigns/${id}` : '/campaigns', label: `← ${t.campaigns.title}` }}
      />
      {!editable && <Notice kind="warn">{existing.data?.statusLabel}</Notice>}
      <div class="grid grid-main-side">
        <div class="stack">
          <Card>
            <Field label={t.campaigns.name} error={errors.name}>
              <input name="name" required maxLength={80} value={form.name} onInput={(e) => set({ name: valueOf(e) })} />
            </Field>
            <Field label={`${t.campaigns.description}${t.common.optional}`}>
              <input
                name="description"
                maxLength={500}
                value={form.description}
                onInput={(e) => set({ description: valueOf(e) })}
              />
            </Field>
          </Card>
          <AudienceCard
            form={form}
            set={set}
            errors={errors}
            segments={segments.data?.segments ?? []}
            meta={meta.data}
          />
          <Card title={t.campaigns.messages}>
            <CampaignMessagesFields form={form} set={set} errors={errors} active={variant} setActive={setVariant} />
            <Field label={t.campaigns.coupon} error={errors['coupon.templateId']}>
              <select
                name="couponTemplateId"
                value={form.couponTemplateId}
                onChange={(e) => set({ couponTemplateId: e.currentTarget.value })}>
                <option value="">{t.campaigns.noCoupon}</option>
                {templates.data?.templates.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.title}（{x.valueLabel}）
                  </option>
                ))}
              </select>
            </Field>
          </Card>
          <Card title={t.campaigns.schedule}>
            <ScheduleFields form={form} set={set} errors={errors} />
          </Card>
          <ErrorBanner error={save.error} />
          {notice && <Notice kind="ok">{notice}</Notice>}
          {editable && (
            <div class="form-actions">
              <button type="button" class="btn" disabled={save.busy} onClick={() => void saveDraft()}>
                {t.campaigns.saveDraft}
              </button>
              <button
                type="button"
                class="btn btn-primary"
                disabled={save.busy || !form.name.trim()}
                onClick={() => setConfirming(true)}>
                {t.campaigns.scheduleNow}
              </button>
              {!form.name.trim() && (
                <span class="form-hint" role="status">
                  {t.campaigns.nameNeeded}
                </span>
              )}
            </div>
          )}
        </div>
        <aside class="sticky stack">
          <EstimateCard estimate={estimate} />
          <Card title={t.campaigns.preview}>
            {preview ? (
              <LinePreview messages={preview.messages} />
            ) : (
              <LinePreview
                messages={shownMessages.map(toLineMessage)}
                couponNotice={coupon ? t.campaigns.couponNotice(coupon.title) : undefined}
              />
            )}
            <p class="muted small">{t.campaigns.previewHint}</p>
          </Card>
          <TestSendCard campaignId={id} onNeedSave={saveDraft} variant={variantKey} />
        </aside>
      </div>
      {confirming && (
        <Modal title={t.campaigns.confirmTitle} onClose={() => setConfirming(false)}>
          <p>
            {t.campaigns.confirmText(
              estimate.data ? fmtNumber(estimate.data.audience) : '—',
              form.scheduleType === 'once' && form.at ? fmtDateTime(fromLocalInput(form.at)) : form.cron,
            )}
          </p>
          {estimate.data?.wouldExceed && <Notice kind="warn">{t.campaigns.wouldExceed}</Notice>}
          <div class="form-actions">
            <button type="button" class="btn btn-ghost" onClick={() => setConfirming(false)}>
              {t.common.cancel}
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={save.busy}
              onClick={() => void schedule()}
              data-testid="confirm-schedule">
              {t.common.confirm}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}

function AudienceCard(props: {
  form: CampaignForm;
  set: (p: Partial<CampaignForm>) => void;
  errors: Record<string, string>;
  segments: SegmentView[];
  meta: RuleMeta;
}) {
  const { form, set, errors } = props;
  return (
    <Card title={t.campaigns.audience} testId="campaign-audience">
      <div class="radio-group inline">
        {(['all', 'segment', 'rule'] as const).map((k) => (
          <label key={k}>
            <input
              type="radio"
              name="audienceType"
              checked={form.audienceType === k}
              onChange={() => set({ audienceType: k })}
            />
            {{ all: t.campaigns.audienceAll, segment: t.campaigns.audienceSegment, rule: t.campaigns.audienceRule }[k]}
          </label>
        ))}
      </div>
      {form.audienceType === 'segment' && (
        <Field label={t.campaigns.audienceSegment} error={errors['audience.segmentId']}>
          <select name="segmentId" value={form.segmentId} onChange={(e) => set({ segmentId: e.currentTarget.value })}>
            <option value="">—</option>
            {props.segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {form.audienceType === 'rule' && (
        <RuleBuilder rule={form.rule} meta={props.meta} onChange={(rule) => set({ rule })} />
      )}
    </Card>
  );
}

/** Audience and quota for the campaign as it is being edited; invalid drafts simply show no estimate. */
function useEstimate(form: CampaignForm | null): { data: CampaignEstimate | null; error: ApiError | null } {
  const [state, setState] = useState<{ data: CampaignEstimate | null; error: ApiError | null }>({
    data: null,
    error: null,
  });
  const key = form ? JSON.stringify(toCampaignInput(form, true)) : '';
  useEffect(() => {
    if (!form) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      const body = { ...toCampaignInput(form, true), name: form.name || t.campaigns.untitled };
      api.campaigns.estimate(body).then(
        (data) => !cancelled && setState({ data, error: null }),
        (error) => !cancelled && setState({ data: null, error }),
      );
    }, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the form as the API reads it
  }, [key]);
  return state;
}

/**
 * The final messages of the variant as the server renders them (links as the customer reads them); null while the
 * draft is incomplete (the authored messages are shown then).
 */
function useDraftPreview(form: CampaignForm | null, variant: string | undefined): CampaignPreview | null {
  const key = form ? JSON.stringify([toCampaignInput(form, true), variant]) : '';
  return useServerPreview(
    key,
    form
      ? () =>
          api.campaigns.previewDraft(
            { ...toCampaignInput(form, true), name: form.name || t.campaigns.untitled },
            variant,
          )
      : null,
  );
}

function EstimateCard(props: { estimate: { data: CampaignEstimate | null; error: ApiError | null } }) {
  const e = props.estimate.data;
  return (
    <Card title={t.campaigns.estimate} testId="campaign-estimate">
      {e ? (
        <>
          <div class="stat-row">
            <div class="stat">
              <span class="stat-label">{t.campaigns.estimateAudience}</span>
              <strong class="stat-value" data-testid="estimate-audience">
                {fmtNumber(e.audience)}
              </strong>
            </div>
            <div class="stat">
              <span class="stat-label">{t.campaigns.quotaRemaining}</span>
              <strong class="stat-value">
                {e.quota?.remaining === null || !e.quota ? t.campaigns.quotaUnlimited : fmtNumber(e.quota.remaining)}
              </strong>
            </div>
          </div>
          {e.wouldExceed && <Notice kind="warn">{t.campaigns.wouldExceed}</Notice>}
        </>
      ) : props.estimate.error ? (
        <p class="muted small">
          {props.estimate.error.status === 400 ? t.campaigns.estimateIncomplete : props.estimate.error.message}
        </p>
      ) : (
        <Spinner />
      )}
    </Card>
  );
}

function TestSendCard(props: {
  campaignId?: string;
  onNeedSave: () => Promise<CampaignView | undefined>;
  variant?: string;
}) {
  const recipients = useLoad(() => api.campaigns.testRecipients(), []);
  const [to, setTo] = useState('');
  const [done, setDone] = useState('');
  // Only the test-recipient list (settings); my own linked LINE first.
  const list = [...(recipients.data?.recipients ?? [])].sort((a, b) => Number(b.mine) - Number(a.mine));
  const send = useAction(async () => {
    const id = props.campaignId ?? (await props.onNeedSave())?.id;
    if (!id) return;
    const target = to || list[0]?.lineUserId;
    await api.campaigns.testSend(id, { lineUserId: target, variant: props.variant as TestSendRequest['variant'] });
    setDone(
      t.campaigns.testSent(recipients.data?.recipients.find((r) => r.lineUserId === target)?.label ?? target ?? ''),
    );
  });
  return (
    <Card title={t.campaigns.testSend} testId="campaign-test-send">
      {list.length === 0 ? (
        <p class="muted small">{t.campaigns.noTestRecipients}</p>
      ) : (
        <div class="inline-form">
          <select
            aria-label={t.campaigns.testTo}
            value={to || list[0]?.lineUserId}
            onChange={(e) => setTo(e.currentTarget.value)}>
            {list.map((r) => (
              <option key={r.lineUserId} value={r.lineUserId}>
                {r.label}
                {r.mine ? t.campaigns.mine : ''}
              </option>
            ))}
          </select>
          <button type="button" class="btn" disabled={send.busy} onClick={() => void send.run()}>
            {t.campaigns.testSend}
            {props.variant ? `（${t.campaigns.abVariant(props.variant)}）` : ''}
          </button>
        </div>
      )}
      <ErrorBanner error={send.error} />
      {done && (
        <p class="ok small" role="status">
          {done}
        </p>
      )}
    </Card>
  );
}
