import { CoBuyCounter, pickSuggestion, type AffinityRule } from '../../../domain/purchases/affinity';

const RULE: AffinityRule = { minSupport: 2, minLift: 1.2 };
const day = (d: number) => new Date(Date.UTC(2025, 0, d));

describe('#17.2 co-buy counts (pure)', () => {
  it('counts each member once per item, hides pairs under the support, and is independent of member order', () => {
    const baskets = [
      ['x', 'y'],
      ['x', 'y', 'x'],
      ['x', 'z'],
      ['y', 'z'],
      [' ', 'z'],
    ];
    const a = new CoBuyCounter();
    const b = new CoBuyCounter();
    for (const m of baskets) a.addMember(m);
    for (const m of [...baskets].reverse()) b.addMember(m);
    expect(a.items(2)).toEqual(b.items(2));
    // members 5; buyers x 3, y 3, z 3; x&y 2 → confidence 2/3, lift (2×5)/(3×3) = 1.111; x&z, y&z 1: hidden.
    expect(a.items(2)).toEqual([
      { key: 'x', buyers: 3, related: [{ key: 'y', coBuyers: 2, confidence: 0.6667, lift: 1.111 }] },
      { key: 'y', buyers: 3, related: [{ key: 'x', coBuyers: 2, confidence: 0.6667, lift: 1.111 }] },
      { key: 'z', buyers: 3, related: [] },
    ]);
    expect(a.members).toBe(5);
  });
});

describe('#17.2 suggestion rule (pure)', () => {
  const related = {
    a: [
      { key: 'b', coBuyers: 3, confidence: 0.5, lift: 1.5 },
      { key: 'c', coBuyers: 9, confidence: 0.5, lift: 1.5 },
      { key: 'd', coBuyers: 1, confidence: 0.1, lift: 9 },
    ],
  } as Record<string, Array<{ key: string; coBuyers: number; confidence: number; lift: number }>>;
  const top = { 保養: ['a', 'e'], 彩妝: ['f'] } as Record<string, string[]>;
  const pick = (skus: string[], cats: Array<{ c: string; n: number; last: Date }> = []) =>
    pickSuggestion(
      { skus, cats },
      (s) => related[s],
      (c) => top[c],
      RULE,
    );

  it('takes the highest lift not bought; a tie goes to more co-buyers; under the support is never suggested', () => {
    expect(pick(['a'])).toEqual({ kind: 'affinity', key: 'c', because: 'a', lift: 1.5, coBuyers: 9 });
    expect(pick(['a', 'c'])).toMatchObject({ kind: 'affinity', key: 'b' });
  });

  it('falls back to the best seller of the top category (most orders, then latest), or none', () => {
    const cats = [
      { c: '彩妝', n: 2, last: day(1) },
      { c: '保養', n: 2, last: day(5) },
    ];
    expect(pick(['a', 'b', 'c'], cats)).toEqual({ kind: 'top_category', key: 'e', category: '保養' });
    expect(pick(['a', 'b', 'c', 'e'], cats)).toEqual({ kind: 'none' });
    expect(pick([], [])).toEqual({ kind: 'none' });
  });
});
