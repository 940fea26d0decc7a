import { emptyForm, formFromCampaign, toCampaignInput } from '../../../console/src/campaigns/campaign-form';
import { buildFlexMessage, FLEX_DEFAULTS } from '../../../console/src/campaigns/flex-templates';
import type { CampaignView } from '../../../api/contracts/console';

const emptyOptions = {
  frequencyCap: null,
  quietHours: { enabled: true, start: '21:00', end: '09:00' },
  endAt: null,
  onQuotaShortfall: 'hold',
  linkTracking: 'link',
  attributionDays: 7,
};

describe('campaign form ↔ API input', () => {
  it('a saved campaign opens in the form and saves back to the same input', () => {
    const flex = buildFlexMessage('coupon', FLEX_DEFAULTS.coupon, '送你一張優惠券');
    const view = {
      name: '母親節',
      description: '',
      audience: { type: 'rule', rule: { op: 'and', conditions: [{ field: 'gender', op: 'in', values: ['female'] }] } },
      messages: [
        { type: 'text', text: '母親節快樂' },
        flex,
        {
          type: 'image',
          originalContentUrl: 'https://example.com/a.jpg',
          previewImageUrl: 'https://example.com/a.jpg',
        },
      ],
      coupon: { templateId: 'a'.repeat(24) },
      schedule: { type: 'recurring', cron: '0 10 * * 1' },
      options: {
        frequencyCap: null,
        quietHours: { enabled: true, start: '22:00', end: '08:00' },
        endAt: '2025-06-30T15:59:00.000Z',
        onQuotaShortfall: 'send_partial',
        linkTracking: 'member',
        attributionDays: 14,
      },
    } as unknown as CampaignView;
    const input = toCampaignInput(formFromCampaign(view), false);
    expect(input).toEqual({
      name: '母親節',
      description: '',
      audience: view.audience,
      messages: view.messages,
      ab: null,
      coupon: { templateId: 'a'.repeat(24) },
      schedule: { type: 'recurring', cron: '0 10 * * 1' },
      options: {
        frequencyCap: null,
        quietHours: { enabled: true, start: '22:00', end: '08:00' },
        endAt: '2025-06-30T15:59:00.000Z',
        onQuotaShortfall: 'send_partial',
        linkTracking: 'member',
        attributionDays: 14,
      },
      draft: false,
    });
  });

  it('an A/B campaign opens with variant A as the messages and saves back every variant and share', () => {
    const ab = {
      metric: 'purchase_rate' as const,
      variants: [
        { share: 30, messages: [{ type: 'text' as const, text: 'A 版' }] },
        { share: 30, messages: [{ type: 'text' as const, text: 'B 版' }] },
        { share: 40, messages: [{ type: 'text' as const, text: 'C 版' }] },
      ],
    };
    const view = {
      name: 'AB',
      description: '',
      audience: { type: 'all' },
      messages: ab.variants[0].messages,
      ab,
      coupon: null,
      schedule: { type: 'recurring', cron: '0 10 * * 1' },
      options: emptyOptions,
    } as unknown as CampaignView;
    const form = formFromCampaign(view);
    expect(form).toMatchObject({ abEnabled: true, abShares: ['30', '30', '40'], abMetric: 'purchase_rate' });
    expect(toCampaignInput(form, true).ab).toEqual(ab);
    expect(toCampaignInput({ ...form, abEnabled: false }, true).ab).toBeNull();
  });

  it('a new form preselects a segment and sends a one-time schedule in Taipei time', () => {
    const form = { ...emptyForm(new Date('2025-06-02T05:50:00Z'), 'b'.repeat(24)), at: '2025-06-02T14:00' };
    expect(form.at).toBe('2025-06-02T14:00');
    const input = toCampaignInput(form, true) as { audience: unknown; schedule: unknown; draft: boolean };
    expect(input.audience).toEqual({ type: 'segment', segmentId: 'b'.repeat(24) });
    expect(input.schedule).toEqual({ type: 'once', at: '2025-06-02T06:00:00.000Z' });
    expect(input.draft).toBe(true);
  });

  it('the default send time is the next quarter hour an hour from now', () => {
    expect(emptyForm(new Date('2025-06-02T05:50:00Z')).at).toBe('2025-06-02T15:00');
  });
});
