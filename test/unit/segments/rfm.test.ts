import {
  classifyRfm,
  quintileCuts,
  RFM_SEGMENTS,
  scoreHigherBetter,
  scoreLowerBetter,
  scorePopulation,
  type RfmInput,
} from '../../../domain/segments/rfm';

describe('RFM quintiles', () => {
  // Ten members with distinct values: cut points at nearest-rank 20/40/60/80% are the 2nd, 4th, 6th and 8th values.
  const population: RfmInput[] = Array.from({ length: 10 }, (_, i) => ({
    memberId: `m${i + 1}`,
    recencyDays: (i + 1) * 10, // 10..100 days since last purchase
    frequency: i + 1, // 1..10 purchases
    monetary: (i + 1) * 1000, // 1000..10000 spend
  }));

  it('computes nearest-rank cut points', () => {
    expect(quintileCuts([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])).toEqual([2, 4, 6, 8]);
    expect(quintileCuts([7])).toEqual([7, 7, 7, 7]);
    expect(quintileCuts([])).toEqual([]);
  });

  it('scores a constructed population as computed by hand', () => {
    const { scores, cuts } = scorePopulation(population);
    expect(cuts).toEqual({ r: [20, 40, 60, 80], f: [2, 4, 6, 8], m: [2000, 4000, 6000, 8000] });
    // Hand computed: values 1–2 → quintile 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5; recency reversed.
    const expectedHigh = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5];
    const expectedRecency = [5, 5, 4, 4, 3, 3, 2, 2, 1, 1];
    expect(scores.map((s) => s.f)).toEqual(expectedHigh);
    expect(scores.map((s) => s.m)).toEqual(expectedHigh);
    expect(scores.map((s) => s.r)).toEqual(expectedRecency);
  });

  it('gives equal values equal scores', () => {
    const ties = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5];
    const cuts = quintileCuts(ties); // sorted[1]=1, sorted[3]=1, sorted[5]=1, sorted[7]=3
    expect(cuts).toEqual([1, 1, 1, 3]);
    expect(ties.map((v) => scoreHigherBetter(v, cuts))).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    expect(scoreLowerBetter(1, cuts)).toBe(5);
    expect(scoreLowerBetter(5, cuts)).toBe(1);
  });

  it('names segments by rule, covering every score combination', () => {
    expect(classifyRfm(5, 5, 5)).toEqual({ segment: '冠軍顧客', rule: 'R≥4 且 F≥4 且 M≥4' });
    expect(classifyRfm(5, 4, 2).segment).toBe('忠誠顧客');
    expect(classifyRfm(4, 2, 1).segment).toBe('潛力顧客');
    expect(classifyRfm(5, 1, 1).segment).toBe('新顧客');
    expect(classifyRfm(1, 5, 5).segment).toBe('流失風險');
    expect(classifyRfm(3, 2, 3).segment).toBe('需要關注');
    expect(classifyRfm(2, 1, 1).segment).toBe('沉睡顧客');
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++) {
          expect(RFM_SEGMENTS.map((s) => s.name)).toContain(classifyRfm(r, f, m).segment);
        }
  });
});
