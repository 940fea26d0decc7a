import { tierProgress } from '../../../domain/members/member-summary';
import { maskPhone } from '../../../domain/shared/phone';

describe('tierProgress', () => {
  it("is the share of the way from this tier's threshold to the next", () => {
    expect(tierProgress(12800, 10000, 17200)).toBeCloseTo(0.14, 5);
    expect(tierProgress(0, 0, 10000)).toBe(0);
    expect(tierProgress(9999, 0, 1)).toBeCloseTo(0.9999, 5);
  });
  it('is full at the top tier and never outside 0..1', () => {
    expect(tierProgress(50000, 30000, null)).toBe(1);
    // Kept a tier whose threshold the rolling spend no longer reaches (before the review job).
    expect(tierProgress(5000, 10000, 25000)).toBe(0);
    expect(tierProgress(100, 100, 0)).toBe(1);
  });
});

describe('maskPhone', () => {
  it('keeps the first four and last three digits', () => {
    expect(maskPhone('0912345678')).toBe('0912***678');
    expect(maskPhone('0912-345-678')).toBe('0912***678');
    expect(maskPhone('+886912345678')).toBe('0912***678');
    expect(maskPhone('02-2345-6789')).toBe('0223***789');
  });
  it('hides short or odd values completely', () => {
    expect(maskPhone('12345')).toBe('***');
    expect(maskPhone('1234567')).toBe('***');
  });
});
