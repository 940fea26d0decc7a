import { DEFAULT_PROGRAM_SETTINGS } from '../../../domain/program/program-settings.schema';
import { keepSpendOf, nextReviewAt, tierAfterReview, tierBenefitFacts } from '../../../domain/tiers/tier-rules';
import { tierBenefitBullets, tierBenefitLines } from '../../../shared/vocabulary';

/** #16.4 the renewal rule and the benefit lines, without I/O. */
const tiers = DEFAULT_PROGRAM_SETTINGS.tiers.map((t) => (t.code === 'gold' ? { ...t, keepSpend: 20000 } : t));
const gold = tiers[2];

describe('#16.4 tier renewal rule', () => {
  it('keeps gold at its renewal spend, though below the threshold', () => {
    expect(keepSpendOf(gold)).toBe(20000);
    expect(keepSpendOf(tiers[1])).toBe(10000);
    expect(tierAfterReview('gold', 20000, tiers).code).toBe('gold');
    expect(tierAfterReview('gold', 19999, tiers).code).toBe('silver');
    expect(tierAfterReview('gold', 9999, tiers).code).toBe('basic');
  });

  it('a spend that earns a higher tier moves up; an unknown code is treated as below every tier', () => {
    expect(tierAfterReview('silver', 30000, tiers).code).toBe('gold');
    expect(tierAfterReview('retired', 12000, tiers).code).toBe('silver');
  });

  it('reviews a year (the 365-day window) after reaching or renewing', () => {
    expect(nextReviewAt(new Date('2026-03-01T04:00:00Z')).toISOString()).toBe('2027-03-01T04:00:00.000Z');
  });
});

describe('#16.4 tier benefit lines', () => {
  it('the first tier has nothing to keep; gold lists multiplier, birthday, gift and renewal', () => {
    expect(tierBenefitLines(tierBenefitFacts(tiers[0], tiers, []))).toEqual(['消費累點']);
    const facts = tierBenefitFacts(
      { ...gold, birthdayMultiplier: 1.5, gift: { points: 1000, credit: 0, creditValidDays: 90 } },
      tiers,
      ['金卡禮'],
    );
    expect(tierBenefitLines(facts)).toEqual([
      '消費點數 2 倍',
      '生日禮 1.5 倍',
      '升等禮（每年一次）：「金卡禮」、1,000 點',
      '保級：每年檢視時近 12 個月消費滿 NT$20,000 即可續保',
    ]);
    expect(tierBenefitBullets(facts).split('\n').at(-1)).toBe('升等禮已放進您的會員卡，打開會員卡即可使用。');
    expect(tierBenefitBullets(tierBenefitFacts(tiers[1], tiers, []))).not.toContain('升等禮');
  });
});
