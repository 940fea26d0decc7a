/** The purchase fields the per-member aggregates are computed from. */
export interface PurchaseForBuys {
  amount: number;
  refundedAmount?: number | null;
  status?: string | null;
  voidedAt?: Date | null;
  storeId?: string | null;
  at: Date;
  items?: Array<{ sku?: string | null; category?: string | null }> | null;
}

export interface LastBought {
  last: Date;
  n: number;
}

export interface BuysSummary {
  /** Purchases that still count: not fully refunded, not voided. */
  orders: number;
  /** Net amount of those purchases (amount minus partial refunds): the member's lifetime value to date (LTV). */
  total: number;
  /** Average order value, rounded to the dollar: total / orders. */
  aov: number;
  first: Date | null;
  last: Date | null;
  cats: Array<{ c: string } & LastBought>;
  skus: Array<{ s: string } & LastBought>;
  stores: Array<{ s: string } & LastBought>;
}

/** True when a purchase still counts in the aggregates. */
export function purchaseCounts(p: PurchaseForBuys): boolean {
  if (p.status === 'refunded' || p.status === 'voided' || p.voidedAt) return false;
  return (p.refundedAmount ?? 0) < p.amount;
}

/**
 * Orders, net total, AOV, first/last date and, per category, SKU and store, the last date and the number of orders
 * it was in, over the purchases that still count. Pure: the same purchases always give the same summary.
 */
export function summarizeBuys(purchases: PurchaseForBuys[]): BuysSummary {
  const counted = purchases.filter(purchaseCounts);
  const cats = new Map<string, LastBought>();
  const skus = new Map<string, LastBought>();
  const stores = new Map<string, LastBought>();
  let total = 0;
  let first: Date | null = null;
  let last: Date | null = null;
  for (const p of counted) {
    const at = new Date(p.at);
    total += p.amount - (p.refundedAmount ?? 0);
    if (!first || at < first) first = at;
    if (!last || at > last) last = at;
    const items = p.items ?? [];
    note(
      cats,
      items.map((i) => i.category),
      at,
    );
    note(
      skus,
      items.map((i) => i.sku),
      at,
    );
    note(stores, [p.storeId], at);
  }
  const orders = counted.length;
  const list = <K extends 'c' | 's'>(m: Map<string, LastBought>, key: K) =>
    [...m.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, v]) => ({ [key]: name, last: v.last, n: v.n }) as unknown as { [P in K]: string } & LastBought);
  return {
    orders,
    total,
    aov: orders > 0 ? Math.round(total / orders) : 0,
    first,
    last,
    cats: list(cats, 'c'),
    skus: list(skus, 's'),
    stores: list(stores, 's'),
  };
}

/** Counts each distinct name once per order and keeps its latest date. */
function note(into: Map<string, LastBought>, names: Array<string | null | undefined>, at: Date): void {
  for (const raw of new Set(names)) {
    const name = raw?.trim();
    if (!name) continue;
    const cur = into.get(name);
    if (!cur) into.set(name, { last: at, n: 1 });
    else {
      cur.n += 1;
      if (at > cur.last) cur.last = at;
    }
  }
}
