/**
 * RFM scoring, pure. Each of recency (days since the last purchase), frequency (purchases in the window) and
 * monetary (net spend in the window) is scored 1–5 by quintiles of the scored population:
 *
 * - cut points: the values at the 20/40/60/80th percentile by nearest rank, c_k = sorted[ceil(k·n/5) − 1];
 * - frequency and monetary (more is better): score = 1 + how many cut points the value is above;
 * - recency (fewer days is better): score = 5 − how many cut points the value is above.
 *
 * Equal values always get equal scores (no arbitrary tie breaking), so a marketer can reproduce any score by hand.
 */

export interface RfmInput {
  memberId: string;
  recencyDays: number;
  frequency: number;
  monetary: number;
}
export interface RfmScore {
  memberId: string;
  r: number;
  f: number;
  m: number;
  segment: string;
  rule: string;
}
export interface RfmCuts {
  r: number[];
  f: number[];
  m: number[];
}

export function quintileCuts(values: number[]): number[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return [1, 2, 3, 4].map((k) => sorted[Math.ceil((k * n) / 5) - 1]);
}

const above = (value: number, cuts: number[]) => cuts.filter((c) => value > c).length;
export const scoreHigherBetter = (value: number, cuts: number[]): number => 1 + above(value, cuts);
export const scoreLowerBetter = (value: number, cuts: number[]): number => 5 - above(value, cuts);

type Range = readonly [number, number];
export interface RfmSegmentDefinition {
  name: string;
  r: Range;
  f: Range;
  m: Range;
  rule: string;
  description: string;
}

/**
 * Named segments, first match wins. Together they cover every (R, F, M) combination; the rule text is stored on
 * the member so the console can say why a member sits where they do.
 */
export const RFM_SEGMENTS: RfmSegmentDefinition[] = [
  {
    name: '冠軍顧客',
    r: [4, 5],
    f: [4, 5],
    m: [4, 5],
    rule: 'R≥4 且 F≥4 且 M≥4',
    description: '最近才買、常買、花得多：最有價值的顧客，適合 VIP 禮遇與新品搶先。',
  },
  {
    name: '忠誠顧客',
    r: [3, 5],
    f: [4, 5],
    m: [1, 5],
    rule: 'R≥3 且 F≥4',
    description: '經常回購：適合會員升等誘因與加購推薦。',
  },
  {
    name: '潛力顧客',
    r: [4, 5],
    f: [2, 3],
    m: [1, 5],
    rule: 'R≥4 且 F 為 2–3',
    description: '最近消費且開始回購：再推一把就會成為忠誠顧客。',
  },
  {
    name: '新顧客',
    r: [4, 5],
    f: [1, 1],
    m: [1, 5],
    rule: 'R≥4 且 F=1',
    description: '最近剛開始消費：用第二次購買優惠建立習慣。',
  },
  {
    name: '流失風險',
    r: [1, 2],
    f: [3, 5],
    m: [1, 5],
    rule: 'R≤2 且 F≥3',
    description: '過去常買但很久沒來：盡快用專屬優惠喚回。',
  },
  {
    name: '需要關注',
    r: [3, 3],
    f: [1, 3],
    m: [1, 5],
    rule: 'R=3 且 F≤3',
    description: '新近度與頻率都在中間、正在降溫：適合提醒與關懷訊息。',
  },
  {
    name: '沉睡顧客',
    r: [1, 2],
    f: [1, 2],
    m: [1, 5],
    rule: 'R≤2 且 F≤2',
    description: '很久沒消費、次數也少：低成本的喚醒活動即可。',
  },
];
export const RFM_FALLBACK = { name: '一般顧客', rule: '不符合其他分群', description: '' };
export const RFM_UNSCORED = {
  name: '尚未消費',
  rule: '沒有消費紀錄，不參與 RFM 評分',
  description: '尚未有消費紀錄的會員。',
};

const within = (v: number, [lo, hi]: Range) => v >= lo && v <= hi;

export function classifyRfm(r: number, f: number, m: number): { segment: string; rule: string } {
  const def = RFM_SEGMENTS.find((s) => within(r, s.r) && within(f, s.f) && within(m, s.m));
  return def ? { segment: def.name, rule: def.rule } : { segment: RFM_FALLBACK.name, rule: RFM_FALLBACK.rule };
}

/** Scores a population; returns the scores and the cut points used (stored with the run). */
export function scorePopulation(inputs: RfmInput[]): { scores: RfmScore[]; cuts: RfmCuts } {
  const cuts: RfmCuts = {
    r: quintileCuts(inputs.map((i) => i.recencyDays)),
    f: quintileCuts(inputs.map((i) => i.frequency)),
    m: quintileCuts(inputs.map((i) => i.monetary)),
  };
  const scores = inputs.map((i) => {
    const r = scoreLowerBetter(i.recencyDays, cuts.r);
    const f = scoreHigherBetter(i.frequency, cuts.f);
    const m = scoreHigherBetter(i.monetary, cuts.m);
    const { segment, rule } = classifyRfm(r, f, m);
    return { memberId: i.memberId, r, f, m, segment, rule };
  });
  return { scores, cuts };
}

/** The "why" stored on the member: the measured values, the scores and the segment rule. */
export function explainRfm(input: RfmInput, score: RfmScore, windowDays: number): string {
  return (
    `R=${score.r}（最近消費 ${input.recencyDays} 天前）、F=${score.f}（近 ${windowDays} 天 ${input.frequency} 次）、` +
    `M=${score.m}（近 ${windowDays} 天 NT$${input.monetary.toLocaleString('en-US')}）→ ${score.segment}：${score.rule}`
  );
}
