import { AB_MIN_SENT, pickWinner, VariantSplit } from '../../../domain/campaigns/ab-test';

describe('A/B split by position', () => {
  it.each([[[50, 50]], [[30, 70]], [[34, 33, 33]], [[10, 20, 30, 40]], [[1, 99]]])(
    'keeps every variant within one member of its share after any number of recipients (%j)',
    (shares) => {
      const split = new VariantSplit(shares);
      const counts = shares.map(() => 0);
      for (let n = 1; n <= 1000; n++) {
        counts[split.next()]++;
        shares.forEach((s, k) => expect(Math.abs(counts[k] - (n * s) / 100)).toBeLessThan(1));
      }
    },
  );

  it('deals the same way every time, and without shares gives everyone variant 0', () => {
    const deal = () => {
      const s = new VariantSplit([30, 70]);
      return Array.from({ length: 10 }, () => s.next());
    };
    expect(deal()).toEqual(deal());
    expect(deal()).toEqual([1, 0, 1, 1, 0, 1, 1, 1, 0, 1]); // 3 of 10 to A
    const none = new VariantSplit([]);
    expect([none.next(), none.next()]).toEqual([0, 0]);
  });
});

describe('A/B winner', () => {
  const v = (variant: string, sent: number, successes: number) => ({ variant, sent, successes });

  it('names the variant that is ahead at 95 % confidence', () => {
    expect(pickWinner([v('A', 50, 2), v('B', 50, 20)])).toEqual({ winner: 'B', reason: 'significant' });
    expect(pickWinner([v('A', 200, 60), v('B', 200, 30), v('C', 200, 31)])).toEqual({
      winner: 'A',
      reason: 'significant',
    });
  });

  it('names none when tied, within chance, or with too few sends', () => {
    expect(pickWinner([v('A', 100, 10), v('B', 100, 10)])).toEqual({ winner: null, reason: 'tied' });
    expect(pickWinner([v('A', 100, 10), v('B', 100, 12)])).toEqual({ winner: null, reason: 'not_significant' });
    expect(pickWinner([v('A', AB_MIN_SENT - 1, 20), v('B', 100, 0)])).toEqual({ winner: null, reason: 'too_few' });
    expect(pickWinner([v('A', 100, 0), v('B', 100, 0)])).toEqual({ winner: null, reason: 'tied' });
  });
});
