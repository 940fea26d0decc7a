import { nextTier, pointsForPurchase, tierForSpend, tierRank } from '../../../domain/tiers/tier-rules';
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettingsSchema } from '../../../domain/program/program-settings.schema';
import {
  formatShortCode,
  generateShortCode,
  normalizeShortCode,
  SHORT_CODE_ALPHABET,
} from '../../../domain/coupons/short-code';
import { valueLabel } from '../../../domain/coupons/coupon-view';
import { parseSurveyPostback, buildSurveyMessage } from '../../../domain/surveys/survey.service';

const tiers = DEFAULT_PROGRAM_SETTINGS.tiers;

describe('program defaults', () => {
  it('NT$100 = 1 point, 一般/銀卡/金卡, end-of-next-year expiry, 30-day warning', () => {
    expect(DEFAULT_PROGRAM_SETTINGS.earn.spendPerPoint).toBe(100);
    expect(tiers.map((t) => t.label)).toEqual(['一般', '銀卡', '金卡']);
    expect(DEFAULT_PROGRAM_SETTINGS.expiry).toEqual({ mode: 'end_of_next_year', months: 12, warnDaysBefore: 30 });
    expect(DEFAULT_PROGRAM_SETTINGS.birthday.mode).toBe('day');
  });

  it('rejects tiers that are not ascending, duplicated or not starting at 0', () => {
    const bad = ProgramSettingsSchema.safeParse({
      tiers: [
        { code: 'basic', label: '一般', minSpend: 100, multiplier: 1 },
        { code: 'basic', label: '銀卡', minSpend: 50, multiplier: 1.5 },
      ],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['tiers.0.minSpend', 'tiers.1.code', 'tiers.1.minSpend']));
  });
});

describe('tier rules', () => {
  it('picks the highest tier reached by the rolling spend', () => {
    expect(tierForSpend(0, tiers).code).toBe('basic');
    expect(tierForSpend(9999, tiers).code).toBe('basic');
    expect(tierForSpend(10000, tiers).code).toBe('silver');
    expect(tierForSpend(45000, tiers).code).toBe('gold');
  });

  it('says what the next tier still needs', () => {
    expect(nextTier('basic', 4000, tiers)).toEqual({ code: 'silver', label: '銀卡', spendNeeded: 6000 });
    expect(nextTier('gold', 99999, tiers)).toBeNull();
    expect(tierRank('unknown', tiers)).toBe(-1);
  });

  it('points: floor(amount / 100) × multiplier, never fractional', () => {
    expect(pointsForPurchase(1280, 100, 1)).toBe(12);
    expect(pointsForPurchase(1280, 100, 1.5)).toBe(18);
    expect(pointsForPurchase(99, 100, 2)).toBe(0);
    expect(pointsForPurchase(0, 100, 2)).toBe(0);
  });
});

describe('short codes', () => {
  it('never contain 0, O, 1 or I', () => {
    for (let i = 0; i < 200; i++) expect(generateShortCode(8)).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(SHORT_CODE_ALPHABET).not.toMatch(/[01OI]/);
  });

  it('normalises what people type (case, spaces, dashes, full-width) and rejects look-alikes', () => {
    expect(normalizeShortCode(' abcd-2345 ')).toBe('ABCD2345');
    expect(normalizeShortCode('ＡＢＣＤ２３４５')).toBe('ABCD2345');
    expect(normalizeShortCode('ABC0')).toBeNull();
    expect(normalizeShortCode('')).toBeNull();
    expect(formatShortCode('ABCD2345')).toBe('ABCD-2345');
  });
});

describe('coupon value labels (Taiwan wording)', () => {
  it('amount, percent as 折, gift', () => {
    expect(valueLabel('amount', 100)).toBe('折抵 NT$100');
    expect(valueLabel('percent', 15)).toBe('85 折');
    expect(valueLabel('percent', 10)).toBe('9 折');
    expect(valueLabel('gift', 0, '帆布袋')).toBe('贈品：帆布袋');
  });
});

describe('survey postback', () => {
  it('parses survey:<id>:<score> and nothing else', () => {
    expect(parseSurveyPostback('survey:0123456789abcdef01234567:4')).toEqual({
      surveyId: '0123456789abcdef01234567',
      score: 4,
    });
    expect(parseSurveyPostback('survey:0123456789abcdef01234567:6')).toBeNull();
    expect(parseSurveyPostback('persona:q1')).toBeNull();
  });

  it('offers five quick replies carrying the postback data', () => {
    const msg = buildSurveyMessage('0123456789abcdef01234567', '滿意嗎？') as {
      quickReply: { items: Array<{ action: { data: string; label: string } }> };
    };
    expect(msg.quickReply.items.map((i) => i.action.data)).toEqual(
      [5, 4, 3, 2, 1].map((s) => `survey:0123456789abcdef01234567:${s}`),
    );
    for (const i of msg.quickReply.items) expect(i.action.label.length).toBeLessThanOrEqual(20);
  });
});
