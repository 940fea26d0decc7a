import { type BoughtKind, isGroup, type SegmentCondition, type SegmentGroup } from './rule.schema';

/** zh-TW labels of the rule language, for the console's rule builder and for describing a rule in words. */
export const FIELD_LABELS: Record<SegmentCondition['field'], string> = {
  gender: '性別',
  ageBand: '年齡層',
  age: '年齡',
  city: '居住城市',
  birthMonth: '生日月份',
  tags: '標籤',
  rfmSegment: 'RFM 分群',
  rfmR: 'RFM 最近消費分數 (R)',
  rfmF: 'RFM 消費頻率分數 (F)',
  rfmM: 'RFM 消費金額分數 (M)',
  purchaseCount: '消費次數',
  totalSpend: '累積消費金額',
  pointsBalance: '點數餘額',
  lastPurchase: '最近一次消費',
  lastInteraction: '最近一次互動',
  joined: '加入會員',
  personaCompleted: '完成個人問答',
  tier: '會員等級',
  coupon: '優惠券',
  bought: '購買紀錄',
  crossSell: '交叉銷售（買過 A 沒買過 B）',
  orders: '有效訂單數',
  aov: '平均客單價',
  ltv: '顧客終身價值（LTV）',
  firstPurchase: '首次消費',
  daysSinceLastPurchase: '距上次消費天數',
  satisfaction: '滿意度分數',
  message: '收到／點擊訊息',
};

export const BOUGHT_KIND_LABELS: Record<BoughtKind, string> = { category: '商品類別', sku: '商品', store: '門市' };

const MESSAGE_OP_LABELS = { received: '收到', notReceived: '沒有收到', clicked: '點擊', notClicked: '沒有點擊' };

export const GENDER_LABELS: Record<string, string> = {
  female: '女性',
  male: '男性',
  other: '其他',
  undisclosed: '不透露',
};

const COUPON_LABELS = {
  hasActive: '持有可用的優惠券',
  hasUsed: '已使用過優惠券',
  hasExpired: '有過期未用的優惠券',
  hasNone: '沒有可用的優惠券',
  neverUsed: '從未使用過優惠券',
};

/**
 * Names for the ids a rule holds (campaigns, journeys, coupon templates, stores), so the words read 「點擊活動「母親節
 * 推播」」 instead of an id; resolved by segment.service.ts `resolveRuleNames`. Without a name the id is shown.
 */
export interface RuleNames {
  campaigns?: Map<string, string>;
  journeys?: Map<string, string>;
  templates?: Map<string, string>;
  stores?: Map<string, string>;
}

/** One rule in words, e.g. 「性別為 女性 且 (年齡層為 25-34 或 標籤含任一 咖啡)」. */
export function describeSegmentRule(group: SegmentGroup, names: RuleNames = {}): string {
  if (group.conditions.length === 0) return '所有可接收行銷訊息的會員';
  return describeGroup(group, true, names);
}

function describeGroup(group: SegmentGroup, root: boolean, names: RuleNames): string {
  const joiner = group.op === 'and' ? ' 且 ' : ' 或 ';
  const text = group.conditions
    .map((n) => (isGroup(n) ? describeGroup(n, false, names) : describeCondition(n, names)))
    .join(joiner);
  return root || group.conditions.length < 2 ? text : `(${text})`;
}

function describeNumber(c: { op: string; value?: number; min?: number; max?: number }, unit = ''): string {
  switch (c.op) {
    case 'gte':
      return `≥ ${c.value}${unit}`;
    case 'lte':
      return `≤ ${c.value}${unit}`;
    case 'eq':
      return `= ${c.value}${unit}`;
    default:
      return `介於 ${c.min}–${c.max}${unit}`;
  }
}

export function describeCondition(c: SegmentCondition, names: RuleNames = {}): string {
  const label = FIELD_LABELS[c.field];
  const valuesOf = (kind: BoughtKind, values: string[]) =>
    values.map((v) => (kind === 'store' ? (names.stores?.get(v) ?? v) : v)).join('」或「');
  switch (c.field) {
    case 'gender':
      return `${label}為 ${c.values.map((v) => GENDER_LABELS[v]).join('、')}`;
    case 'ageBand':
      return `${label}為 ${c.values.join('、')} 歲`;
    case 'birthMonth':
      return `${label}為 ${c.values.map((m) => `${m} 月`).join('、')}`;
    case 'city':
    case 'rfmSegment':
    case 'tier':
      return `${label}${c.op === 'in' ? '為' : '不是'} ${c.values.join('、')}`;
    case 'tags': {
      const verb = { hasAny: '含任一', hasAll: '全部包含', hasNone: '不含' }[c.op];
      return `${label}${verb} ${c.values.join('、')}`;
    }
    case 'age':
      return `${label} ${describeNumber(c, ' 歲')}`;
    case 'totalSpend':
      return `${label} ${describeNumber(c, ' 元')}`;
    case 'pointsBalance':
      return `${label} ${describeNumber(c, ' 點')}`;
    case 'purchaseCount':
      return `${label} ${describeNumber(c, ' 次')}`;
    case 'rfmR':
    case 'rfmF':
    case 'rfmM':
      return `${label} ${describeNumber(c)}`;
    case 'lastPurchase':
      if (c.op === 'never') return '從未消費';
      if (c.op === 'ever') return '曾經消費';
      return `${label}${c.op === 'withinDays' ? '在' : '不在'}最近 ${c.days} 天內`;
    case 'lastInteraction':
    case 'joined':
      return `${label}${c.op === 'withinDays' ? '在' : '不在'}最近 ${c.days} 天內`;
    case 'personaCompleted':
      return c.value ? '已完成個人問答' : '尚未完成個人問答';
    case 'coupon':
      return `${COUPON_LABELS[c.op]}${c.templateId ? `「${names.templates?.get(c.templateId) ?? '指定範本'}」` : ''}`;
    case 'bought': {
      const period = c.days ? `最近 ${c.days} 天內` : c.op === 'bought' ? '曾經' : '從未';
      const verb = c.op === 'bought' ? '買過' : c.days ? '沒買過' : '買過';
      return `${period}${verb}${BOUGHT_KIND_LABELS[c.kind]}「${valuesOf(c.kind, c.values)}」`;
    }
    case 'crossSell':
      return `${c.days ? `最近 ${c.days} 天內` : ''}買過${BOUGHT_KIND_LABELS[c.kind]}「${valuesOf(c.kind, c.bought)}」但從未買過「${valuesOf(c.kind, c.notBought)}」`;
    case 'orders':
      return `${label} ${describeNumber(c, ' 筆')}`;
    case 'aov':
    case 'ltv':
      return `${label} ${describeNumber(c, ' 元')}`;
    case 'firstPurchase':
      if (c.op === 'between') return `${label}在 ${c.from} 至 ${c.to}`;
      return `${label}${c.op === 'withinDays' ? '在' : '早於'}最近 ${c.days} 天${c.op === 'withinDays' ? '內' : ''}`;
    case 'daysSinceLastPurchase':
      return `${label} ${describeNumber(c, ' 天')}`;
    case 'satisfaction':
      return `${label} ${describeNumber(c, ' 分')}`;
    case 'message':
      if (c.source === 'campaign')
        return `${MESSAGE_OP_LABELS[c.op]}活動「${names.campaigns?.get(c.id) ?? c.id}」的訊息`;
      return `${MESSAGE_OP_LABELS[c.op]}旅程「${names.journeys?.get(c.id) ?? c.id}」步驟 ${c.stepId} 的訊息`;
  }
}
