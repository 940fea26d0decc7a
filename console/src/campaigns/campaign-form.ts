import type { CampaignAudience, CampaignRequest, CampaignView, SegmentGroup } from '../../../api/contracts/console';
import { fromLocalInput, toLocalInput } from '../format';
import { fromLineMessage, toLineMessage, type EditorMessage } from './message-codec';

/** The campaign form's state: plain strings and booleans, converted to the API's input at the edge. */
export interface CampaignForm {
  name: string;
  description: string;
  audienceType: 'all' | 'segment' | 'rule';
  segmentId: string;
  rule: SegmentGroup;
  messages: EditorMessage[];
  couponTemplateId: string;
  scheduleType: 'once' | 'recurring';
  at: string;
  cron: string;
  capEnabled: boolean;
  maxPerWindow: string;
  windowDays: string;
  quietEnabled: boolean;
  quietStart: string;
  quietEnd: string;
  endAt: string;
  onQuotaShortfall: 'hold' | 'send_partial';
  linkTracking: 'link' | 'member';
  attributionDays: string;
  /** An A/B test: `messages` are variant A's, `abOthers` those of B, C, D; `abShares` every variant's percent. */
  abEnabled: boolean;
  abMetric: 'click_rate' | 'purchase_rate';
  abOthers: EditorMessage[][];
  abShares: string[];
}

/** Variant letters in order. */
export const VARIANT_KEYS = ['A', 'B', 'C', 'D'] as const;

export function emptyForm(now: Date, segmentId?: string): CampaignForm {
  const inAnHour = new Date(Math.ceil((now.getTime() + 3_600_000) / 900_000) * 900_000);
  return {
    name: '',
    description: '',
    audienceType: segmentId ? 'segment' : 'all',
    segmentId: segmentId ?? '',
    rule: { op: 'and', conditions: [] },
    messages: [{ kind: 'text', text: '' }],
    couponTemplateId: '',
    scheduleType: 'once',
    at: toLocalInput(inAnHour),
    cron: '0 10 * * 1',
    capEnabled: true,
    maxPerWindow: '2',
    windowDays: '7',
    quietEnabled: true,
    quietStart: '21:00',
    quietEnd: '09:00',
    endAt: '',
    onQuotaShortfall: 'hold',
    linkTracking: 'link',
    attributionDays: '7',
    abEnabled: false,
    abMetric: 'click_rate',
    abOthers: [[{ kind: 'text', text: '' }]],
    abShares: ['50', '50'],
  };
}

export function formFromCampaign(c: CampaignView): CampaignForm {
  const a = c.audience;
  const s = c.schedule;
  const o = c.options;
  return {
    name: c.name,
    description: c.description,
    audienceType: a.type,
    segmentId: a.type === 'segment' ? a.segmentId : '',
    rule: a.type === 'rule' ? a.rule : { op: 'and', conditions: [] },
    messages: (c.ab ? c.ab.variants[0].messages : c.messages).map(fromLineMessage),
    couponTemplateId: c.coupon?.templateId ?? '',
    scheduleType: s.type,
    at: s.type === 'once' ? toLocalInput(s.at) : toLocalInput(new Date()),
    cron: s.type === 'recurring' ? s.cron : '0 10 * * 1',
    capEnabled: Boolean(o.frequencyCap),
    maxPerWindow: String(o.frequencyCap?.maxPerWindow ?? 2),
    windowDays: String(o.frequencyCap?.windowDays ?? 7),
    quietEnabled: o.quietHours.enabled,
    quietStart: o.quietHours.start,
    quietEnd: o.quietHours.end,
    endAt: o.endAt ? toLocalInput(o.endAt) : '',
    onQuotaShortfall: o.onQuotaShortfall,
    linkTracking: o.linkTracking,
    attributionDays: String(o.attributionDays),
    abEnabled: Boolean(c.ab),
    abMetric: c.ab?.metric ?? 'click_rate',
    abOthers: c.ab
      ? c.ab.variants.slice(1).map((v) => v.messages.map(fromLineMessage))
      : [[{ kind: 'text', text: '' }]],
    abShares: c.ab ? c.ab.variants.map((v) => String(v.share)) : ['50', '50'],
  };
}

/** The body of POST/PUT /campaigns and /campaigns/estimate. */
export function toCampaignInput(f: CampaignForm, draft: boolean): CampaignRequest {
  const audience: CampaignAudience =
    f.audienceType === 'all'
      ? { type: 'all' }
      : f.audienceType === 'segment'
        ? { type: 'segment', segmentId: f.segmentId }
        : { type: 'rule', rule: f.rule };
  return {
    name: f.name,
    description: f.description,
    audience,
    messages: f.messages.map(toLineMessage),
    ab: f.abEnabled
      ? {
          metric: f.abMetric,
          variants: [f.messages, ...f.abOthers].map((m, i) => ({
            share: Number(f.abShares[i] ?? 0),
            messages: m.map(toLineMessage),
          })),
        }
      : null,
    coupon: f.couponTemplateId ? { templateId: f.couponTemplateId } : null,
    schedule:
      f.scheduleType === 'once'
        ? { type: 'once', at: f.at ? fromLocalInput(f.at) : '' }
        : { type: 'recurring', cron: f.cron },
    options: {
      frequencyCap: f.capEnabled ? { maxPerWindow: Number(f.maxPerWindow), windowDays: Number(f.windowDays) } : null,
      quietHours: { enabled: f.quietEnabled, start: f.quietStart, end: f.quietEnd },
      endAt: f.endAt ? fromLocalInput(f.endAt) : null,
      onQuotaShortfall: f.onQuotaShortfall,
      linkTracking: f.linkTracking,
      attributionDays: Number(f.attributionDays),
    },
    draft,
  };
}
