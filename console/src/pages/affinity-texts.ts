/** zh-TW texts of the 商品關聯 page (#17.2). */
export const at = {
  nav: '商品關聯',
  title: '商品關聯',
  subtitle: '買了這個的會員，還買了什麼？依會員的購買紀錄每晚重新計算。',
  pick: '選擇分類或商品',
  category: '分類',
  sku: '商品（SKU）',
  kindLabel: (k: 'category' | 'sku') => (k === 'category' ? '分類' : '商品'),
  buyers: '購買會員數',
  share: '佔消費會員',
  coBuyers: '一起買的會員',
  confidence: '信賴度',
  lift: '提升度',
  item: '也買了',
  topSkus: '這個分類最多人買的商品',
  viewSegment: '建立這群購買者的分群',
  noBuild: '尚未計算商品關聯。請執行 npm run affinity:rebuild，或等每晚 03:50 的排程。',
  builtAt: (when: string, members: string, ms: string) =>
    `最近一次計算：${when}，${members} 位消費會員，耗時 ${ms} 毫秒。`,
  noRelated: (n: number) => `沒有與其他商品一起購買達 ${n} 位會員以上的組合。`,
  definitions: (minSupport: number) => [
    '購買會員數：購買紀錄（扣除整筆退款與作廢的訂單）中買過 A 的會員人數。',
    '一起買的會員：同時買過 A 與 B 的會員人數（不一定在同一張訂單）。',
    '信賴度 P(B|A)：一起買的會員 ÷ A 的購買會員數，也就是「買 A 的人有多少比例也買 B」。',
    '提升度：信賴度 ÷ B 在所有消費會員中的比例。大於 1 表示買 A 的人比一般會員更常買 B；等於 1 表示沒有關聯。',
    `一起買的會員少於 ${minSupport} 位的組合視為雜訊，不列出也不推薦。`,
  ],
  rule: (minLift: number, minSupport: number) =>
    `推薦下一個商品（訊息變數 {suggested_product}）：在會員買過的商品中，找提升度 ≥ ${minLift}、一起買的會員 ≥ ${minSupport} 位、且會員還沒買過的商品，取提升度最高的一個；找不到時，推薦會員最常買的分類中最多人買、且他還沒買過的商品；都沒有時，顯示「訊息內容 → 推薦商品（沒有推薦時）」的文字。`,
  csvName: (name: string) => `商品關聯-${name}`,
  times: (x: number) => `${x.toLocaleString('zh-TW', { maximumFractionDigits: 2 })} 倍`,
};
